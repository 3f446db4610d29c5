import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  ANY,
  BACKWARDS,
  DeadlineExceededError,
  END,
  EVENT_TYPE,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type {
  AppendExpectedRevision,
  AppendResult,
  Direction,
  EventData,
  Filter,
  Position,
  ReadPosition,
  ReadRevision,
} from '@eventstore/db-client';
import type { EventStoreDbClientLike } from '../src/eventstoredb/eventstoredb-event-store';

/**
 * In-process double of `@eventstore/db-client` 6.2.1 talking to a single EventStoreDB 24.x node, for
 * the calls EventStoreDbEventStore makes. Result shapes and errors are the client's (its dist/
 * sources: streams/appendToStream, utils/CommandError, utils/convertGrpcEvent, streams/utils/
 * Subscription); the server behaviour is read from EventStore/EventStore src/EventStore.Core:
 *
 * - Positions are byte offsets of log records, bigint. An append writes one self-committed prepare
 *   record per event (StorageWriterService.WritePrepares: Data|IsCommitted, TransactionBegin on the
 *   first, TransactionEnd on the last), so in `$all` every event has commit = prepare = its own
 *   record's offset (AllReader: `new CommitEventRecord(eventRecord, prepare.LogPosition)`). The
 *   append answers with the offset of its LAST record as both commit and prepare (StorageChaser
 *   CommitAck at the TransactionEnd record; WriteEvents manager: "CommitPosition, CommitPosition").
 *   Commit and prepare differ only for explicit (TCP-only) transactions: `legacyTransactions`.
 * - Idempotency (IndexWriter.CheckCommit): with a revision or `no_stream` behind the stream's end, the
 *   ids are compared with the events at expected+1, expected+2, ... (durable): all equal -> success
 *   with the revision and position of the last of them, nothing written; the first different -> wrong
 *   expected version. With `any`/`stream_exists` the ids are looked up in an in-memory cache of
 *   committed event ids (lost on restart: restartServer()); the first id unknown -> written again.
 * - `$all` read forwards from a position includes the record at it; a catch-up subscription starts
 *   after it (AllSubscription: ReadAllEventsForward(pos, 1).NextPos), sends `confirmation`, the
 *   history, `caughtUp`, then live events; the filter runs on the server. Filter checkpoints are not
 *   modelled. Reading a missing stream fails with StreamNotFoundError.
 * - The log starts with the node's own records (`$epoch-information`, `$users`, ...).
 */
export interface FakeEventStoreDbOptions {
  /** Offset of the first record. Default just past 2^53, so any Number() of a position part loses digits. */
  startPosition?: bigint;
  /** After every append, what system projections and stats add: a `$>` link and a `$statsCollected`. */
  systemNoise?: boolean;
  /** Events of one append share the commit position of a commit record after them (explicit transactions). */
  legacyTransactions?: boolean;
  /** Subscriptions also deliver the record at their start position (the adapter must drop it). */
  redeliverStartRecord?: boolean;
  /** Appends answer without a position (the adapter must read it back). */
  omitAppendPosition?: boolean;
  /** Stream reads carry 0/0 positions, as servers before 22.6 send. */
  omitStreamReadPositions?: boolean;
}

export const DEFAULT_START_POSITION = (1n << 53n) + 1n;
/** Bytes of a prepare record besides its stream name, type, data and metadata (close to log format v2). */
const RECORD_OVERHEAD = 97n;
const COMMIT_RECORD_SIZE = 61n;

export interface StoredRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: Uint8Array;
  metadata: Uint8Array;
  position: Position;
  created: Date;
}

type Fault = { when: 'before-write' | 'reply-lost'; kind: 'unavailable' | 'deadline-exceeded'; restart?: boolean };
type Decision = { ok: true } | { ok: false; idempotent?: StoredRecord };
interface Live {
  push(r: StoredRecord): void;
  end(error?: Error): void;
}

export class FakeEventStoreDbClient {
  readonly calls = { appendToStream: 0, readStream: 0, readAll: 0, subscribeToAll: 0 };
  disposed = false;
  /** The whole log, in position order. */
  readonly records: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  /** The server's in-memory idempotency cache (IndexWriter._committedEvents). */
  private committedEvents = new Map<string, StoredRecord>();
  private nextPosition: bigint;
  private readonly live = new Set<Live>();
  private readonly faults: Fault[] = [];

