import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Authenticator } from './authenticator';
import { AuthenticatedRequest, EndpointDef, endpointOf } from './endpoint';

/**
 * Finds the project and credentials of a request and authenticates them for the endpoint's
 * scope; the principal is kept on the request.
 */
export async function authenticateRequest(authenticator: Authenticator, def: EndpointDef, req: AuthenticatedRequest): Promise<void> {
  // A `project` parameter wins over the header (query string for GET, body otherwise).
  const source = (def.method === 'GET' ? req.query : req.body) as Record<string, unknown> | undefined;
  const fromParam = source && typeof source === 'object' && typeof source.project === 'string' ? source.project : undefined;
  const projectId = fromParam ?? headerValue(req.headers['x-appwrite-project']);
  const host = headerValue(req.headers['x-forwarded-host']) ?? headerValue(req.headers.host) ?? '';
  const hostname = host.split(',')[0].trim().replace(/:\d+$/, '');
  const session =
    headerValue(req.headers['x-appwrite-session']) ||
    (projectId ? sessionCookie(headerValue(req.headers.cookie), projectId) ?? fallbackCookie(headerValue(req.headers['x-fallback-cookies']), projectId) : undefined);
  req.principal = await authenticator.authenticate(
    { projectId, apiKey: headerValue(req.headers['x-appwrite-key']), session, jwt: headerValue(req.headers['x-appwrite-jwt']), hostname },
    def.scope,
  );
}

/** Authenticates every Nest endpoint before parameter validation, as Appwrite does: a bad request without access gets the auth error. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly authenticator: Authenticator) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const def = endpointOf(ctx);
    if (def) await authenticateRequest(this.authenticator, def, ctx.switchToHttp().getRequest<AuthenticatedRequest>());
    return true;
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The session cookie of the project (the SameSite one, else the legacy one for old browsers). */
function sessionCookie(header: string | undefined, projectId: string): string | undefined {
  if (!header) return undefined;
  const cookies = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const value = cookies.get(`a_session_${projectId}`) ?? cookies.get(`a_session_${projectId}_legacy`);
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Appwrite's last resort for clients whose browser drops third-party cookies: `X-Fallback-Cookies: {"a_session_<project>": "<value>"}`. */
function fallbackCookie(header: string | undefined, projectId: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  try {
    const parsed: unknown = JSON.parse(header);
    const value = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>)[`a_session_${projectId}`] : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}
