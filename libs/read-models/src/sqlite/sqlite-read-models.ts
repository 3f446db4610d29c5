import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { startWalCheckpointer, truncateWal, WalCheckpointer } from '@lib/event-store';
import { comparePositionsNaturally, PositionComparator } from '../positions';
import { AppliedEventRef, ForeignCheckpointError, ReadModelStore, UnknownProjectionError } from '../read-model';
import type { SqliteStorage } from './sqlite-storage';
import { buildLateIndexes, dropLateIndexes } from './late-indexes';
import { SqliteShadowThread } from './sqlite-shadow-thread';
import { InCallOrder } from '../in-call-order';

export interface SqliteReadModelsOptions {
  /** The event store's position order; the default understands numeric and "C:1/P:2"-like positions. */
  comparePositions?: PositionComparator;
  /** How long a writer waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

const BOOKKEEPING = `
CREATE TABLE IF NOT EXISTS projection_streams (
  projection TEXT NOT NULL,
  stream_id  TEXT NOT NULL,
  revision   INTEGER NOT NULL,
  PRIMARY KEY (projection, stream_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  projection TEXT PRIMARY KEY,
  position   TEXT NOT NULL,
  log        TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS read_model_versions (
  name    TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** A shadow's file and whatever SQLite may have left beside it (from any journal mode). */
const SHADOW_FILES = ['', '-wal', '-shm', '-journal'];

interface PendingBatch {
  projection: string;
  events: ReadonlyArray<{ ref: AppliedEventRef; changes: unknown[] }>;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The embedded read store: one SQLite file (or ':memory:'), WAL mode so readers never wait
 * for the projector, and a busy timeout so several processes can share the file. Each read
 * model registers its storage by projection name; writes only come through `apply`, one
 * IMMEDIATE transaction per event. Read models query `database` with their own statements.
 */
export class SqliteReadModels extends ReadModelStore {
  readonly database: Database.Database;
  private readonly compare: PositionComparator;
  private readonly batches = new InCallOrder();
  private readonly writers = new Map<string, (change: unknown) => void>();
  private readonly batchWriters = new Map<string, (changes: readonly unknown[]) => void>();
  private readonly st;
  private readonly applyTx;
  private readonly groupTx;
  private readonly groupTxInSavepoints;
  private log: string | null = null;
  private closed = false;
  /**
   * A shadow is written by its rebuild alone, in log order from its own checkpoint: no event it
   * gets was applied to it before, so a batch reads no stream's revision (the live file may have
   * other writers, and a replayed event must be recognised there).
   */
  private readonly inLogOrder: boolean;
  private readonly checkpointer: WalCheckpointer | null;

