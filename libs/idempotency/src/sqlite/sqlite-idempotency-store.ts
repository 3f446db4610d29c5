import Database from 'better-sqlite3';
import { startWalCheckpointer, WalCheckpointer } from '@lib/event-store';
import { IdempotencyRecord, IdempotencyStore, NewAttempt, RecordKey } from '../idempotency-store.port';

interface Row {
  fingerprint: string;
  attempt_id: string;
  lease_until: number;
  first_stream: string | null;
  answer: Buffer | null;
  expires_at: number;
}

interface PendingOperation {
  run(): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const toRecord = (row: Row): IdempotencyRecord => ({
  fingerprint: row.fingerprint,
  attemptId: row.attempt_id,
  leaseUntil: row.lease_until,
  firstStream: row.first_stream,
  answer: row.answer,
  expiresAt: row.expires_at,
});

/**
 * The embedded idempotency store: its own SQLite file (WAL, checkpointed by a worker thread)
 * beside the event log, so that its writes never wait behind the log's batched transactions.
 * Every operation is atomic across the processes that share DATA_DIR (its statements run in an
 * IMMEDIATE transaction, with the other operations of its event-loop turn) and resolves once
 * committed to the WAL, so an answered request's record survives a `kill -9`.
 */
export class SqliteIdempotencyStore extends IdempotencyStore {
  private readonly db: Database.Database;
  private readonly checkpointer: WalCheckpointer;
  private readonly statements;
  private readonly commitGroup;
  private pending: PendingOperation[] = [];

