/**
 * The event-store port, shaped after EventStoreDB: streams with optimistic concurrency by
 * expected revision, and one global log (`$all`) read or subscribed to from a position.
 * Adapters: sqlite/ (embedded, one file, WAL) and eventstoredb/ (distributed).
 * Every adapter runs test/event-store.contract.ts.
 */

/** Who caused an event, as Appwrite would attribute it. */
export interface EventActor {
  type: 'apiKey' | 'user' | 'system';
  id: string;
}

/** Metadata every event carries; stored beside the data, never inside it. */
export interface EventMetadata {
  eventId: string;
  occurredAt: string;
  schemaVersion: number;
  actor: EventActor;
  requestId: string;
  ip: string;
  userAgent: string;
  /**
   * The attempt of a request with an `Idempotency-Key` that appended the event: how a later
   * attempt of the same request tells whether this one committed (absent otherwise).
   */
  idempotencyAttemptId?: string;
  /**
   * On a stored event whose personal fields are sealed (libs/personal-data): those fields are
   * absent from `data` (and `ip`/`userAgent` empty) here, and readers of the decorated store get
   * them back in place of this marker.
   */
  sealed?: SealedFields;
}

/** The personal fields of one event, sealed together with the data key `keyId` of its person. */
export interface SealedFields {
  v: 1;
  keyId: string;
  /** Where each value goes back: `data.<field>` or `metadata.ip` / `metadata.userAgent`. */
  fields: string[];
  /** base64 of `iv ‖ AES-256-GCM(JSON array of the values, in the order of fields) ‖ tag`. */
  value: string;
}

export interface EventToAppend {
  /** Also the idempotency key: a UUID. */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  id: string;
  type: string;
  streamId: string;
  /** 0-based position of the event inside its stream. */
  revision: number;
  /** Opaque position in the global log; compare with the adapter's comparePositions. */
  position: string;
  /**
   * The same global position as exactly 40 decimal digits whose plain text order is the log order
   * (BigInt-safe): for read models that need to sort or keyset-page by log order. Read it as text,
   * never as a Number; it is not a position (pass `position` back to the store).
   */
  sortKey: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/**
 * `no_stream`: the stream must not exist; `stream_exists`: it must; `any`: no check;
 * a number: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** One stream's part of an append to several streams (see EventStore.appendToStreams). */
export interface StreamAppend {
  streamId: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last appended event. */
  nextRevision: number;
  /** Global position of the last appended event. */
  position: string;
}

export interface Subscription {
  /** Resolves once the subscription has stopped delivering events. */
  stop(): Promise<void>;
}

/** Returns a promise only when the next event must wait for it: a handler that keeps up returns nothing, and costs no microtask per event. */
export type EventHandler = (event: RecordedEvent) => Promise<void> | void;

export abstract class EventStore {
  abstract append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Whether this store offers appendToStreams: appends to several streams as one commit. SQLite
   * does (one transaction); EventStoreDB does not (a write goes to one stream), so there a writer
   * that must touch several streams appends to one after the other and covers a crash between
   * them itself (the reservation streams' lease). Decorators answer as the store they wrap.
   */
  get appendsAtomically(): boolean {
    return false;
  }
  /**
   * Appends to several distinct streams, all or nothing: when any part's expected revision does
   * not hold, nothing is written on any stream and the first such part's WrongExpectedRevisionError
   * is thrown. The results come in the order of `appends`; a store that commits in groups may
   * share the commit with other appends. Only where appendsAtomically; elsewhere it rejects
   * without writing.
   */
  appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    void appends;
    return Promise.reject(new Error(`${this.constructor.name} cannot append to several streams atomically`));
  }
  /**
   * The events of a stream in order, from revision `from` on (0, the default: all of them);
   * empty when the stream does not exist or ends before `from`. What a reader that knows the
   * stream up to some revision reads to catch up.
   */
  abstract readStream(streamId: string, from?: number): Promise<RecordedEvent[]>;
  /** Up to `maxCount` events of the global log strictly after `after` (null = from the start). */
  abstract readAll(after: string | null, maxCount: number): Promise<RecordedEvent[]>;
  /**
   * Catch-up subscription: delivers every event after `after`, in log order, one at a time
   * (the next only once the handler returned, or the promise it returned resolved), then keeps delivering new ones.
   * A handler that throws stops the subscription and the error goes to `onError`.
   */
  abstract subscribeAll(after: string | null, handler: EventHandler, onError?: (err: unknown) => void): Subscription;
  /**
   * How many events the global log holds (it may grow meanwhile): what a replay's progress counts
   * to. Here by reading the whole log; an adapter that can count without reading overrides it, a
   * decorator passes it on (a count needs no event decoded, let alone opened).
   */
  async countAll(): Promise<number> {
    let count = 0;
    for (let after: string | null = null; ; ) {
      const batch = await this.readAll(after, 10_000);
      count += batch.length;
      if (batch.length < 10_000) return count;
      after = batch[batch.length - 1].position;
    }
  }
  /**
   * Has `listener` called with each stream whose stored events this store gives out otherwise
   * from then on than it did before (a decorator that opens personal fields learned of the
   * person's erasure: they read "[erased]" now): whoever keeps something folded from that
   * stream's earlier reads drops it. A store that gives out every event as stored never calls
   * it; a decorator passes the listener on to the store it wraps.
   */
  onStreamRedacted(listener: (streamId: string) => void): void {
    void listener;
  }
  /** Negative if a < b, 0 if equal, positive if a > b; null sorts first. */
  abstract comparePositions(a: string | null, b: string | null): number;
  /**
   * A stable id of this event log: the same for every process and every restart on the same log,
   * different for another log (a fresh file, another database). Lets a read model or checkpoint
   * notice that it was built from a different log than the one it now follows.
   */
  abstract identity(): Promise<string>;
  abstract close(): Promise<void>;
}
