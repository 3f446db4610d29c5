import { AppwriteException } from '@lib/appwrite';
import { ConcurrencyExhaustedError } from '@lib/event-sourcing';
import { WalTruncateError } from '@lib/event-store';
import { HashingBusyError } from '@lib/passwords';
import { ProjectionLagError } from '@lib/read-models';
import { unavailable } from './unavailable';

const answer = (error: unknown) => {
  const mapped = unavailable(error);
  return mapped && { type: mapped.type, code: mapped.code, retryAfter: mapped.retryAfterSeconds };
};

describe('errors the gateway answers with 503 and Retry-After', () => {
  it.each([
    ['a full hashing queue, after its own estimate', new HashingBusyError('queue full', undefined, 4), 4],
    ['a stalled projector', new ProjectionLagError('12', 5000), 1],
    ['a stream that keeps conflicting', new ConcurrencyExhaustedError('user-p:u', 8), 1],
    ['a purge of erased bytes held up by other connections', new WalTruncateError('/data/read-model.sqlite'), 1],
  ])('%s', (_, error, retryAfter) => {
    expect(answer(error)).toEqual({ type: 'general_service_unavailable', code: 503, retryAfter });
  });

  it('leaves every other error to the other mappers (or a 500 that hides it)', () => {
    expect([new Error('boom'), new AppwriteException('user_not_found'), 'text', null].map(unavailable)).toEqual([null, null, null, null]);
  });
});
