import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { AppendResult, EventHandler, EventStore, EventToAppend, ExpectedRevision, RecordedEvent, StreamAppend, Subscription } from '../event-store.port';
import { PendingAppend, SqliteCommitGroup, sortKeyOf } from './sqlite-commit-group';
import { startWalCheckpointer, WalCheckpointer } from './wal-checkpointer';

/** Events this process remembers as it committed them, for the subscriptions that read them next. */
const RECENT_EVENTS = 8192;

interface EventRow {
  position: number;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

export interface SqliteEventStoreOptions {
  /** How often subscriptions look for events appended by other processes sharing the file. */
  pollIntervalMs?: number;
  /** Events fetched per read while catching up. */
  batchSize?: number;
}

/**
 * Embedded event store: one SQLite file in WAL mode. The global position is the table's
 * integer row id, so the log order is the commit order. Several processes may share the
 * file: appends serialise on SQLite's write lock and subscriptions poll for foreign appends
 * (appends from this process wake them at once).
 */
export class SqliteEventStore extends EventStore {
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly statements;
  private readonly commitGroup: SqliteCommitGroup;
  private readonly logId: string;
  private closed = false;
  private readonly checkpointer: WalCheckpointer | null;

  constructor(file: string, options: SqliteEventStoreOptions = {}) {
    super();
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.batchSize = options.batchSize ?? 500;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode is durable across process crashes (not power loss) and much faster than FULL.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    // A savepoint's journal in memory, not in a temporary file made and deleted per transaction.
    this.db.pragma('temp_store = MEMORY');
    // 4 MB of pages, not the driver's 16 MB: a stream read costs the same (the pages come from the
    // OS's cache; measured over 100,000 users' streams) and the memory goal has room for it.
    this.db.pragma('cache_size = -4000');
    this.checkpointer = file === ':memory:' ? null : startWalCheckpointer(this.db, file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position  INTEGER PRIMARY KEY AUTOINCREMENT,
        id        TEXT NOT NULL UNIQUE,
        stream_id TEXT NOT NULL,
        revision  INTEGER NOT NULL,
        type      TEXT NOT NULL,
        data      TEXT NOT NULL,
        metadata  TEXT NOT NULL,
        UNIQUE (stream_id, revision)
      );
      CREATE TABLE IF NOT EXISTS meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);
    // The log's identity is drawn once, by whichever process creates the file first.
    const logId = this.db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'log_id'");
    if (!logId.get()) this.db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('log_id', ?)").run(randomUUID());
    this.logId = logId.get()!.value;
    this.appended.setMaxListeners(0);
    this.statements = {
      stream: this.db.prepare<[string, number], EventRow>('SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision'),
      all: this.db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?'),
    };
    this.commitGroup = new SqliteCommitGroup(this.db);
  }