  constructor(file: string) {
    super();
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    // SQLite's own default (2 MB), not the driver's 16 MB: reads here are few and small.
    this.db.pragma('cache_size = -2000');
    // A dropped or expired answer is overwritten with zeros, not left in a free page.
    this.db.pragma('secure_delete = ON');
    // Checkpoints inside a commit cost a third of an idempotent request's store time: off the event loop.
    this.checkpointer = startWalCheckpointer(this.db, file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS idempotency_keys (
        project_id   TEXT NOT NULL,
        key_id       TEXT NOT NULL,
        fingerprint  TEXT NOT NULL,
        attempt_id   TEXT NOT NULL,
        lease_until  INTEGER NOT NULL,
        first_stream TEXT,
        answer       BLOB,
        expires_at   INTEGER NOT NULL,
        -- A rowid table: rows carry sealed answers of a kilobyte or more, too large for WITHOUT ROWID pages.
        UNIQUE (project_id, key_id)
      );
      CREATE INDEX IF NOT EXISTS idempotency_keys_by_expiry ON idempotency_keys (expires_at);
      -- The streams each answered attempt wrote: how an erasure finds the answers about a person.
      CREATE TABLE IF NOT EXISTS idempotency_streams (
        project_id TEXT NOT NULL,
        stream_id  TEXT NOT NULL,
        key_id     TEXT NOT NULL,
        attempt_id TEXT NOT NULL,
        PRIMARY KEY (project_id, stream_id, key_id)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS idempotency_streams_by_key ON idempotency_streams (project_id, key_id);
    `);
    const where = 'project_id = @projectId AND key_id = @keyId AND attempt_id = @attemptId';
    this.statements = {
      // Inserts, or replaces a record that has expired; a live record stays as it is (0 changes).
      claim: this.db.prepare(`
        INSERT INTO idempotency_keys (project_id, key_id, fingerprint, attempt_id, lease_until, first_stream, answer, expires_at)
        VALUES (@projectId, @keyId, @fingerprint, @attemptId, @leaseUntil, NULL, NULL, @expiresAt)
        ON CONFLICT (project_id, key_id) DO UPDATE SET
          fingerprint = excluded.fingerprint, attempt_id = excluded.attempt_id, lease_until = excluded.lease_until,
          first_stream = NULL, answer = NULL, expires_at = excluded.expires_at
        WHERE idempotency_keys.expires_at <= @now`),
      get: this.db.prepare<RecordKey, Row>('SELECT * FROM idempotency_keys WHERE project_id = @projectId AND key_id = @keyId'),
      takeOver: this.db.prepare(`
        UPDATE idempotency_keys SET attempt_id = @attemptId, lease_until = @leaseUntil, first_stream = NULL
        WHERE project_id = @projectId AND key_id = @keyId AND attempt_id = @previousAttemptId
          AND answer IS NULL AND lease_until <= @now AND expires_at > @now`),
      recordFirstStream: this.db.prepare(`
        UPDATE idempotency_keys SET first_stream = @streamId
        WHERE ${where} AND answer IS NULL AND first_stream IS NULL AND lease_until >= @leaseAtLeast`),
      saveAnswer: this.db.prepare(`UPDATE idempotency_keys SET answer = @answer, lease_until = 0 WHERE ${where}`),
      noteStream: this.db.prepare(`
        INSERT INTO idempotency_streams (project_id, stream_id, key_id, attempt_id) VALUES (@projectId, @streamId, @keyId, @attemptId)
        ON CONFLICT DO UPDATE SET attempt_id = excluded.attempt_id`),
      dropAnswersAbout: this.db.prepare(`
        UPDATE idempotency_keys SET answer = NULL
        WHERE answer IS NOT NULL AND (project_id, key_id, attempt_id) IN (
          SELECT project_id, key_id, attempt_id FROM idempotency_streams WHERE project_id = @projectId AND stream_id = @streamId)`),
      release: this.db.prepare(`UPDATE idempotency_keys SET lease_until = 0 WHERE ${where} AND answer IS NULL`),
      forget: this.db.prepare(`DELETE FROM idempotency_keys WHERE ${where} AND answer IS NULL`),
      expired: this.db.prepare<{ now: number; limit: number }, RecordKey>(
        'SELECT project_id AS projectId, key_id AS keyId FROM idempotency_keys WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit',
      ),
      deleteRecord: this.db.prepare('DELETE FROM idempotency_keys WHERE project_id = @projectId AND key_id = @keyId'),
      deleteStreams: this.db.prepare('DELETE FROM idempotency_streams WHERE project_id = @projectId AND key_id = @keyId'),
    };
    this.commitGroup = this.db.transaction((group: PendingOperation[], outcomes: Array<{ value?: unknown; error?: unknown }>) => {
      for (const op of group) {
        try {
          outcomes.push({ value: op.run() });
        } catch (error) {
          outcomes.push({ error });
        }
      }
    });
  }

  async claim(key: RecordKey, attempt: NewAttempt, now: number): Promise<IdempotencyRecord | null> {
    return this.inGroup(() => {
      if (this.statements.claim.run({ ...key, ...attempt, now }).changes === 1) return null;
      // In the same transaction: the live record that kept the insert out.
      return toRecord(this.statements.get.get(key)!);
    });
  }

  takeOver(key: RecordKey, previousAttemptId: string, attempt: { attemptId: string; leaseUntil: number }, now: number): Promise<boolean> {
    return this.inGroup(() => this.statements.takeOver.run({ ...key, previousAttemptId, ...attempt, now }).changes === 1);
  }

  recordFirstStream(key: RecordKey, attemptId: string, streamId: string, leaseAtLeast: number): Promise<boolean> {
    return this.inGroup(() => this.statements.recordFirstStream.run({ ...key, attemptId, streamId, leaseAtLeast }).changes === 1);
  }

  saveAnswer(key: RecordKey, attemptId: string, answer: Buffer, wrote: readonly string[]): Promise<boolean> {
    return this.inGroup(() => {
      if (this.statements.saveAnswer.run({ ...key, attemptId, answer }).changes !== 1) return false;
      for (const streamId of wrote) this.statements.noteStream.run({ ...key, attemptId, streamId });
      return true;
    });
  }

  dropAnswersAbout(projectId: string, streamId: string): Promise<number> {
    return this.inGroup(() => this.statements.dropAnswersAbout.run({ projectId, streamId }).changes);
  }

  async release(key: RecordKey, attemptId: string): Promise<void> {
    await this.inGroup(() => this.statements.release.run({ ...key, attemptId }));
  }

  async forget(key: RecordKey, attemptId: string): Promise<void> {
    await this.inGroup(() => this.statements.forget.run({ ...key, attemptId }));
  }

  deleteExpired(now: number, limit: number): Promise<number> {
    return this.inGroup(() => {
      const expired = this.statements.expired.all({ now, limit });
      for (const key of expired) {
        this.statements.deleteStreams.run(key);
        this.statements.deleteRecord.run(key);
      }
      return expired.length;
    });
  }

  /**
   * The operations of one event-loop turn (the requests that arrived together) share one
   * transaction: a commit rewrites the touched pages into the WAL, and three commits per
   * idempotent request cost more than the request's own write. Each caller is answered once
   * the group is committed, so an answer is on disk before it is sent.
   */
  private inGroup<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.pending.push({ run, resolve: resolve as (value: unknown) => void, reject }) === 1) setImmediate(() => this.commitPending());
    });
  }

  private commitPending(): void {
    const group = this.pending;
    this.pending = [];
    const outcomes: Array<{ value?: unknown; error?: unknown }> = [];
    try {
      // IMMEDIATE takes the write lock first: another process's claim cannot slip between an insert and its read.
      this.commitGroup.immediate(group, outcomes);
    } catch (error) {
      for (const op of group) op.reject(error);
      return;
    }
    group.forEach((op, i) => ('error' in outcomes[i] ? op.reject(outcomes[i].error) : op.resolve(outcomes[i].value)));
  }

  async close(): Promise<void> {
    if (this.pending.length > 0 && this.db.open) this.commitPending();
    await this.checkpointer.close();
    if (this.db.open) this.db.close();
  }
}
