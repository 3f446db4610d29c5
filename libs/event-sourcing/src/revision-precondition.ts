import type { ExpectedRevision } from '@lib/event-store';

/**
 * The revisions a client's copy of a stream may have (HTTP `If-Match`): a list of revisions, or
 * 'any' for "the stream must exist" (`If-Match: *`).
 */
export type AcceptedRevisions = readonly number[] | 'any';

/** Pure: whether a stream whose last event has `current` (or that does not exist) is at one of the accepted revisions. */
export function admits(accepted: AcceptedRevisions, current: ExpectedRevision): boolean {
  if (typeof current !== 'number') return false;
  return accepted === 'any' || accepted.includes(current);
}

/** The stream moved on from the revision the client had (or does not exist): nothing was written. */
export class StaleRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly current: ExpectedRevision,
  ) {
    super(`${streamId}: at revision ${String(current)}, not at the one the request was made for`);
    this.name = 'StaleRevisionError';
  }
}

/**
 * A request's condition on one stream, checked by `handleCommand` against the revision it loads
 * and appends after, so the check and the write are one atomic step (a concurrent write makes
 * the append fail, and the reloaded revision then fails the check). It holds for the request's
 * first write to that stream: once that is stored, later writes of the same request to the
 * stream are not checked again.
 */
export class RevisionPrecondition {
  private consumed = false;

  constructor(
    readonly streamId: string,
    readonly accepted: AcceptedRevisions,
  ) {}

  /** Whether a command on `streamId` must pass the check. */
  appliesTo(streamId: string): boolean {
    return !this.consumed && streamId === this.streamId;
  }

  /** Throws StaleRevisionError unless the stream is at an accepted revision. */
  check(current: ExpectedRevision): void {
    if (!admits(this.accepted, current)) throw new StaleRevisionError(this.streamId, current);
  }

  /** The write it guarded is stored (or decided to be nothing): it has done its job. */
  consume(): void {
    this.consumed = true;
  }

  /** Whether a command checked and used it; if not, the caller checks the stream itself. */
  get wasConsumed(): boolean {
    return this.consumed;
  }
}
