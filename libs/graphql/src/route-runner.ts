import type { FastifyInstance } from 'fastify';
import { GraphQLError } from 'graphql';
import type { EndpointDef } from '@lib/http';
import type { RouteRunner } from './graphql-schema';

/** What a field's REST call takes from the GraphQL request: who is asking, from where, in which format. */
export interface GraphqlCallContext {
  headers: Record<string, string | string[] | undefined>;
  ip: string;
}

/**
 * Headers that describe the outer request's body or connection, not the caller; and the outer
 * request's conditions, which hold for the whole document, not for each field: its
 * Idempotency-Key (the document is the idempotent request) and its If-Match (fields have no
 * version of their own to name).
 */
const NOT_FORWARDED = new Set(['content-length', 'content-type', 'transfer-encoding', 'connection', 'x-sdk-graphql', 'x-forwarded-for', 'expect', 'accept-encoding', 'idempotency-key', 'if-match']);

/** The query string of a GET route's arguments, as the SDKs write arrays (`queries[0]=…`). */
function queryString(args: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) value.forEach((item, i) => search.append(`${name}[${i}]`, String(item)));
    else search.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Each field runs its REST route in this process (Fastify's inject): the same authentication,
 * scope check, validation, read-your-writes and error mapping as over HTTP, as the same caller
 * (its key, session or JWT, its address, its response format). A REST error is the field's
 * GraphQL error, with Appwrite's message.
 */
export function injectingRunner(fastify: FastifyInstance): RouteRunner {
  return async (route: EndpointDef, args: Record<string, unknown>, context: unknown) => {
    const call = context as GraphqlCallContext;
    const pathNames = new Set<string>();
    const url = route.path.replace(/:(\w+)/g, (_, name: string) => {
      pathNames.add(name);
      return encodeURIComponent(String(args[name] ?? ''));
    });
    const rest = Object.fromEntries(Object.entries(args).filter(([name, value]) => !pathNames.has(name) && value !== undefined));
    const headers: Record<string, string | string[]> = { 'content-type': 'application/json' };
    for (const [name, value] of Object.entries(call.headers)) if (value !== undefined && !NOT_FORWARDED.has(name)) headers[name] = value;
    const reads = route.method === 'GET';
    const res = await fastify.inject({
      method: route.method,
      url: reads ? `${url}${queryString(rest)}` : url,
      headers,
      remoteAddress: call.ip,
      ...(reads ? {} : { payload: JSON.stringify(rest) }),
    });
    if (res.statusCode === 204) return null;
    let body: Record<string, unknown> | null = null;
    try {
      body = res.body === '' ? null : (JSON.parse(res.body) as Record<string, unknown>);
    } catch {
      // Every route answers JSON; anything else is reported as the server error it is.
    }
    if (res.statusCode >= 400) throw new GraphQLError(String(body?.message ?? 'Server Error'), { extensions: { code: res.statusCode, type: body?.type } });
    return body;
  };
}
