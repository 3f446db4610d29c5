import { AppwriteException } from '@lib/appwrite';
import { ConcurrencyExhaustedError } from '@lib/event-sourcing';
import { WalTruncateError } from '@lib/event-store';
import { ErrorMapper } from '@lib/http';
import { HashingBusyError } from '@lib/passwords';
import { ProjectionLagError } from '@lib/read-models';

/**
 * A saturated hashing pool, a stalled projector, a stream that keeps conflicting or a purge of
 * erased bytes held up by other connections: the write may be stored, but we cannot answer for it
 * now; the client retries (writes are not lost, reads catch up, a repeated erasure finishes).
 */
export const unavailable: ErrorMapper = (error) => {
  if (!(error instanceof HashingBusyError || error instanceof ProjectionLagError || error instanceof ConcurrencyExhaustedError || error instanceof WalTruncateError)) return null;
  const answer = new AppwriteException('general_service_unavailable');
  answer.retryAfterSeconds = error instanceof HashingBusyError || error instanceof WalTruncateError ? error.retryAfterSeconds : 1;
  return answer;
};

