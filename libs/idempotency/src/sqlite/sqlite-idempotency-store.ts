import Database from 'better-sqlite3';
import { IdempotencyRecord, IdempotencyStore, NewAttempt, RecordKey } from '../idempotency-store.port';

interface Row {
  fingerprint: string;
  attempt_id: string;
  lease_until: number;
  first_stream: string | null;
  answer: Buffer | null;
  expires_at: number;
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
 * The embedded idempotency store: its own SQLite file (WAL) beside the event log, so that its
 * writes never wait behind the log's batched transactions. Every operation is one statement,
 * atomic across the processes that share DATA_DIR; a commit is in the WAL before the statement
 * returns, so an answered request's record survives a `kill -9`.
 */
export class SqliteIdempotencyStore extends IdempotencyStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string) {
    super();
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
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
        PRIMARY KEY (project_id, key_id)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS idempotency_keys_by_expiry ON idempotency_keys (expires_at);
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
      release: this.db.prepare(`UPDATE idempotency_keys SET lease_until = 0 WHERE ${where} AND answer IS NULL`),
      forget: this.db.prepare(`DELETE FROM idempotency_keys WHERE ${where} AND answer IS NULL`),
      deleteExpired: this.db.prepare(`
        DELETE FROM idempotency_keys WHERE (project_id, key_id) IN (
          SELECT project_id, key_id FROM idempotency_keys WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit)`),
    };
  }

  async claim(key: RecordKey, attempt: NewAttempt, now: number): Promise<IdempotencyRecord | null> {
    for (;;) {
      if (this.statements.claim.run({ ...key, ...attempt, now }).changes === 1) return null;
      const row = this.statements.get.get(key);
      // Gone between the two statements (its holder forgot it): claim again.
      if (row) return toRecord(row);
    }
  }

  async takeOver(key: RecordKey, previousAttemptId: string, attempt: { attemptId: string; leaseUntil: number }, now: number): Promise<boolean> {
    return this.statements.takeOver.run({ ...key, previousAttemptId, ...attempt, now }).changes === 1;
  }

  async recordFirstStream(key: RecordKey, attemptId: string, streamId: string, leaseAtLeast: number): Promise<boolean> {
    return this.statements.recordFirstStream.run({ ...key, attemptId, streamId, leaseAtLeast }).changes === 1;
  }

  async saveAnswer(key: RecordKey, attemptId: string, answer: Buffer): Promise<boolean> {
    return this.statements.saveAnswer.run({ ...key, attemptId, answer }).changes === 1;
  }

  async release(key: RecordKey, attemptId: string): Promise<void> {
    this.statements.release.run({ ...key, attemptId });
  }

  async forget(key: RecordKey, attemptId: string): Promise<void> {
    this.statements.forget.run({ ...key, attemptId });
  }

  async deleteExpired(now: number, limit: number): Promise<number> {
    return this.statements.deleteExpired.run({ now, limit }).changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