  /**
   * Appends are committed in groups: the appends of one event-loop turn (the requests that
   * arrived together) share one SQLite transaction, each in its own savepoint, so one append's
   * conflict fails it alone. Every caller is answered after the commit, as before.
   */
  private pending: PendingAppend[] = [];

  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    return new Promise((resolve, reject) => this.enqueue({ parts: [{ streamId, events, expected }], resolve: (results) => resolve(results[0]), reject }));
  }

  override get appendsAtomically(): boolean {
    return true;
  }

  /** One savepoint of the turn's transaction for all the streams (see SqliteCommitGroup). */
  override appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 0 || appends.some((a) => a.events.length === 0)) return Promise.reject(new Error('append needs at least one event per stream'));
    if (new Set(appends.map((a) => a.streamId)).size < appends.length) return Promise.reject(new Error('appendToStreams needs distinct streams'));
    return new Promise((resolve, reject) => this.enqueue({ parts: appends, resolve, reject }));
  }

  private enqueue(append: PendingAppend): void {
    if (this.pending.push(append) === 1) setImmediate(() => this.commitPending());
  }

  private commitPending(): void {
    this.endTurnSnapshot();
    const group = this.pending;
    this.pending = [];
    let outcomes, committed;
    try {
      ({ outcomes, committed } = this.commitGroup.commit(group));
    } catch (error) {
      for (const append of group) append.reject(error);
      return;
    }
    this.remember(committed);
    // What this turn read before the append is no longer the whole log.
    this.turnReads.clear();
    this.appended.emit('append');
    group.forEach((append, i) => (outcomes[i].error === undefined ? append.resolve(outcomes[i].results!) : append.reject(outcomes[i].error)));
  }

  async readStream(streamId: string, from = 0): Promise<RecordedEvent[]> {
    this.shareTurnSnapshot();
    return this.statements.stream.all(streamId, from).map(toRecorded);
  }

  /**
   * The reads of one event-loop turn share one read transaction (a command's stream, its claims,
   * the subscriptions' pages): each read on its own would begin and end one, two locks of the
   * WAL's shared memory each. It ends before this process appends, and with the turn, so no read
   * misses an append of this process, nor one of another process for longer than the turn.
   */
  private turnSnapshot = false;

  private shareTurnSnapshot(): void {
    if (this.turnSnapshot || this.db.inTransaction) return;
    this.db.exec('BEGIN');
    this.turnSnapshot = true;
    setImmediate(() => this.endTurnSnapshot());
  }

  private endTurnSnapshot(): void {
    if (!this.turnSnapshot) return;
    this.turnSnapshot = false;
    if (this.db.inTransaction) this.db.exec('COMMIT');
  }

  /**
   * Reads of this event-loop turn, by position and count. Every projection's subscription wakes
   * on the same append and reads the same events at once: one query and one decoding serve them
   * all. Kept for one turn only, so a read never hides what another process appended since.
   */
  private readonly turnReads = new Map<string, RecordedEvent[]>();

  async readAll(after: string | null, maxCount: number): Promise<RecordedEvent[]> {
    return this.read(after, maxCount, false);
  }

  /** `following`: a subscription's read, which the next subscriptions will make too (see readFile). */
  private read(after: string | null, maxCount: number, following: boolean): RecordedEvent[] {
    const key = `${after ?? ''}/${maxCount}`;
    const known = this.turnReads.get(key);
    if (known) return known;
    if (this.turnReads.size === 0) setImmediate(() => this.turnReads.clear());
    const from = after === null ? 0 : Number(after);
    this.shareTurnSnapshot();
    const recent = this.recentAfter(from, maxCount);
    const events = recent.length === 0 ? this.readFile(from, maxCount, following) : recent;
    // Past this process's last commit only other processes' appends, if any.
    if (recent.length > 0 && recent.length < maxCount) for (const event of this.readFile(Number(recent[recent.length - 1].position), maxCount - recent.length, following)) events.push(event);
    this.turnReads.set(key, events);
    return events;
  }

  /**
   * Events from the file. A subscription's that extend what is remembered (or start it) are
   * remembered too, as read: a projector's subscriptions (or any that follow another process's
   * appends) read the same events one after another, each at its own pace, and only the first
   * then decodes them. Other reads (a replay, an export, the history) leave it alone.
   */
  private readFile(after: number, maxCount: number, following: boolean): RecordedEvent[] {
    const events = this.statements.all.all(after, maxCount).map(toRecorded);
    const end = this.recent.length === 0 ? null : Number(this.recent[this.recent.length - 1].position);
    if (!following || events.length === 0 || (end !== null && end !== after)) return events;
    this.remember(events);
    return events.map(copyOf);
  }

  /**
   * The events this process committed or its subscriptions read last, in log order without
   * gaps, as stored: what every subscription reads right after (see readAll), served without a
   * query or a JSON decoding.
   */
  private recent: RecordedEvent[] = [];

  private remember(committed: RecordedEvent[]): void {
    if (committed.length === 0) return;
    const first = Number(committed[0].position);
    const contiguous = committed.every((e, i) => Number(e.position) === first + i);
    const follows = this.recent.length > 0 && Number(this.recent[this.recent.length - 1].position) === first - 1;
    if (!contiguous || committed.length > RECENT_EVENTS) this.recent = [];
    else if (!follows) this.recent = committed;
    else {
      // The oldest go first: readers this far behind read the file.
      const over = this.recent.length + committed.length - RECENT_EVENTS;
      if (over > 0) this.recent.splice(0, over);
      for (const event of committed) this.recent.push(event);
    }
  }

  /**
   * Up to `maxCount` remembered events after position `after`; none unless the next event of the
   * log is among them. Copies: a reader may set fields of an event's data and metadata (the
   * personal-data store opens events in place), what is remembered stays as stored.
   */
  private recentAfter(after: number, maxCount: number): RecordedEvent[] {
    if (this.recent.length === 0) return [];
    const start = after + 1 - Number(this.recent[0].position);
    if (start < 0 || start >= this.recent.length) return [];
    return this.recent.slice(start, start + maxCount).map(copyOf);
  }

  subscribeAll(after: string | null, handler: EventHandler, onError?: (err: unknown) => void): Subscription {
    let position = after;
    let stopped = false;
    // Set by every local append, cleared before each read: an append that lands while the
    // handler is busy must not wait for the next poll.
    let appendedSinceRead = false;
    let wake: (() => void) | null = null;
    const onAppend = () => {
      appendedSinceRead = true;
      wake?.();
    };
    this.appended.on('append', onAppend);
    const sleep = () =>
      new Promise<void>((resolve) => {
        if (appendedSinceRead || stopped) return resolve();
        const timer = setTimeout(done, this.pollIntervalMs);
        function done() {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      });
    const loop = (async () => {
      try {
        while (!stopped && !this.closed) {
          appendedSinceRead = false;
          const batch = this.read(position, this.batchSize, true);
          for (const event of batch) {
            if (stopped) return;
            const handled = handler(event);
            if (handled) await handled;
            position = event.position;
          }
          if (batch.length < this.batchSize) await sleep();
        }
      } catch (err) {
        stopped = true;
        onError?.(err);
      } finally {
        this.appended.off('append', onAppend);
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        wake?.();
        await loop;
      },
    };
  }

  comparePositions(a: string | null, b: string | null): number {
    return (a === null ? -1 : Number(a)) - (b === null ? -1 : Number(b));
  }

  /** Counted on an index: no event read. */
  override async countAll(): Promise<number> {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events').get()!.n;
  }

  async identity(): Promise<string> {
    return this.logId;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already asked for are committed (and answered) before the file closes.
    if (this.pending.length > 0) this.commitPending();
    this.closed = true;
    this.endTurnSnapshot();
    this.appended.emit('append');
    await this.checkpointer?.close();
    this.db.close();
  }
}

/** A copy a reader may change the fields of `data` and `metadata` of, leaving the original as stored. */
const copyOf = (e: RecordedEvent): RecordedEvent => ({ ...e, data: { ...e.data }, metadata: { ...e.metadata } });

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    streamId: row.stream_id,
    revision: row.revision,
    position: String(row.position),
    sortKey: sortKeyOf(row.position),
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
  };
}
