import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Authenticator } from './authenticator';
import { AuthenticatedRequest, endpointOf } from './endpoint';

/** Runs before parameter validation, as in Appwrite: a bad request without access gets the auth error. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly authenticator: Authenticator) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const def = endpointOf(ctx);
    if (!def) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    // A `project` parameter wins over the header (query string for GET, body otherwise).
    const source = (def.method === 'GET' ? req.query : req.body) as Record<string, unknown> | undefined;
    const fromParam = source && typeof source === 'object' && typeof source.project === 'string' ? source.project : undefined;
    const projectId = fromParam ?? headerValue(req.headers['x-appwrite-project']);
    const host = headerValue(req.headers['x-forwarded-host']) ?? headerValue(req.headers.host) ?? '';
    const hostname = host.split(',')[0].trim().replace(/:\d+$/, '');
    req.principal = await this.authenticator.authenticate({ projectId, apiKey: headerValue(req.headers['x-appwrite-key']), hostname }, def.scope);
    return true;
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
