import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatResponse, newerFormatWarning, parseResponseFormat, ResponseFormat } from '@lib/appwrite';

export const RESPONSE_FORMAT_HEADER = 'x-appwrite-response-format';

/** The format a request asked for (`X-Appwrite-Response-Format`; absent: the newest). */
export const requestFormat = (req: Pick<FastifyRequest, 'headers'>): ResponseFormat => parseResponseFormat(req.headers[RESPONSE_FORMAT_HEADER]);

/** Appwrite warns an SDK built for a newer server, on every answer (errors included). */
export function warnAboutNewerFormat(req: Pick<FastifyRequest, 'headers'>, reply: FastifyReply): void {
  const asked = requestFormat(req).newerThanServer;
  if (asked !== null) void reply.header('x-appwrite-warning', newerFormatWarning(asked));
}

/**
 * An answer built in the newest format, in the format the request asked for (by its model name:
 * libs/appwrite formats/response-filters.ts). Every controller answers through this.
 */
export const inRequestedFormat = (model: string | null, answer: unknown, req: Pick<FastifyRequest, 'headers'>): unknown =>
  model ? formatResponse(model, answer, requestFormat(req)) : answer;
