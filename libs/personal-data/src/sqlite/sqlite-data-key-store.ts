import Database from 'better-sqlite3';
import { truncateWal } from '@lib/event-store';
import { DataKeyStore, StoredDataKey } from '../data-key-store.port';

interface KeyRow {
  key_id: string;
  wrapped: Buffer | null;
}

/**
 * The embedded key store: its own SQLite file beside the event log, so that erasing a key
 * rewrites a small file and never the log. `secure_delete` zeroes what a destroyed row held,
 * and after a destruction the WAL is checkpointed and truncated, so no old page keeps a key.
 * Commits are fsynced (synchronous FULL): a key must survive a power loss that its events
 * (committed after it) survive; keys are added in batches, so this costs little.
 */
export class SqliteDataKeyStore extends DataKeyStore {
  private readonly db: Database.Database;
  private readonly st;

  constructor(file: string) {
    super();
    const db = (this.db = new Database(file));
    db.pragma('busy_timeout = 10000');
    // SQLite's own default (2 MB), not the driver's 16 MB: reads here are few and small.
    db.pragma('cache_size = -2000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('secure_delete = ON');
    db.exec(`
      CREATE TABLE IF NOT EXISTS data_keys (
        key_id       TEXT PRIMARY KEY,
        wrapped      BLOB,
        created_at   TEXT NOT NULL,
        destroyed_at TEXT
      );
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    const insert = db.prepare('INSERT INTO data_keys (key_id, wrapped, created_at) VALUES (?, ?, ?)');
    const destroy = db.prepare('UPDATE data_keys SET wrapped = NULL, destroyed_at = ? WHERE key_id = ? AND wrapped IS NOT NULL');
    this.st = {
      // One statement for a whole batch of ids (a JSON array): a replay loads thousands at a time.
      byIds: db.prepare<[string], KeyRow>('SELECT key_id, wrapped FROM data_keys WHERE key_id IN (SELECT value FROM json_each(?))'),
      add: db.transaction((keys: ReadonlyArray<{ keyId: string; wrapped: Buffer }>, at: string) => {
        for (const k of keys) insert.run(k.keyId, k.wrapped, at);
      }),
      destroy: db.transaction((keyIds: readonly string[], at: string) => {
        for (const id of keyIds) destroy.run(at, id);
      }),
      check: db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'master_key_check'"),
      setCheck: db.prepare("INSERT INTO meta (key, value) VALUES ('master_key_check', ?) ON CONFLICT (key) DO NOTHING"),
    };
  }

  async add(keys: ReadonlyArray<{ keyId: string; wrapped: Buffer }>): Promise<void> {
    this.st.add.immediate(keys, new Date().toISOString());
  }

  async byIds(keyIds: readonly string[]): Promise<Map<string, StoredDataKey>> {
    const found = new Map<string, StoredDataKey>();
    if (keyIds.length === 0) return found;
    for (const row of this.st.byIds.all(JSON.stringify(keyIds))) found.set(row.key_id, { keyId: row.key_id, wrapped: row.wrapped });
    return found;
  }

  async destroy(keyIds: readonly string[]): Promise<void> {
    this.st.destroy.immediate(keyIds, new Date().toISOString());
    // The old page images (with the wrapped keys) live on in the WAL until it is checkpointed and
    // cut; also when nothing was left to destroy (a retry after a failed truncation).
    await truncateWal(this.db);
  }

  async masterKeyCheck(check: string): Promise<string> {
    this.st.setCheck.run(check);
    return this.st.check.get()!.value;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
