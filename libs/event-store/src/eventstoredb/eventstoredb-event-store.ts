import { randomUUID } from 'node:crypto';
import { BACKWARDS, END, EventStoreDBClient, FORWARDS, START, excludeSystemEvents } from '@eventstore/db-client';
import type { AllStreamResolvedEvent, AppendResult as EsdbAppendResult, EventData, Position } from '@eventstore/db-client';
import {
  AppendResult,
  EventHandler,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';
import {
  isReportedPosition,
  isStreamNotFound,
  isSystemEvent,
  isTransientError,
  toActualRevision,
  toAppendError,
  toEsdbExpectedRevision,
  toEventData,
  toRecordedEvent,
  toRevisionNumber,
} from './eventstoredb-mapping';
import { compareDecodedPositions, compareEncodedPositions, decodePosition, encodePosition } from './eventstoredb-position';

/** The part of the client this adapter uses (lets tests hand in a fake). */
export type EventStoreDbClientLike = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export interface EventStoreDbEventStoreOptions {
  /** Most raw `$all` records fetched per read while collecting a readAll page (system records included). */
  readPageSize?: number;
  /** Sends of one append when the connection fails (default 3); every retry carries the same event ids. */
  appendAttempts?: number;
  /** Wait before the n-th retry: n times this (default 100 ms). */
  retryDelayMs?: number;
}

const MIN_READ_PAGE = 64;
/** How far back a retried `any`/`stream_exists` append looks for its own events in the stream. */
const RETRY_LOOKBACK = 1000;

/**
 * Where the log's identity lives: one event, written once with expected `no_stream`. Not a `$`
 * stream (those belong to EventStoreDB); readAll and subscribeAll leave it out, like system records.
 */
export const LOG_IDENTITY_STREAM = 'log-identity';
const LOG_IDENTITY_EVENT = 'LogIdentityAssigned';

/**
 * Event store on EventStoreDB (gRPC client 6.x; server 22.6 or newer, because stream reads must
 * carry `$all` positions). Streams map 1:1 to EventStoreDB streams; the global log is `$all`
 * without EventStoreDB's own records (system event types and system streams).
 *
 * Positions are EventStoreDB's {commit, prepare} pairs, encoded by eventstoredb-position.ts.
 * Reading `$all` from a position is inclusive on the server; the port is exclusive, so the
 * adapter drops everything at or before `after` (the same for subscriptions, which the server
 * already starts after the position).
 *
 * Appends that fail on the connection (the write may or may not have happened) are sent again with
 * the same event ids and expected revision: EventStoreDB answers a repeated write of the events
 * already at `expected + 1...` with the original result and writes nothing. For `any` and
 * `stream_exists` the server only remembers recent event ids in memory, so before such a retry the
 * adapter looks for its events at the stream's end itself.
 *
 * A write goes to one stream, so this store does not append to several atomically (the port's
 * appendsAtomically is false and appendToStreams refuses): writers append one stream after the other.
 *
 * Reading `$all` needs a user allowed to (admin or ops on a secure server): put the
 * credentials in the connection string.
 */
export class EventStoreDbEventStore extends EventStore {
  private readonly client: EventStoreDbClientLike;
  private readonly ownsClient: boolean;
  private readonly readPageSize: number;
  private readonly appendAttempts: number;
  private readonly retryDelayMs: number;
  private logIdentity: Promise<string> | null = null;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  /** @param connection a connection string (`esdb://...`; the store then owns and disposes the client) or a client owned by the caller. */
  constructor(connection: string | EventStoreDbClientLike, options: EventStoreDbEventStoreOptions = {}) {
    super();
    if (typeof connection === 'string') {
      this.client = EventStoreDBClient.connectionString(connection);
      this.ownsClient = true;
    } else {
      this.client = connection;
      this.ownsClient = false;
    }
    this.readPageSize = Math.max(options.readPageSize ?? 1000, 2);
    this.appendAttempts = Math.max(options.appendAttempts ?? 3, 1);
    this.retryDelayMs = options.retryDelayMs ?? 100;
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new Error('append needs at least one event');
    const expectedRevision = toEsdbExpectedRevision(expected);
    const data = events.map(toEventData);
    let result: EsdbAppendResult | undefined;
    for (let attempt = 1; !result; attempt++) {
      try {
        result = await this.client.appendToStream(streamId, data, { expectedRevision });
      } catch (err) {
        if (!isTransientError(err) || attempt >= this.appendAttempts || this.closed) throw toAppendError(err, streamId, expected);
        await new Promise((r) => setTimeout(r, this.retryDelayMs * attempt));
        if (expected === 'any' || expected === 'stream_exists') {
          const found = await this.findAppended(streamId, data).catch(() => null);
          if (found) return found;
        }
      }
    }
    if (!result.success) {
      // Only with a caller's client built with throwOnAppendFailure: false.
      throw new WrongExpectedRevisionError(streamId, expected, toActualRevision(result.nextExpectedRevision));
    }
    // The server answers with the position of the last event written, also for a retried
    // (idempotent) append; servers that have none to give get asked for it.
    const position = isReportedPosition(result.position)
      ? result.position
      : await this.positionOf(streamId, result.nextExpectedRevision);
    return { nextRevision: toRevisionNumber(result.nextExpectedRevision), position: encodePosition(position) };
  }

  async readStream(streamId: string, from = 0): Promise<RecordedEvent[]> {
    this.assertOpen();
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, { direction: FORWARDS, fromRevision: from > 0 ? BigInt(from) : START, resolveLinkTos: false });
      for await (const resolved of guard(read)) {
        const event = resolved.event;
        if (!event) continue;
        out.push(toRecordedEvent(event, requirePosition(event.position, event.id, streamId)));
      }
    } catch (err) {
      if (isStreamNotFound(err)) return [];
      throw err;
    }
    return out;
  }

  async readAll(after: string | null, maxCount: number): Promise<RecordedEvent[]> {
    this.assertOpen();
    const out: RecordedEvent[] = [];
    if (maxCount <= 0) return out;
    // Last record looked at (ours or not). The server reads from a position inclusively, so each
    // page starts with the record the previous one ended on, and the first with `after` itself.
    let cursor = after === null ? null : decodePosition(after);
    for (;;) {
      const pageSize = Math.min(Math.max(maxCount - out.length + 1, MIN_READ_PAGE), this.readPageSize);
      const read = this.client.readAll({
        fromPosition: cursor ?? START,
        maxCount: pageSize,
        direction: FORWARDS,
        resolveLinkTos: false,
      });
      let records = 0;
      let advanced = false;
      for await (const resolved of guard(read)) {
        records += 1;
        const event = resolved.event;
        if (!event) continue;
        if (cursor !== null && compareDecodedPositions(event.position, cursor) <= 0) continue;
        cursor = event.position;
        advanced = true;
        if (!isOurs(event) || out.length >= maxCount) continue;
        out.push(toRecordedEvent(event, event.position));
      }
      if (out.length >= maxCount || records < pageSize) return out;
      if (!advanced) throw new Error(`EventStoreDB $all read did not move past ${cursor ? encodePosition(cursor) : 'the start'}`);
    }
  }

  subscribeAll(after: string | null, handler: EventHandler, onError?: (err: unknown) => void): Subscription {
    this.assertOpen();
    const start = after === null ? null : decodePosition(after);
    const stream = this.client.subscribeToAll({
      fromPosition: start ?? START,
      filter: excludeSystemEvents(),
      resolveLinkTos: false,
    });
    // Errors reach the loop through the iterator; this listener only keeps an error emitted after
    // the loop has let go of the stream from crashing the process.
    stream.on('error', () => undefined);
    let stopping = false;
    let loop: Promise<void> = Promise.resolve();
    const subscription: Subscription = {
      stop: async () => {
        if (!stopping) {
          stopping = true;
          await stream.unsubscribe().catch(() => undefined);
          stream.destroy();
        }
        await loop;
      },
    };

    loop = (async () => {
      let cursor: Position | null = start;
      let failure: { error: unknown } | null = null;
      try {
        for await (const resolved of stream as AsyncIterable<AllStreamResolvedEvent>) {
          if (stopping) break;
          const event = resolved.event;
          if (!event) continue;
          // The server starts after `after`; this also drops a re-delivered or out-of-order record.
          if (cursor !== null && compareDecodedPositions(event.position, cursor) <= 0) continue;
          cursor = event.position;
          if (!isOurs(event)) continue;
          try {
            await handler(toRecordedEvent(event, event.position));
          } catch (err) {
            failure = { error: err };
            break;
          }
          if (stopping) break;
        }
        if (!failure && !stopping) failure = { error: new Error('EventStoreDB subscription to $all ended unexpectedly') };
      } catch (err) {
        // Tearing the stream down in stop() makes the iterator throw: only report what we did not cause.
        if (!stopping) failure = { error: err };
      } finally {
        stopping = true;
        await stream.unsubscribe().catch(() => undefined);
        this.subscriptions.delete(subscription);
      }
      if (failure) onError?.(failure.error);
    })();
    this.subscriptions.add(subscription);
    return subscription;
  }

  comparePositions(a: string | null, b: string | null): number {
    return compareEncodedPositions(a, b);
  }

  /** The id in the log-identity stream; the first process to find it missing writes it. */
  identity(): Promise<string> {
    this.assertOpen();
    this.logIdentity ??= this.loadIdentity().catch((err) => {
      this.logIdentity = null;
      throw err;
    });
    return this.logIdentity;
  }

  private async loadIdentity(): Promise<string> {
    const existing = await this.readStream(LOG_IDENTITY_STREAM);
    if (existing.length > 0) return identityOf(existing[0]);
    const logId = randomUUID();
    const eventId = randomUUID();
    const metadata = { eventId, occurredAt: new Date().toISOString(), schemaVersion: 1, actor: { type: 'system' as const, id: 'event-store' }, requestId: '', ip: '', userAgent: '' };
    try {
      await this.append(LOG_IDENTITY_STREAM, [{ id: eventId, type: LOG_IDENTITY_EVENT, data: { logId }, metadata }], 'no_stream');
      return logId;
    } catch (err) {
      if (!(err instanceof WrongExpectedRevisionError)) throw err;
      // Another process wrote it first.
      return identityOf((await this.readStream(LOG_IDENTITY_STREAM))[0]);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.ownsClient) await this.client.dispose();
  }

  /**
   * For a retried `any`/`stream_exists` append: our events, if the lost attempt wrote them (all of
   * one append are written together, so the first id decides), as the append's result.
   */
  private async findAppended(streamId: string, data: EventData[]): Promise<AppendResult | null> {
    const tail: Array<{ id: string; revision: bigint; position?: Position }> = [];
    try {
      const read = this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: RETRY_LOOKBACK + data.length });
      for await (const resolved of guard(read)) if (resolved.event) tail.unshift(resolved.event);
    } catch (err) {
      if (isStreamNotFound(err)) return null;
      throw err;
    }
    const first = tail.findIndex((e) => e.id === data[0].id);
    if (first < 0) return null;
    const last = tail[first + data.length - 1];
    if (!last || !data.every((d, i) => tail[first + i].id === d.id)) {
      throw new Error(`EventStoreDB stream ${streamId} holds only part of a retried append`);
    }
    return { nextRevision: toRevisionNumber(last.revision), position: encodePosition(requirePosition(last.position, last.id, streamId)) };
  }

  /** Position of one event, read back from its stream (for servers whose append reply had none). */
  private async positionOf(streamId: string, revision: bigint): Promise<Position> {
    const read = this.client.readStream(streamId, { direction: FORWARDS, fromRevision: revision, maxCount: 1 });
    for await (const resolved of guard(read)) {
      if (resolved.event) return requirePosition(resolved.event.position, resolved.event.id, streamId);
    }
    throw new Error(`EventStoreDB did not return event ${revision} of ${streamId} right after appending it`);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('EventStoreDbEventStore is closed');
  }
}

/** Our events: not EventStoreDB's own records, not the log-identity stream. */
function isOurs(event: { type: string; streamId: string }): boolean {
  return !isSystemEvent(event) && event.streamId !== LOG_IDENTITY_STREAM;
}

function identityOf(event: RecordedEvent): string {
  const logId = event.data.logId;
  if (event.type !== LOG_IDENTITY_EVENT || typeof logId !== 'string') {
    throw new Error(`Stream ${LOG_IDENTITY_STREAM} does not start with a ${LOG_IDENTITY_EVENT} event`);
  }
  return logId;
}

function requirePosition(position: Position | undefined, eventId: string, streamId: string): Position {
  if (isReportedPosition(position)) return position;
  throw new Error(
    `EventStoreDB returned event ${eventId} of ${streamId} without its $all position: the server must be 22.6 or newer`,
  );
}

/** See the note in subscribeAll: keeps a late 'error' event on a finished read from crashing the process. */
function guard<T extends NodeJS.EventEmitter>(read: T): T {
  read.on('error', () => undefined);
  return read;
}
