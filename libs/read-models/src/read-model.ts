import type { RecordedEvent } from '@lib/event-store';

/**
 * A projection is a pure function of one event: the changes it implies for its read model.
 * The plumbing stores them together with the event's stream revision (idempotence) and the log
 * position (checkpoint), so replaying any part of the log twice changes nothing.
 */
export interface Projection<Change = unknown> {
  readonly name: string;
  project(event: RecordedEvent): Change[];
}

/** Where an event sits: the stream it belongs to and its place in the global log. */
export interface AppliedEventRef {
  streamId: string;
  /** 0-based revision of the event in its stream. */
  streamRevision: number;
  /** Opaque global log position (see the event-store port), stored as the projection's checkpoint. */
  position: string;
}

export interface ListResult<T> {
  total: number;
  items: T[];
}

/**
 * What every read model shares, per adapter: checkpoints that know their log, idempotency by
 * stream revision, resets, and blue/green rebuilds. Each read model brings its own tables or
 * collections and queries (see SqliteStorage, MongoStorage); this port knows none of them.
 */
export abstract class ReadModelStore {
  /**
   * Binds the store to one event log. A checkpoint written for another log is refused from then
   * on (ForeignCheckpointError): positions of one log mean nothing in another.
   */
  abstract bindLog(identity: string): Promise<void>;
  /**
   * Atomically where the store allows: if `ref.streamRevision` is newer than the revision this
   * projection last applied for `ref.streamId`, apply `changes` with the projection's storage
   * and remember the revision; in every case move the checkpoint to `ref.position` (never
   * backwards). False when the event had already been applied.
   */
  abstract apply(projection: string, ref: AppliedEventRef, changes: unknown[]): Promise<boolean>;
  /**
   * `apply` for consecutive events of one projection, in order, as one write where the store
   * allows (one SQLite transaction): a batch is applied wholly or not at all, and each event keeps
   * its own idempotency by stream revision.
   * Calls for one projection may overlap (a rebuild hands a shadow its next batch before the last
   * one is written): they take effect in the order they were made, and after a failed one none does.
   */
  abstract applyBatch(projection: string, events: ReadonlyArray<{ ref: AppliedEventRef; changes: unknown[] }>): Promise<void>;
  /** Last position a projection checkpointed, or null if it never ran. */
  abstract getCheckpoint(projection: string): Promise<string | null>;
  /** Drops everything a projection wrote, and its checkpoint. */
  abstract reset(projection: string): Promise<void>;
  /** An empty store of the same kind beside this one, for a rebuild while this one serves reads. */
  abstract openShadow(projection: string): Promise<ReadModelStore>;
  /**
   * Swaps a rebuilt projection in: holds off this store's writers, calls `catchUp` with the
   * live checkpoint (null when there is none, or it belongs to another log), then replaces the
   * projection's data and bookkeeping with the shadow's. The shadow is discarded afterwards.
   */
  abstract swapIn(projection: string, shadow: ReadModelStore, catchUp: (livePosition: string | null) => Promise<void>): Promise<void>;
  /**
   * Makes what the read models deleted unrecoverable from the store's own files (after an
   * erasure): SQLite zeroes deleted rows as it goes (secure_delete), and here copies its WAL
   * back and truncates it, so no older version of a page survives there. MongoDB: nothing to do
   * from here (the server's storage engine owns its files).
   */
  abstract purgeDeleted(): Promise<void>;
  abstract close(): Promise<void>;
}

export class ForeignCheckpointError extends Error {
  constructor(
    readonly projection: string,
    readonly storedLog: string,
    readonly currentLog: string,
    /** What to run to start over on this log. */
    readonly remedy = `rebuild it with \`npm run replay -- ${projection}\` (or \`-- all\`)`,
  ) {
    super(`The checkpoint of projection "${projection}" belongs to event log ${storedLog}, but this event store is log ${currentLog}. It was built from another log: ${remedy}.`);
    this.name = 'ForeignCheckpointError';
  }
}

export class UnknownProjectionError extends Error {
  constructor(projection: string) {
    super(`unknown projection ${projection}`);
    this.name = 'UnknownProjectionError';
  }
}