  constructor(private readonly options: FakeEventStoreDbOptions = {}) {
    this.nextPosition = options.startPosition ?? DEFAULT_START_POSITION;
    this.writeRaw('$epoch-information', '$epoch-information', { epochNumber: 0, epochId: randomUUID() });
    for (const login of ['admin', 'ops']) {
      this.writeRaw(`$user-${login}`, '$user', { loginName: login, fullName: login, groups: [`$${login}s`] });
      this.writeRaw('$users', '$UserCreated', login, { isJson: false });
    }
  }

  asClient(): EventStoreDbClientLike {
    return this as unknown as EventStoreDbClientLike;
  }

  /** Writes one event the way another writer (or the server itself) would, with no checks. */
  writeRaw(streamId: string, type: string, data: unknown, options: { isJson?: boolean; metadata?: unknown } = {}): StoredRecord {
    const isJson = options.isJson ?? true;
    const bytes = isJson ? utf8(JSON.stringify(data)) : data instanceof Uint8Array ? data : utf8(String(data));
    const metadata = options.metadata === undefined ? new Uint8Array() : utf8(JSON.stringify(options.metadata));
    return this.writeBatch(streamId, [{ id: randomUUID(), type, isJson, data: bytes, metadata }])[0];
  }

  /** The next append is written but its reply is lost (`restart`: the node went down right after writing it). */
  loseNextAppendReply(kind: Fault['kind'] = 'unavailable', { restart = false } = {}): void {
    this.faults.push({ when: 'reply-lost', kind, restart });
  }

  /** The next append fails before it reaches the server. */
  failNextAppend(kind: Fault['kind'] = 'unavailable'): void {
    this.faults.push({ when: 'before-write', kind });
  }

  /** A node restart: the log stays, the idempotency cache is empty, subscriptions are dropped. */
  restartServer(): void {
    this.committedEvents = new Map();
    this.dropSubscriptions();
  }

  /** Ends every live subscription as a server going away does (UNAVAILABLE), or as a clean end of the call. */
  dropSubscriptions(how: 'error' | 'end' = 'error'): void {
    for (const sub of [...this.live]) sub.end(how === 'error' ? commandError('unavailable') : undefined);
  }

