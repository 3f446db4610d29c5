import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppwriteException } from '@lib/appwrite';
import type { CommandExecution } from '@lib/event-sourcing';
import type { IdempotencyKey, IdempotencyStore } from '@lib/idempotency';

/**
 * Which answers a retry gets again: whatever the request decided itself (2xx, and 4xx such as
 * a domain refusal or a stale If-Match), not what says "try again" — 5xx (including 503
 * shedding and a projection that lags) and 429 — so that the retry runs.
 */
export const isRememberedStatus = (status: number): boolean => status < 500 && status !== 429 && status !== 408;

/**
 * One attempt of a request with an idempotency key, holding the key in the store for its lease.
 * Its id tags every event it appends (handleCommand); before its first append it records which
 * stream that is, so that a retry after a crash can look there and tell whether it committed.
 */
export class IdempotentAttempt implements CommandExecution {
  /** Lets the GraphQL fields this request runs in-process (their own requests) act within it. */
  readonly innerCallToken = randomUUID();
  private firstStream: Promise<void> | null = null;
  private wrote = false;
  private innerCallFailed = false;

  constructor(
    readonly id: string,
    readonly key: IdempotencyKey,
    /** The request that carried the key (not the in-process calls it makes). */
    readonly request: FastifyRequest,
    private readonly store: IdempotencyStore,
    private readonly leaseMs: number,
  ) {}

  /** Every stream the attempt appended to (or tried to), kept with its answer. */
  readonly streamsWritten = new Set<string>();

  beforeAppend(streamId: string): Promise<void> {
    this.streamsWritten.add(streamId);
    this.firstStream ??= this.recordFirstStream(streamId);
    return this.firstStream;
  }

  private async recordFirstStream(streamId: string): Promise<void> {
    // A quarter of the lease is left for the write itself: a retry takes over only once the whole lease is over.
    if (!(await this.store.recordFirstStream(this.key.record, this.id, streamId, Date.now() + this.leaseMs / 4))) {
      const late = new AppwriteException('general_service_unavailable');
      late.retryAfterSeconds = 1;
      throw late;
    }
    this.wrote = true;
  }

  /** Whether the attempt may have written: then its record stays, for a retry to look into. */
  get mayHaveWritten(): boolean {
    return this.wrote;
  }

  /** An in-process call of this request (a GraphQL field) answered `status`. */
  noteInnerAnswer(status: number): void {
    if (!isRememberedStatus(status)) this.innerCallFailed = true;
  }

  /** Whether the request's own answer, `status`, is one a retry gets again. */
  remembers(status: number): boolean {
    return isRememberedStatus(status) && !this.innerCallFailed;
  }
}
