import type { FastifyReply } from 'fastify';
import type { StoredAnswer } from '@lib/idempotency';

export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/**
 * The first answer to a request, given again to a retry with the same idempotency key: thrown
 * where the retry is recognised and sent by the error path every route has (the error filter).
 */
export class ReplayedAnswer extends Error {
  constructor(readonly answer: StoredAnswer) {
    super('a retry with the same idempotency key: the first answer again');
    this.name = 'ReplayedAnswer';
  }

  sendTo(reply: FastifyReply): void {
    void reply
      .code(this.answer.status)
      .headers(this.answer.headers)
      .header(IDEMPOTENT_REPLAYED_HEADER, 'true')
      // An empty body as no body: a 204 then gets the headers every 204 gets.
      .send(this.answer.body === '' ? undefined : Buffer.from(this.answer.body, 'base64'));
  }
}
