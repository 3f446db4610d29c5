/**
 * How request bodies are read: as Appwrite 1.3 reads them (utopia-php/swoole Request), a body is
 * `json_decode($raw, true)`, and whatever that does not turn into a non-empty array (invalid
 * JSON, malformed UTF-8, an unpaired `\uD800` escape, nesting deeper than 512) counts as an
 * empty object, so required parameters then fail with `Param "…" is not optional.`
 */
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { phpJsonDecodeBytes } from '@lib/appwrite';
import { DEFAULT_BODY_POLICY } from './body-limits';
import { isJsonLinesRequest } from './json-lines';
import { TransportError } from './transport-errors';

/**
 * Appwrite's Swoole server refuses a body over `package_max_length` (6 MB) with 413 and closes
 * the connection; up to that size it reads the body and lets the validators answer. We read a
 * route's limit, drain (count, not keep) the rest up to this size, then answer like the
 * validator; beyond it we answer 413 at once and close.
 */
export const MAX_DRAINED_BODY_BYTES = 6 * 1024 * 1024;

/** Over MAX_DRAINED_BODY_BYTES: 413 like Swoole's, but in the envelope. */
export class BodyTooLargeError extends TransportError {
  constructor() {
    super(413, 'Request body is too large.');
  }
}

const OVERSIZE = Symbol('appwrite.oversizeBody');
const RAW = Symbol('appwrite.rawBody');

/** The body as received (within the route's limit), for routes that read more than JSON objects (GraphQL). */
export function rawBodyOf(req: FastifyRequest): Buffer {
  return (req as unknown as Record<symbol, Buffer | undefined>)[RAW] ?? Buffer.alloc(0);
}

/** Set by the route's `onRoute` config: the message for a body over the route's limit. */
export interface BodyRouteConfig {
  oversizeMessage?: string;
}

/** The 400 message owed to this request because its body was over the route's limit, if so. */
export function oversizeBodyMessage(req: FastifyRequest): string | undefined {
  return (req as unknown as Record<symbol, string | undefined>)[OVERSIZE];
}

/** What Appwrite makes of a body: a decoded JSON object, or else an empty one. */
export function decodeBody(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  const decoded = phpJsonDecodeBytes(raw);
  if (!decoded.ok) return {};
  const v = decoded.value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * Fastify content-type parser (all types): reads up to the route's `bodyLimit`, drains the rest.
 * A route that takes more than MAX_DRAINED_BODY_BYTES (a bulk import) answers 413 past its own limit.
 */
export function parseRequestBody(req: FastifyRequest, payload: Readable, done: (err: Error | null, body?: unknown) => void): void {
  const limit = req.routeOptions?.bodyLimit ?? DEFAULT_BODY_POLICY.limit;
  const drained = Math.max(MAX_DRAINED_BODY_BYTES, limit);
  const declared = Number(req.headers['content-length']);
  if (declared > drained) {
    done(new BodyTooLargeError());
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  let finished = false;
  const finish = (err: Error | null, body?: unknown) => {
    if (finished) return;
    finished = true;
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onError);
    done(err, body);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > drained) {
      finish(new BodyTooLargeError());
    } else if (received > limit) {
      chunks.length = 0;
    } else {
      chunks.push(chunk);
    }
  };
  const onEnd = () => {
    if (received > limit) {
      const config = (req.routeOptions?.config ?? {}) as BodyRouteConfig;
      (req as unknown as Record<symbol, string>)[OVERSIZE] = config.oversizeMessage ?? DEFAULT_BODY_POLICY.oversizeMessage;
      finish(null, {});
      return;
    }
    const raw = Buffer.concat(chunks, received);
    (req as unknown as Record<symbol, Buffer>)[RAW] = raw;
    // JSON lines are read line by line by their route, never as one object.
    finish(null, isJsonLinesRequest(req) ? {} : decodeBody(raw));
  };
  const onError = (err: Error & { statusCode?: number }) => {
    if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400;
    finish(err);
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onError);
  payload.resume();
}