  constructor(
    readonly file: string,
    private readonly storages: Readonly<Record<string, SqliteStorage<any>>>,
    private readonly options: SqliteReadModelsOptions = {},
    /** A rebuild's shadow (openShadow): a scratch file that only its rebuild writes and reads. */
    shadow = false,
  ) {
    super();
    this.compare = options.comparePositions ?? comparePositionsNaturally;
    this.inLogOrder = shadow;
    const db = (this.database = new Database(file));
    // Before anything else: switching to WAL itself needs a lock another process may hold.
    db.pragma(`busy_timeout = ${Math.floor(options.busyTimeoutMs ?? 10000)}`);
    if (shadow) {
      // Nothing of a shadow has to survive a crash: an interrupted rebuild is thrown away (openShadow
      // starts every attempt from an empty file), and a finished one is copied into the live file
      // in a live transaction, as durable as any. So no WAL (nor its checkpoints), no fsync; the
      // journal stays (in memory) because a failed batch is rolled back and written again.
      db.pragma('journal_mode = MEMORY');
      db.pragma('synchronous = OFF');
      this.checkpointer = null;
    } else {
      db.pragma('journal_mode = WAL');
      this.checkpointer = file === ':memory:' ? null : startWalCheckpointer(db, file);
      // NORMAL in WAL mode survives process crashes; a lost tail after power loss is re-projected from the log.
      db.pragma('synchronous = NORMAL');
    }
    // What is deleted (an erased user's rows) is overwritten with zeros, not left in free space.
    db.pragma('secure_delete = ON');
    // Savepoints and multi-row statements journal the pages they change: in memory, not in a
    // temporary file opened, written and deleted for every transaction.
    db.pragma('temp_store = MEMORY');
    // Only takes effect on a new file; string order must be code-point order for the list queries.
    db.pragma("encoding = 'UTF-8'");
    db.transaction(() => {
      db.exec(BOOKKEEPING);
      for (const [name, storage] of Object.entries(storages)) {
        this.migrate(name, storage);
        if (shadow) dropLateIndexes(db, storage);
      }
    }).immediate();
    for (const [name, storage] of Object.entries(storages)) {
      const write = storage.open(db);
      this.writers.set(name, write);
      this.batchWriters.set(
        name,
        storage.openBatch?.(db) ??
          ((changes) => {
            for (const change of changes) write(change);
          }),
      );
    }

    this.st = {
      revision: db.prepare<[string, string], { revision: number }>('SELECT revision FROM projection_streams WHERE projection = ? AND stream_id = ?'),
      insertRevision: db.prepare('INSERT INTO projection_streams (projection, stream_id, revision) VALUES (?, ?, ?) ON CONFLICT (projection, stream_id) DO NOTHING'),
      setRevision: db.prepare(
        `INSERT INTO projection_streams (projection, stream_id, revision) VALUES (?, ?, ?)
         ON CONFLICT (projection, stream_id) DO UPDATE SET revision = excluded.revision`,
      ),
      checkpoint: db.prepare<[string], { position: string; log: string | null }>('SELECT position, log FROM projection_checkpoints WHERE projection = ?'),
      setCheckpoint: db.prepare(
        `INSERT INTO projection_checkpoints (projection, position, log) VALUES (?, ?, ?)
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position, log = excluded.log`,
      ),
      clearRevisions: db.prepare('DELETE FROM projection_streams WHERE projection = ?'),
      clearCheckpoint: db.prepare('DELETE FROM projection_checkpoints WHERE projection = ?'),
    };
    this.applyTx = db.transaction((projection: string, ref: AppliedEventRef, changes: unknown[]): boolean => {
      const checkpoint = this.checkedCheckpoint(projection);
      const last = this.st.revision.get(projection, ref.streamId)?.revision;
      const fresh = last === undefined || ref.streamRevision > last;
      if (!fresh && changes.length > 0) this.appliedElsewhere(projection);
      if (fresh) {
        const write = changes.length ? this.writerOf(projection) : null;
        for (const change of changes) write!(change);
        this.st.setRevision.run(projection, ref.streamId, ref.streamRevision);
      }
      if (checkpoint === null || this.compare(ref.position, checkpoint) > 0) this.st.setCheckpoint.run(projection, ref.position, this.log);
      return fresh;
    });
    const batchTx = db.transaction((projection: string, events: PendingBatch['events']) => this.applyBatchRows(projection, events));
    // Without a savepoint per batch while no batch fails (each would journal every page it
    // changes); a batch that throws aborts the group, which is then written again with them.
    const group = (savepoints: boolean) =>
      db.transaction((batches: PendingBatch[], failures: unknown[]) => {
        batches.forEach((batch, i) => {
          if (!savepoints) return this.applyBatchRows(batch.projection, batch.events);
          try {
            batchTx(batch.projection, batch.events);
          } catch (error) {
            failures[i] = error;
          }
        });
      });
    this.groupTx = group(false);
    this.groupTxInSavepoints = group(true);
  }

  /** A read model whose version changed is dropped and rebuilt by replay. */
  private migrate(name: string, storage: SqliteStorage): void {
    const db = this.database;
    const row = db.prepare<[string], { version: number }>('SELECT version FROM read_model_versions WHERE name = ?').get(name);
    if (row && row.version !== storage.version) {
      for (const table of storage.tables) db.exec(`DROP TABLE IF EXISTS ${table}`);
      db.prepare('DELETE FROM projection_streams WHERE projection = ?').run(name);
      db.prepare('DELETE FROM projection_checkpoints WHERE projection = ?').run(name);
    }
    db.exec(storage.ddl);
    db.prepare('INSERT INTO read_model_versions (name, version) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version').run(name, storage.version);
  }

  async bindLog(identity: string): Promise<void> {
    this.log = identity;
  }

  async apply(projection: string, ref: AppliedEventRef, changes: unknown[]): Promise<boolean> {
    // IMMEDIATE: take the write lock before reading the bookkeeping, so two processes applying
    // the same event cannot both see it as new.
    try {
      return this.applyTx.immediate(projection, ref, changes);
    } catch (error) {
      this.rolledBack([projection]);
      throw error;
    }
  }

