import { applyDecorators, createParamDecorator, Delete, ExecutionContext, Get, HttpCode, Patch, Post, Put, SetMetadata } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppwriteException, ParamDef, validateParams } from '@lib/appwrite';
import type { Principal } from './authenticator';
import { oversizeBodyMessage } from './request-body';
import type { RequestContext } from './request-context';
import type { EndpointDef } from './endpoint-def';
import type { IdempotentAttempt } from './idempotent-attempt';
import { requestFormat } from './request-format';

export type { EndpointDef } from './endpoint-def';


export const ENDPOINT_METADATA = 'appwrite:endpoint';

const METHOD_DECORATORS = { GET: Get, POST: Post, PATCH: Patch, PUT: Put, DELETE: Delete };

export function Endpoint(def: EndpointDef) {
  return applyDecorators(METHOD_DECORATORS[def.method](def.path), HttpCode(def.success.status), SetMetadata(ENDPOINT_METADATA, def));
}

export function endpointOf(ctx: ExecutionContext): EndpointDef | undefined {
  return Reflect.getMetadata(ENDPOINT_METADATA, ctx.getHandler());
}

const asObject = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The endpoint's parameters, validated in Appwrite's order (after authentication). */
export function endpointParams(def: EndpointDef, req: FastifyRequest): Record<string, unknown> {
  const input = { path: asObject(req.params), body: asObject(req.body), query: asObject(req.query) };
  const oversize = oversizeBodyMessage(req);
  const firstBodyParam = def.params.findIndex((p) => p.in === 'body');
  if (oversize !== undefined && firstBodyParam >= 0) {
    // The body was over the route's limit and not kept: what precedes it is validated as usual,
    // then the answer is the one Appwrite's validator gives a too-large value.
    validateParams(def.params.slice(0, firstBodyParam), input, requestFormat(req));
    throw new AppwriteException('general_argument_invalid', oversize);
  }
  return validateParams(def.params, input, requestFormat(req));
}

/** `endpointParams` for Nest routes declared with `@Endpoint`. */
export const Params = createParamDecorator((_: unknown, ctx: ExecutionContext): Record<string, unknown> => {
  const def = endpointOf(ctx);
  if (!def) throw new Error('@Params() used on a route without @Endpoint()');
  return endpointParams(def, ctx.switchToHttp().getRequest<FastifyRequest>());
});

export interface AuthenticatedRequest extends FastifyRequest {
  principal?: Principal;
  /** The attempt of a request with an Idempotency-Key (or of the request whose in-process call this is). */
  idempotentAttempt?: IdempotentAttempt;
}

/** Metadata for the events this request causes: actor, request id, client ip and user agent. */
export function requestContextOf(req: AuthenticatedRequest): RequestContext {
  if (!req.principal) throw new Error('a request context needs an authenticated request');
  const principal = req.principal;
  return {
    projectId: principal.projectId,
    actor: principal.kind === 'key' ? { type: 'apiKey', id: principal.keyId } : principal.kind === 'user' ? { type: 'user', id: principal.userId } : { type: 'system', id: 'guest' },
    principal,
    requestId: String(req.id ?? randomUUID()),
    ip: req.ip ?? '',
    userAgent: String(req.headers['user-agent'] ?? ''),
    execution: req.idempotentAttempt,
  };
}

/** `requestContextOf` for Nest routes. */
export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => requestContextOf(ctx.switchToHttp().getRequest<AuthenticatedRequest>()));
