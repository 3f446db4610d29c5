/**
 * Errors raised below the controllers — Node's HTTP parser, Fastify's router and body reading —
 * leave in Appwrite's envelope `{message, code, type, version}` too, with the same headers as
 * every other error (see AppwriteErrorFilter), never as Fastify's or Node's own bodies.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppwriteException, ERROR_TYPES, toErrorBody } from '@lib/appwrite';

export const ERROR_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-cache, no-store, must-revalidate',
  expires: '0',
  pragma: 'no-cache',
  'content-type': 'application/json; charset=UTF-8',
};

/** An envelope with a status Appwrite's error list lacks (Node's 431, Swoole's 413). */
function transportEnvelope(code: number, message: string, version: string) {
  return { message, code, type: 'general_argument_invalid', version };
}

/** Status and envelope for what Node's HTTP parser could not read. */
export function clientErrorEnvelope(err: { code?: string }, version: string) {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return transportEnvelope(431, 'Request header fields are too large.', version);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return transportEnvelope(408, 'Request timeout.', version);
    default:
      return transportEnvelope(400, 'The request could not be parsed as HTTP/1.1.', version);
  }
}

/** One raw HTTP/1.1 response (no Fastify, no Node response object) that closes the connection. */
export function rawErrorResponse(envelope: { code: number }): string {
  const body = JSON.stringify(envelope);
  const headers = Object.entries({ ...ERROR_HEADERS, 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return `HTTP/1.1 ${envelope.code} ${STATUS_CODES[envelope.code] ?? 'Error'}\r\n${headers}\r\n${body}`;
}

/**
 * Fastify's `clientErrorHandler`: Node's parser refused the request (malformed request line or
 * header, headers or URL over the 16 KiB limit, timeout). Written straight to the socket, then
 * closed, as Node itself does; nothing is written when a response is already under way on it.
 */
export function appwriteClientErrorHandler(version: string) {
  return (err: Error & { code?: string }, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const inFlight = (socket as unknown as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      socket.end(rawErrorResponse(clientErrorEnvelope(err, version)));
      // The client may still be sending; don't keep the socket for it.
      setTimeout(() => socket.destroy(), 1000).unref();
    } else {
      socket.destroy();
    }
  };
}

function sendEnvelope(reply: FastifyReply, body: { code: number }) {
  void reply.code(body.code).headers(ERROR_HEADERS).send(body);
}

/** A refusal with an HTTP status that Appwrite's error list lacks but its server sends. */
export class TransportError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

/**
 * The envelope for any error: TransportErrors keep their status (toErrorBody would make them
 * 500s); Fastify's own errors (raised before a route, seen by frameworkErrors) become 400s.
 */
export function transportErrorBody(err: unknown, version: string) {
  if (err instanceof TransportError) return transportEnvelope(err.status, err.message, version);
  const e = err as Partial<FastifyError> | null;
  if (!(err instanceof AppwriteException) && e?.name === 'FastifyError' && typeof e.statusCode === 'number' && e.statusCode < 500) {
    return toErrorBody(new AppwriteException('general_argument_invalid', ERROR_TYPES.general_argument_invalid.message), version);
  }
  return toErrorBody(err, version);
}

/** Fastify's `frameworkErrors`: bad URL encoding, too long a path parameter. */
export function appwriteFrameworkErrors(version: string) {
  return (err: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    sendEnvelope(reply, transportErrorBody(err, version));
  };
}

/**
 * Fastify's `rewriteUrl`. Appwrite matches the raw path segment, so `/v1/users/%zz` reaches the
 * route and fails the UID rule; Fastify would refuse to decode it (FST_ERR_BAD_URL) before any
 * route. A path that does not percent-decode is therefore taken literally (`%` → `%25`).
 */
export function literalMalformedPath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (!path.includes('%')) return url;
  try {
    decodeURIComponent(path);
    return url;
  } catch {
    return path.replace(/%/g, '%25') + (q < 0 ? '' : url.slice(q));
  }
}