  /** What a storage kept in memory of writes that were rolled back is not in its tables. */
  private rolledBack(projections: Iterable<string>): void {
    for (const projection of new Set(projections)) this.storages[projection]?.replaced?.(this.database);
  }

  /**
   * Batches are committed in groups: the batches of every projection asked for in one
   * event-loop turn (one append wakes them all) share one transaction, and a failing batch
   * fails alone and wholly (the group is then written again, each batch in a savepoint). Within a batch the bookkeeping is written where it
   * matters: the revision of events that changed something (an event without changes is
   * idempotent by itself) and the checkpoint once, at the batch's last position.
   */
  private pendingBatches: PendingBatch[] = [];

  /** Overlapping calls for one projection run one after the other (InCallOrder): a group holds one batch of each. */
  override applyBatch(projection: string, events: ReadonlyArray<{ ref: AppliedEventRef; changes: unknown[] }>): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const queued = () =>
      new Promise<void>((resolve, reject) => {
        if (this.pendingBatches.push({ projection, events, resolve, reject }) === 1) setImmediate(() => this.commitPendingBatches());
      });
    return this.batches.run(projection, queued);
  }

  private commitPendingBatches(): void {
    const group = this.pendingBatches;
    this.pendingBatches = [];
    let failures: unknown[] = [];
    try {
      // IMMEDIATE: take the write lock before reading the bookkeeping (see `apply`).
      try {
        this.groupTx.immediate(group, failures);
      } catch {
        this.rolledBack(group.map((batch) => batch.projection));
        failures = [];
        this.groupTxInSavepoints.immediate(group, failures);
        this.rolledBack(group.filter((_, i) => failures[i] !== undefined).map((batch) => batch.projection));
      }
    } catch (error) {
      this.rolledBack(group.map((batch) => batch.projection));
      for (const batch of group) batch.reject(error);
      return;
    }
    group.forEach((batch, i) => (failures[i] === undefined ? batch.resolve() : batch.reject(failures[i])));
  }

  /**
   * The changes of the batch's fresh events go to the storage at once, and each stream's
   * revision is written once, the batch's last: events of one stream come in revision order, so
   * the revision this batch reached stands in for the stored one for its later events.
   */
  private applyBatchRows(projection: string, events: PendingBatch['events']): void {
    const checkpoint = this.checkedCheckpoint(projection);
    let last: string | null = null;
    const reached = new Map<string, number>();
    /** Streams whose row already holds the revision they reached (a new stream's first event, inserted as seen). */
    const stored = new Map<string, number>();
    const changes: unknown[] = [];
    for (const { ref, changes: own } of events) {
      if (last === null || this.compare(ref.position, last) > 0) last = ref.position;
      if (own.length === 0) continue;
      let applied = reached.get(ref.streamId);
      // A shadow is written in log order by its rebuild alone: nothing stored can be newer.
      if (applied === undefined && !this.inLogOrder) {
        // A stream's first event (a new user's) most likely finds no row: one insert both checks
        // and records it, instead of a lookup now and a write at the end.
        if (ref.streamRevision === 0 && this.st.insertRevision.run(projection, ref.streamId, 0).changes === 1) stored.set(ref.streamId, 0);
        else applied = this.st.revision.get(projection, ref.streamId)?.revision;
      }
      if (applied !== undefined && ref.streamRevision <= applied) {
        this.appliedElsewhere(projection);
        continue;
      }
      for (const change of own) changes.push(change);
      reached.set(ref.streamId, ref.streamRevision);
    }
    if (changes.length > 0) {
      const write = this.batchWriters.get(projection);
      if (!write) throw new UnknownProjectionError(projection);
      write(changes);
    }
    for (const [streamId, revision] of reached) if (stored.get(streamId) !== revision) this.st.setRevision.run(projection, streamId, revision);
    if (last !== null && (checkpoint === null || this.compare(last, checkpoint) > 0)) this.st.setCheckpoint.run(projection, last, this.log);
  }

  async getCheckpoint(projection: string): Promise<string | null> {
    return this.checkedCheckpoint(projection);
  }

  private checkedCheckpoint(projection: string): string | null {
    const row = this.st.checkpoint.get(projection);
    if (!row) return null;
    if (this.log !== null && row.log !== null && row.log !== this.log) throw new ForeignCheckpointError(projection, row.log, this.log);
    return row.position;
  }

