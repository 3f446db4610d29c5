import { EventStoreDBClient, FORWARDS, START, excludeSystemEvents } from '@eventstore/db-client';
import type { AllStreamResolvedEvent, Position } from '@eventstore/db-client';
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
}

const MIN_READ_PAGE = 64;

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
 * Reading `$all` needs a user allowed to (admin or ops on a secure server): put the
 * credentials in the connection string.
 */
export class EventStoreDbEventStore extends EventStore {
  private readonly client: EventStoreDbClientLike;
  private readonly ownsClient: boolean;
  private readonly readPageSize: number;
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
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new Error('append needs at least one event');
    const expectedRevision = toEsdbExpectedRevision(expected);
    let result;
    try {
      result = await this.client.appendToStream(streamId, events.map(toEventData), { expectedRevision });
    } catch (err) {
      throw toAppendError(err, streamId, expected);
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

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    this.assertOpen();
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, { direction: FORWARDS, fromRevision: START, resolveLinkTos: false });
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
        if (isSystemEvent(event) || out.length >= maxCount) continue;
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
          if (isSystemEvent(event)) continue;
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.ownsClient) await this.client.dispose();
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
