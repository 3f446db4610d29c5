import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  ANY,
  EVENT_TYPE,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type {
  AppendExpectedRevision,
  AppendResult,
  EventData,
  Filter,
  Position,
  ReadPosition,
  ReadRevision,
} from '@eventstore/db-client';
import type { EventStoreDbClientLike } from '../src/eventstoredb/eventstoredb-event-store';

/**
 * Test double for the parts of @eventstore/db-client 6.x that EventStoreDbEventStore uses, with
 * the server semantics the adapter depends on (as read from the EventStoreDB server sources):
 * - an event written by an append gets the `$all` position {commit: L, prepare: L}, L its own
 *   log position; the append answers with the position of its last event, also when a retried
 *   append of the same ids is recognised as already done;
 * - reading `$all` forwards from a position includes the record AT that position;
 * - a catch-up subscription to `$all` starts AFTER its position, applies its filter on the
 *   server, then goes live;
 * - a missing stream fails the read with StreamNotFoundError; a failed expected-revision check
 *   rejects with WrongExpectedVersionError.
 * It is not EventStoreDB: the contract suite must also run against a real server.
 */
export interface FakeEventStoreDbOptions {
  /** After every event, write what a server with system projections and stats writes: a `$>` link and a `$statsCollected`. */
  systemNoise?: boolean;
  /** Subscriptions also deliver the record at their start position (the adapter must drop it). */
  redeliverStartRecord?: boolean;
  /** Appends answer without a position (the adapter must read it back). */
  omitAppendPosition?: boolean;
  /** Stream reads carry 0/0 positions, as servers before 22.6 send. */
  omitStreamReadPositions?: boolean;
}

interface StoredRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: string;
  metadata: string;
  position: Position;
}

type ReadableWith<T> = Readable & T;

export class FakeEventStoreDbClient {
  readonly records: StoredRecord[] = [];
  readonly calls = { appendToStream: 0, readStream: 0, readAll: 0, subscribeToAll: 0 };
  disposed = false;
  private nextLogPosition = 4096n;
  private readonly lastRevision = new Map<string, bigint>();
  private readonly live = new Set<{ onRecord: (r: StoredRecord) => void; end: () => void }>();

  constructor(private readonly options: FakeEventStoreDbOptions = {}) {}

  asClient(): EventStoreDbClientLike {
    return this as unknown as EventStoreDbClientLike;
  }

  /** Writes a record the way another writer (or the server itself) would, bypassing checks. */
  writeRaw(streamId: string, type: string, data: unknown, options: { isJson?: boolean; metadata?: unknown } = {}): void {
    const revision = (this.lastRevision.get(streamId) ?? -1n) + 1n;
    this.lastRevision.set(streamId, revision);
    const position = this.nextLogPosition;
    this.nextLogPosition += 97n + BigInt(this.records.length % 13);
    const record: StoredRecord = {
      streamId,
      id: randomUUID(),
      revision,
      type,
      isJson: options.isJson ?? true,
      data: JSON.stringify(data),
      metadata: options.metadata === undefined ? '' : JSON.stringify(options.metadata),
      position: { commit: position, prepare: position },
    };
    this.records.push(record);
    for (const sub of this.live) sub.onRecord(record);
  }

  /** Ends every live subscription as a server going away would. */
  dropSubscriptions(): void {
    for (const sub of [...this.live]) sub.end();
  }

