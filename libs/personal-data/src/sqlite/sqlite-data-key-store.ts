import Database from 'better-sqlite3';
import { truncateWal } from '@lib/event-store';
import { DataKeyStore, destroyedSubject, StoredDataKey } from '../data-key-store.port';

interface KeyRow {
  key_id: string;
  subject: string;
  wrapped: Buffer | null;
}

interface PendingCreate {
  subject: string;
  candidate: { keyId: string; wrapped: Buffer };
  resolve(key: StoredDataKey & { wrapped: Buffer }): void;
  reject(error: unknown): void;
}

const toKey = (row: KeyRow): StoredDataKey => ({ keyId: row.key_id, subject: row.subject, wrapped: row.wrapped });

/**
 * The embedded key store: its own SQLite file beside the event log, so that erasing a key
 * rewrites a small file and never the log. `secure_delete` zeroes what a destroyed row held,
 * and after a destruction the WAL is checkpointed and truncated, so no old page keeps a key.
 * Commits are fsynced (synchronous FULL): a key must survive a power loss that its events
 * (committed after it) survive. Creations of one event-loop turn share one transaction.
 */
export class SqliteDataKeyStore extends DataKeyStore {
  private readonly db: Database.Database;
  private readonly st;
  private pending: PendingCreate[] = [];
  private closed = false;

  constructor(file: string) {
    super();
    const db = (this.db = new Database(file));
    db.pragma('busy_timeout = 10000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('secure_delete = ON');
    db.exec(`
      CREATE TABLE IF NOT EXISTS data_keys (
        key_id       TEXT PRIMARY KEY,
        subject      TEXT NOT NULL UNIQUE,
        wrapped      BLOB,
        created_at   TEXT NOT NULL,
        destroyed_at TEXT
      );
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.st = {
      bySubject: db.prepare<[string], KeyRow>('SELECT key_id, subject, wrapped FROM data_keys WHERE subject = ?'),
      byId: db.prepare<[string], KeyRow>('SELECT key_id, subject, wrapped FROM data_keys WHERE key_id = ?'),
      insert: db.prepare('INSERT INTO data_keys (key_id, subject, wrapped, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (subject) DO NOTHING'),
      destroy: db.prepare('UPDATE data_keys SET subject = ?, wrapped = NULL, destroyed_at = ? WHERE key_id = ?'),
      check: db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'master_key_check'"),
      setCheck: db.prepare("INSERT INTO meta (key, value) VALUES ('master_key_check', ?) ON CONFLICT (key) DO NOTHING"),
    };
  }

  async current(subject: string): Promise<StoredDataKey | null> {
    const row = this.st.bySubject.get(subject);
    return row ? toKey(row) : null;
  }

  create(subject: string, candidate: { keyId: string; wrapped: Buffer }): Promise<StoredDataKey & { wrapped: Buffer }> {
    if (this.closed) return Promise.reject(new Error('data key store is closed'));
    return new Promise((resolve, reject) => {
      if (this.pending.push({ subject, candidate, resolve, reject }) === 1) setImmediate(() => this.commitPending());
    });
  }

  private commitPending(): void {
    const group = this.pending;
    this.pending = [];
    const at = new Date().toISOString();
    let rows: KeyRow[];
    try {
      rows = this.db.transaction(() =>
        group.map(({ subject, candidate }) => {
          this.st.insert.run(candidate.keyId, subject, candidate.wrapped, at);
          return this.st.bySubject.get(subject)!;
        }),
      ).immediate();
    } catch (error) {
      for (const create of group) create.reject(error);
      return;
    }
    group.forEach((create, i) => create.resolve(toKey(rows[i]) as StoredDataKey & { wrapped: Buffer }));
  }

  async byIds(keyIds: readonly string[]): Promise<Map<string, StoredDataKey>> {
    const found = new Map<string, StoredDataKey>();
    for (const id of keyIds) {
      const row = this.st.byId.get(id);
      if (row) found.set(id, toKey(row));
    }
    return found;
  }

  async destroy(subject: string): Promise<string | null> {
    const destroyed = this.db
      .transaction(() => {
        const live = this.st.bySubject.get(subject);
        if (live) this.st.destroy.run(destroyedSubject(live.key_id), new Date().toISOString(), live.key_id);
        return live?.key_id ?? null;
      })
      .immediate();
    // The old page images (with the wrapped key) live on in the WAL until it is checkpointed and
    // cut; also when this call found nothing to destroy (a retry after a failed truncation).
    truncateWal(this.db);
    return destroyed;
  }

  async masterKeyCheck(check: string): Promise<string> {
    this.st.setCheck.run(check);
    return this.st.check.get()!.value;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.pending.length > 0) this.commitPending();
    this.closed = true;
    this.db.close();
  }
}