  async appendToStream(
    streamName: string,
    event: EventData | EventData[],
    { expectedRevision = ANY }: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<AppendResult> {
    this.calls.appendToStream += 1;
    const events = Array.isArray(event) ? event : [event];
    const fault = this.faults.shift();
    await new Promise((r) => setImmediate(r));
    if (fault?.when === 'before-write') throw commandError(fault.kind);
    let outcome: { result: AppendResult } | { error: unknown };
    try {
      outcome = { result: this.append(streamName, events, expectedRevision) };
    } catch (error) {
      outcome = { error };
    }
    if (fault?.restart) this.restartServer();
    if (fault) throw commandError(fault.kind);
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  }

  readStream(
    streamName: string,
    {
      fromRevision = START,
      maxCount = Number.MAX_SAFE_INTEGER,
      direction = 'forwards',
    }: { fromRevision?: ReadRevision; maxCount?: number | bigint; direction?: Direction } = {},
  ): Readable & { cancel(): Promise<void> } {
    this.calls.readStream += 1;
    return this.readable(() => {
      const stream = this.streams.get(streamName);
      if (!stream) throw new StreamNotFoundError(null as never, streamName); // null, as the client's ReadStream passes
      const count = Number(maxCount);
      let picked: StoredRecord[];
      if (direction === BACKWARDS) {
        const from = fromRevision === END ? stream.length - 1 : fromRevision === START ? 0 : Number(fromRevision);
        picked = stream.slice(0, from + 1).reverse().slice(0, count);
      } else {
        const from = fromRevision === START ? 0 : fromRevision === END ? stream.length : Number(fromRevision);
        picked = stream.slice(from, from + count);
      }
      const zero = this.options.omitStreamReadPositions === true;
      return picked.map((r) => ({ event: toClientRecord(r, zero) }));
    });
  }

  readAll({
    fromPosition = START,
    maxCount = Number.MAX_SAFE_INTEGER,
    direction = 'forwards',
  }: { fromPosition?: ReadPosition; maxCount?: number | bigint; direction?: Direction } = {}): Readable & {
    cancel(): Promise<void>;
  } {
    this.calls.readAll += 1;
    if (direction === BACKWARDS) throw new Error('fake: reading $all backwards is not modelled');
    return this.readable(() => {
      const from = fromPosition === START ? 0 : fromPosition === END ? this.records.length : this.firstAtOrAfter(fromPosition);
      return this.records.slice(from, from + Number(maxCount)).map(toAllEvent);
    });
  }

  subscribeToAll({ fromPosition = START, filter }: { fromPosition?: ReadPosition; filter?: Filter } = {}): Readable & {
    id?: string;
    unsubscribe(): Promise<void>;
  } {
    this.calls.subscribeToAll += 1;
    const stream = new Readable({ objectMode: true, read() {} });
    let closed = false;
    const passes = (r: StoredRecord) => {
      if (!filter) return true;
      const subject = filter.filterOn === EVENT_TYPE ? r.type : r.streamId;
      return 'regex' in filter ? new RegExp(filter.regex).test(subject) : filter.prefixes.some((p) => subject.startsWith(p));
    };
    const sub: Live = {
      push: (r) => {
        if (!closed && passes(r)) stream.push(toAllEvent(r));
      },
      end: (error) => {
        if (closed) return;
        closed = true;
        this.live.delete(sub);
        if (error) stream.destroy(error);
        else stream.push(null);
      },
    };
    setImmediate(() => {
      if (closed || stream.destroyed) return;
      stream.emit('confirmation');
      let from: number;
      if (fromPosition === START) from = 0;
      else if (fromPosition === END) from = this.records.length;
      else {
        from = this.firstAtOrAfter(fromPosition);
        const atStart = this.records[from] !== undefined && compare(this.records[from].position, fromPosition) === 0;
        if (atStart && this.options.redeliverStartRecord !== true) from += 1;
      }
      for (const r of this.records.slice(from)) sub.push(r);
      if (closed) return;
      stream.emit('caughtUp');
      this.live.add(sub);
    });
    return Object.assign(stream, { id: randomUUID(), unsubscribe: async () => sub.end() });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.dropSubscriptions('end');
  }

  /** The server's write path: CheckCommit, then the prepares (and, in legacy mode, a commit record). */
  private append(streamName: string, events: EventData[], expected: AppendExpectedRevision): AppendResult {
    const stream = this.streams.get(streamName) ?? [];
    const current = BigInt(stream.length - 1);
    const decision = this.checkCommit(streamName, stream, events.map((e) => e.id), expected);
    if (!decision.ok && decision.idempotent) {
      const last = decision.idempotent;
      return { success: true, nextExpectedRevision: last.revision, position: this.replyPosition(last) };
    }
    if (!decision.ok) {
      throw new WrongExpectedVersionError(undefined, { streamName, expected, current: current < 0n ? NO_STREAM : current });
    }
    const written = this.writeBatch(
      streamName,
      events.map((e) => ({
        id: e.id,
        type: e.type,
        isJson: e.contentType === 'application/json',
        data: e.contentType === 'application/json' ? utf8(JSON.stringify(e.data)) : (e.data as Uint8Array),
        metadata: e.metadata === undefined ? new Uint8Array() : e.metadata instanceof Uint8Array ? e.metadata : utf8(JSON.stringify(e.metadata)),
      })),
    );
    if (this.options.systemNoise && !streamName.startsWith('$')) {
      for (const r of written) this.writeRaw(`$ce-${streamName.split('-')[0]}`, '$>', `${r.revision}@${streamName}`, { isJson: false });
      this.writeRaw('$stats-127.0.0.1:2113', '$statsCollected', { 'proc-mem': 1 });
    }
    const last = written[written.length - 1];
    return { success: true, nextExpectedRevision: last.revision, position: this.replyPosition(last) };
  }

  /** IndexWriter.CheckCommit for a single node (no soft deletes, no tombstones). */
  private checkCommit(streamName: string, stream: StoredRecord[], ids: string[], expected: AppendExpectedRevision): Decision {
    const current = BigInt(stream.length - 1);
    if (expected === STREAM_EXISTS && current < 0n) return { ok: false };
    if (expected === ANY || expected === STREAM_EXISTS) {
      const known = ids.map((id) => this.committedEvents.get(id));
      if (known[0] === undefined || known[0].streamId !== streamName) return { ok: true };
      if (known.some((r) => r === undefined || r.streamId !== streamName)) return { ok: false }; // corrupted idempotency
      return { ok: false, idempotent: known[known.length - 1] };
    }
    const after = expected === NO_STREAM ? -1n : expected;
    if (after < current) {
      // Durable: the stream's own events after `expected` must be exactly these ids, in order.
      const matching = ids.every((id, i) => stream[Number(after) + 1 + i]?.id === id);
      return matching ? { ok: false, idempotent: stream[Number(after) + ids.length] } : { ok: false };
    }
    return after > current ? { ok: false } : { ok: true };
  }

  private writeBatch(streamId: string, events: Array<Omit<StoredRecord, 'streamId' | 'revision' | 'position' | 'created'>>): StoredRecord[] {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const created = new Date();
    const written = events.map((e, i) => {
      const prepare = this.nextPosition;
      this.nextPosition += RECORD_OVERHEAD + BigInt(utf8(streamId).length + utf8(e.type).length + e.data.length + e.metadata.length);
      return { ...e, streamId, revision: BigInt(stream.length + i), position: { commit: prepare, prepare }, created };
    });
    if (this.options.legacyTransactions) {
      const commit = this.nextPosition;
      this.nextPosition += COMMIT_RECORD_SIZE;
      for (const r of written) r.position = { commit, prepare: r.position.prepare };
    }
    for (const r of written) {
      stream.push(r);
      this.records.push(r);
      this.committedEvents.set(r.id, r);
    }
    for (const r of written) for (const sub of [...this.live]) sub.push(r);
    return written;
  }

  /** What an append answers: the last event's offset as commit and prepare (legacy mode: its `$all` position). */
  private replyPosition(last: StoredRecord): Position | undefined {
    if (this.options.omitAppendPosition) return undefined;
    return this.options.legacyTransactions ? { ...last.position } : { commit: last.position.prepare, prepare: last.position.prepare };
  }

  /** Index of the first record at or after `position` (binary search: the log is in position order). */
  private firstAtOrAfter(position: Position): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(this.records[mid].position, position) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A finite read: items (or the error) arrive asynchronously, as from the network. */
  private readable(produce: () => unknown[]): Readable & { cancel(): Promise<void> } {
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

/** The client's RecordedEvent (convertGrpcRecord): JSON data parsed (falling back to the text), metadata parsed or bytes. */
function toClientRecord(r: StoredRecord, zeroPosition: boolean) {
  const text = Buffer.from(r.data).toString('utf8');
  const metadata = r.metadata.length > 0 ? parseJson(Buffer.from(r.metadata).toString('utf8'), r.metadata) : undefined;
  const data = r.isJson ? parseJson(text, text) : r.data;
  const position = zeroPosition ? { commit: 0n, prepare: 0n } : { ...r.position };
  return { streamId: r.streamId, id: r.id, revision: r.revision, type: r.type, data, metadata, isJson: r.isJson, created: r.created, position };
}

/** A resolved event of a `$all` read or subscription: the record plus its commit position. */
function toAllEvent(r: StoredRecord) {
  return { event: toClientRecord(r, false), commitPosition: r.position.commit };
}

/** The client's errors for a lost connection or an expired deadline, wrapping a gRPC ServiceError as it does. */
function commandError(kind: Fault['kind']): Error {
  const [code, details, Type] = kind === 'deadline-exceeded' ? [4, 'DEADLINE_EXCEEDED: Deadline exceeded', DeadlineExceededError] : [14, 'UNAVAILABLE: Connection dropped', UnavailableError];
  return new Type(Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} }) as never);
}

function compare(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

function parseJson(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}
