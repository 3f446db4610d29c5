import type { FastifyReply } from 'fastify';

/**
 * An answer with response headers of its own beside its body, such as the ETag of the version the
 * body shows: only the handler knows their values. The endpoint declares them in
 * `success.headers` (for the OpenAPI document); the body still leaves in the requested format.
 */
export class AnswerWithHeaders {
  constructor(
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>>,
  ) {}
}

/** A strong entity tag of a version number: `"7"`. */
export const strongEtag = (version: number): string => `"${version}"`;

/** The answer's body and headers (none for a plain answer). */
export const answerParts = (answer: unknown): { body: unknown; headers: Readonly<Record<string, string>> | null } =>
  answer instanceof AnswerWithHeaders ? { body: answer.body, headers: answer.headers } : { body: answer, headers: null };

/** Sends an endpoint's answer with its declared status: its headers, and its body unless the status is 204. */
export function sendAnswer(reply: FastifyReply, status: number, answer: unknown): FastifyReply {
  const { body, headers } = answerParts(answer);
  if (headers) void reply.headers(headers);
  return reply.code(status).send(status === 204 ? undefined : body);
}
