/**
 * Where data keys live, wrapped by the master key. Adapters: sqlite/ (embedded:
 * `DATA_DIR/data-keys.sqlite`) and mongodb/ (distributed: the `data_keys` collection); both run
 * test/data-key-store.contract.ts.
 *
 * A key is made before anything is sealed with it and knows no person: the first event sealed
 * with it says whose it is (its stream). Keys are made in batches, ahead of need, so that a new
 * person costs no write here. Destroying a key leaves a tombstone: its id stays known as
 * destroyed, so a reader tells an erased person's data ("[erased]") from a key this store never
 * had (an error: the wrong DATA_DIR or database must not pass for an erasure).
 */
export interface StoredDataKey {
  keyId: string;
  /** The wrapped key; null once destroyed. */
  wrapped: Buffer | null;
}

export abstract class DataKeyStore {
  /** Stores new keys; durable when it resolves (a key must outlive every event sealed with it). */
  abstract add(keys: ReadonlyArray<{ keyId: string; wrapped: Buffer }>): Promise<void>;
  /** Keys by id, destroyed ones included; ids this store never had are absent from the answer. */
  abstract byIds(keyIds: readonly string[]): Promise<Map<string, StoredDataKey>>;
  /**
   * Destroys keys: their wrapped bytes are gone from the store, including the copies a database
   * file keeps of changed rows (SQLite: secure_delete, WAL truncated). Idempotent.
   */
  abstract destroy(keyIds: readonly string[]): Promise<void>;
  /**
   * Forgets what the store keeps in memory of earlier answers (a pass over its keys, see the
   * MongoDB store): this process read an erasure, whose keys may have been destroyed elsewhere.
   */
  forgetPass(): void {}
  /** The master-key check value the store was first opened with; `check` becomes it when there is none yet. */
  abstract masterKeyCheck(check: string): Promise<string>;
  abstract close(): Promise<void>;
}
