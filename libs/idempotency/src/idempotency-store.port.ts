/**
 * The idempotency-store port: one record per (project, key) of the requests that carried an
 * `Idempotency-Key`, written by the attempt that holds the key. Adapters: sqlite/ (embedded, its
 * own file) and mongodb/ (distributed, a unique index on project and key); both run
 * test/idempotency-store.contract.ts. Every write is conditional on the attempt still holding
 * the record, so two processes never both own one.
 */

/** Which record: the project, and an id derived from the key (the key itself is never stored). */
export interface RecordKey {
  projectId: string;
  keyId: string;
}

export interface IdempotencyRecord {
  /** What the first request was (see IdempotencyKey.fingerprint): a retry must be the same. */
  fingerprint: string;
  /** The attempt that holds (or last held) the key. */
  attemptId: string;
  /** Until when (ms since the epoch) the attempt holds the key; 0 once it let go. */
  leaseUntil: number;
  /** The stream the attempt wrote first, recorded before that write; null if it wrote nothing. */
  firstStream: string | null;
  /** The sealed answer (IdempotencyKey.seal), once there is one. */
  answer: Buffer | null;
  /** When the record is gone (ms since the epoch): a record past it counts as absent. */
  expiresAt: number;
}

export interface NewAttempt {
  fingerprint: string;
  attemptId: string;
  leaseUntil: number;
  expiresAt: number;
}

export abstract class IdempotencyStore {
  /**
   * Makes the attempt the holder of the key, unless a record that has not expired at `now`
   * exists: then returns that record untouched. Null means the attempt now holds the key.
   */
  abstract claim(key: RecordKey, attempt: NewAttempt, now: number): Promise<IdempotencyRecord | null>;
  /**
   * Hands the record of `previousAttemptId` to a new attempt, if it is still abandoned at `now`
   * (no answer, lease over); false when someone else got there first.
   */
  abstract takeOver(key: RecordKey, previousAttemptId: string, attempt: { attemptId: string; leaseUntil: number }, now: number): Promise<boolean>;
  /**
   * Records the first stream the attempt writes, if the attempt holds the key with a lease that
   * lasts at least until `leaseAtLeast` and none is recorded yet; false otherwise.
   */
  abstract recordFirstStream(key: RecordKey, attemptId: string, streamId: string, leaseAtLeast: number): Promise<boolean>;
  /**
   * Keeps the attempt's answer and ends its lease; false if the attempt no longer holds the key.
   * `wrote`: every stream the attempt appended to, so that an erasure finds the answers that may
   * hold the person (dropAnswersAbout).
   */
  abstract saveAnswer(key: RecordKey, attemptId: string, answer: Buffer, wrote: readonly string[]): Promise<boolean>;
  /**
   * Drops the answers of the project's requests that wrote to `streamId` (an erased person's
   * stream): they may show the person. Their records stay, so a retry is still never run again;
   * it learns that the answer is lost. Returns how many answers were dropped.
   */
  abstract dropAnswersAbout(projectId: string, streamId: string): Promise<number>;
  /** Ends the attempt's lease and keeps the record: it may have written, a retry must find out. */
  abstract release(key: RecordKey, attemptId: string): Promise<void>;
  /** Deletes the attempt's record: it wrote nothing and answered nothing worth repeating. */
  abstract forget(key: RecordKey, attemptId: string): Promise<void>;
  /** Deletes up to `limit` records expired at `now` (through an index on the expiry); returns how many. */
  abstract deleteExpired(now: number, limit: number): Promise<number>;
  abstract close(): Promise<void>;
}

/** How long a key and its answer are kept. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
