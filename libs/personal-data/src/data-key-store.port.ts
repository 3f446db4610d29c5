/**
 * Where data keys live: one per subject (a person), wrapped by the master key. Adapters:
 * sqlite/ (embedded: `DATA_DIR/data-keys.sqlite`) and mongodb/ (distributed: the `data_keys`
 * collection); both run test/data-key-store.contract.ts.
 *
 * Destroying a key leaves a tombstone: its id stays known as destroyed, so a reader can tell an
 * erased person's data (shown as "[erased]") from a key this store never had (an error: a wrong
 * DATA_DIR or database, which must not pass for an erasure).
 */
export interface StoredDataKey {
  keyId: string;
  subject: string;
  /** The wrapped key; null once destroyed. */
  wrapped: Buffer | null;
}

export abstract class DataKeyStore {
  /** The subject's live key, or null when it has none (never had one, or it was destroyed). */
  abstract current(subject: string): Promise<StoredDataKey | null>;
  /**
   * Stores `candidate` as the subject's live key unless it has one already, and answers the one
   * that is live: concurrent creations for a subject, in any process, all get the same key.
   * Durable when it resolves (the key must outlive every event sealed with it).
   */
  abstract create(subject: string, candidate: { keyId: string; wrapped: Buffer }): Promise<StoredDataKey & { wrapped: Buffer }>;
  /** Keys by id, destroyed ones included; ids this store never had are absent from the answer. */
  abstract byIds(keyIds: readonly string[]): Promise<Map<string, StoredDataKey>>;
  /**
   * Destroys the subject's live key: its wrapped bytes are gone from the store, including the
   * copies a database file keeps of changed rows (SQLite: secure_delete, WAL truncated). A
   * subject without a live key is left as it is. Answers the id of the destroyed key, or null.
   */
  abstract destroy(subject: string): Promise<string | null>;
  /** The master-key check value the store was first opened with; `check` becomes it when there is none yet. */
  abstract masterKeyCheck(check: string): Promise<string>;
  abstract close(): Promise<void>;
}

/** Prefix of a destroyed key's subject: the subject is free for a new key, the tombstone stays unique. */
export const destroyedSubject = (keyId: string) => `destroyed:${keyId}`;