  async reset(projection: string): Promise<void> {
    this.database
      .transaction(() => {
        for (const table of this.storages[projection]?.tables ?? []) this.database.prepare(`DELETE FROM ${table}`).run();
        this.st.clearRevisions.run(projection);
        this.st.clearCheckpoint.run(projection);
      })
      .immediate();
    this.storages[projection]?.replaced?.(this.database);
  }

  /** On a thread of its own when the storage says where one finds it (SqliteStorage.thread). */
  async openShadow(projection: string): Promise<SqliteReadModels | SqliteShadowThread> {
    const storage = this.storages[projection];
    if (!storage) throw new UnknownProjectionError(projection);
    if (this.file === ':memory:') throw new Error('an in-memory read store cannot be rebuilt beside itself');
    const shadowFile = `${this.file}.rebuild-${projection}`;
    for (const suffix of SHADOW_FILES) rmSync(shadowFile + suffix, { force: true });
    const { thread } = storage;
    if (thread) return new SqliteShadowThread(shadowFile, projection, { ...storage, thread }, { busyTimeoutMs: this.options.busyTimeoutMs, log: this.log });
    const shadow = new SqliteReadModels(shadowFile, { [projection]: storage }, this.options, true);
    if (this.log !== null) await shadow.bindLog(this.log);
    return shadow;
  }

  /** A shadow's last step before its swap: the indexes its load went without (late-indexes.ts). */
  async finishLoad(): Promise<void> {
    if (!this.inLogOrder) throw new Error('only a shadow is loaded without its indexes');
    for (const storage of Object.values(this.storages)) buildLateIndexes(this.database, storage);
  }

  /**
   * The copy runs inside one IMMEDIATE transaction on the live file: projectors sharing the
   * file wait for it (readers do not, WAL), so no event can land between catch-up and swap.
   */
  async swapIn(projection: string, shadow: ReadModelStore, catchUp: (livePosition: string | null) => Promise<void>): Promise<void> {
    if (!(shadow instanceof SqliteReadModels || shadow instanceof SqliteShadowThread) || shadow === this || shadow.file === this.file) throw new Error('swapIn needs a shadow from openShadow');
    const storage = this.storages[projection];
    if (!storage) throw new UnknownProjectionError(projection);
    const db = this.database;
    // Outside the live lock: the catch-up's few events then write to the complete shadow.
    await shadow.finishLoad();
    db.prepare('ATTACH DATABASE ? AS shadow').run(shadow.file);
    try {
      // A deferred transaction plus one real write takes the write lock of the live file only:
      // BEGIN IMMEDIATE would also lock the attached shadow, which catch-up still writes to.
      db.exec('BEGIN');
      try {
        db.prepare('UPDATE main.read_model_versions SET version = version WHERE name = ?').run(projection);
        let live: string | null = null;
        try {
          live = this.checkedCheckpoint(projection);
        } catch (err) {
          if (!(err instanceof ForeignCheckpointError)) throw err;
        }
        await catchUp(live);
        for (const table of storage.tables) {
          db.exec(`DELETE FROM main.${table}`);
          db.exec(`INSERT INTO main.${table} SELECT * FROM shadow.${table}`);
        }
        this.st.clearRevisions.run(projection);
        this.st.clearCheckpoint.run(projection);
        db.prepare('INSERT INTO main.projection_streams SELECT * FROM shadow.projection_streams WHERE projection = ?').run(projection);
        db.prepare('INSERT INTO main.projection_checkpoints SELECT * FROM shadow.projection_checkpoints WHERE projection = ?').run(projection);
        db.exec('COMMIT');
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      } finally {
        storage.replaced?.(db);
      }
    } finally {
      db.exec('DETACH DATABASE shadow');
      await shadow.close();
      for (const suffix of SHADOW_FILES) rmSync(shadow.file + suffix, { force: true });
    }
  }

  async purgeDeleted(): Promise<void> {
    await truncateWal(this.database);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Batches already asked for are committed (and answered) before the file closes.
    if (this.pendingBatches.length > 0) this.commitPendingBatches();
    this.closed = true;
    await this.checkpointer?.close();
    this.database.close();
  }

  /**
   * An event with changes was applied before (a replay, or another process projecting into the
   * same file): this process did not see that write, so what it keeps in memory is void.
   */
  private appliedElsewhere(projection: string): void {
    this.storages[projection]?.replaced?.(this.database);
  }

  private writerOf(projection: string): (change: unknown) => void {
    const write = this.writers.get(projection);
    if (!write) throw new UnknownProjectionError(projection);
    return write;
  }
}