  async appendToStream(
    streamName: string,
    event: EventData | EventData[],
    { expectedRevision = ANY }: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<AppendResult> {
    this.calls.appendToStream += 1;
    await new Promise((r) => setImmediate(r));
    const events = Array.isArray(event) ? event : [event];
    const current = this.lastRevision.get(streamName);

    const known = events.map((e) => this.records.find((r) => r.id === e.id));
    if (known.some((r) => r !== undefined)) {
      const consecutive = known.every(
        (r, i) => r !== undefined && r.streamId === streamName && r.revision === known[0]!.revision + BigInt(i),
      );
      if (!consecutive) throw this.wrongExpectedVersion(streamName, expectedRevision, current);
      const last = known[known.length - 1]!;
      return { success: true, nextExpectedRevision: last.revision, position: this.appendPosition(last) };
    }

    const ok =
      expectedRevision === ANY ||
      (expectedRevision === NO_STREAM && current === undefined) ||
      (expectedRevision === STREAM_EXISTS && current !== undefined) ||
      (typeof expectedRevision === 'bigint' && current === expectedRevision);
    if (!ok) throw this.wrongExpectedVersion(streamName, expectedRevision, current);

    let last: StoredRecord | undefined;
    for (const e of events) {
      if (e.contentType !== 'application/json') throw new Error('fake: only JSON events');
      const revision = (this.lastRevision.get(streamName) ?? -1n) + 1n;
      this.lastRevision.set(streamName, revision);
      const position = this.nextLogPosition;
      this.nextLogPosition += 211n;
      last = {
        streamId: streamName,
        id: e.id,
        revision,
        type: e.type,
        isJson: true,
        data: JSON.stringify(e.data),
        metadata: e.metadata === undefined ? '' : JSON.stringify(e.metadata),
        position: { commit: position, prepare: position },
      };
      this.records.push(last);
      for (const sub of this.live) sub.onRecord(last);
    }
    if (this.options.systemNoise) {
      for (const e of events) {
        this.writeRaw(`$ce-${streamName.split('-')[0]}`, '$>', `${e.type}@${streamName}`);
      }
      this.writeRaw('$stats-127.0.0.1:2113', '$statsCollected', { 'proc-mem': 1 });
    }
    return { success: true, nextExpectedRevision: last!.revision, position: this.appendPosition(last!) };
  }

  readStream(
    streamName: string,
    { fromRevision = START, maxCount = Number.MAX_SAFE_INTEGER }: { fromRevision?: ReadRevision; maxCount?: number | bigint } = {},
  ): ReadableWith<{ cancel(): Promise<void> }> {
    this.calls.readStream += 1;
    return this.readable(() => {
      const stream = this.records.filter((r) => r.streamId === streamName);
      if (stream.length === 0) throw new StreamNotFoundError(undefined, streamName);
      const from = fromRevision === START ? 0n : fromRevision === 'end' ? stream.length : fromRevision;
      return stream
        .filter((r) => r.revision >= from)
        .slice(0, Number(maxCount))
        .map((r) => ({ event: this.toClientRecord(r, this.options.omitStreamReadPositions === true) }));
    });
  }

  readAll({
    fromPosition = START,
    maxCount = Number.MAX_SAFE_INTEGER,
  }: { fromPosition?: ReadPosition; maxCount?: number | bigint } = {}): ReadableWith<{ cancel(): Promise<void> }> {
    this.calls.readAll += 1;
    return this.readable(() =>
      this.records
        .filter((r) => fromPosition === START || (fromPosition !== 'end' && compare(r.position, fromPosition) >= 0))
        .slice(0, Number(maxCount))
        .map((r) => ({ event: this.toClientRecord(r, false) })),
    );
  }

  subscribeToAll({
    fromPosition = START,
    filter,
  }: { fromPosition?: ReadPosition; filter?: Filter } = {}): ReadableWith<{ unsubscribe(): Promise<void> }> {
    this.calls.subscribeToAll += 1;
    const stream = new Readable({ objectMode: true, read() {} });
    const passes = (r: StoredRecord) => {
      if (!filter) return true;
      const subject = filter.filterOn === EVENT_TYPE ? r.type : r.streamId;
      return 'regex' in filter ? new RegExp(filter.regex).test(subject) : filter.prefixes.some((p) => subject.startsWith(p));
    };
    const push = (r: StoredRecord) => {
      if (passes(r)) stream.push({ event: this.toClientRecord(r, false) });
    };
    const sub = {
      onRecord: push,
      end: () => {
        this.live.delete(sub);
        stream.push(null);
      },
    };
    setImmediate(() => {
      if (stream.destroyed) return;
      const startsAfter = (r: StoredRecord) => {
        if (fromPosition === START) return true;
        if (fromPosition === 'end') return false;
        const c = compare(r.position, fromPosition);
        return c > 0 || (c === 0 && this.options.redeliverStartRecord === true);
      };
      for (const r of this.records) if (startsAfter(r)) push(r);
      this.live.add(sub);
    });
    return Object.assign(stream, {
      unsubscribe: async () => {
        if (this.live.has(sub)) sub.end();
        else this.live.delete(sub);
      },
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.dropSubscriptions();
  }

  private appendPosition(last: StoredRecord): Position | undefined {
    return this.options.omitAppendPosition ? undefined : { ...last.position };
  }

  private wrongExpectedVersion(streamName: string, expected: AppendExpectedRevision, current: bigint | undefined) {
    return new WrongExpectedVersionError(undefined, { streamName, expected, current: current ?? NO_STREAM });
  }

  private toClientRecord(r: StoredRecord, zeroPosition: boolean) {
    return {
      streamId: r.streamId,
      id: r.id,
      revision: r.revision,
      type: r.type,
      isJson: r.isJson,
      created: new Date(0),
      data: r.isJson ? JSON.parse(r.data) : Buffer.from(r.data),
      metadata: r.metadata === '' ? undefined : JSON.parse(r.metadata),
      position: zeroPosition ? { commit: 0n, prepare: 0n } : { ...r.position },
    };
  }

  /** A finite read: items (or the error) arrive asynchronously, as from the network. */
  private readable(produce: () => unknown[]): ReadableWith<{ cancel(): Promise<void> }> {
    const stream = new Readable({ objectMode: true, read() {} });
    setImmediate(() => {
      try {
        for (const item of produce()) stream.push(item);
        stream.push(null);
      } catch (err) {
        stream.destroy(err as Error);
      }
    });
    return Object.assign(stream, { cancel: async () => void stream.destroy() });
  }
}

function compare(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}
