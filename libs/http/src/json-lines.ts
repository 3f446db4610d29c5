import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';

/** The media type of JSON lines (one JSON value per line), as bulk routes read and answer them. */
export const JSON_LINES_TYPE = 'application/x-ndjson';

/** Whether the request says its body is JSON lines (parameters such as `charset` aside). */
export function isJsonLinesRequest(req: Pick<FastifyRequest, 'headers'>): boolean {
  return String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === JSON_LINES_TYPE;
}

/**
 * An answer that is not one JSON model: a body streamed as it is produced (a Readable, so the
 * client's pace holds the producer back), with its content type and headers. Sent as is, in every
 * response format.
 */
export class StreamedAnswer {
  constructor(
    readonly body: Readable,
    readonly headers: Readonly<Record<string, string>>,
    readonly contentType = JSON_LINES_TYPE,
  ) {}
}
