import { randomBytes, randomUUID } from 'node:crypto';
import { LruCache } from '@lib/client-info';
import type { DataKeyStore } from './data-key-store.port';
import { MasterKeyMismatchError, masterKeyCheck, unwrapDataKey, wrapDataKey } from './master-key';
import { KEY_BYTES } from './sealing';

/** An unwrapped data key. */
export interface DataKey {
  id: string;
  key: Buffer;
}

/** A sealed value names a key the key store never had: the wrong key store, not an erasure. */
export class UnknownDataKeyError extends Error {
  constructor(readonly keyIds: readonly string[]) {
    super(`data key(s) ${keyIds.join(', ')} are unknown to the key store: is it the one this event log was written with (DATA_DIR, MONGODB_URL/MONGODB_DATABASE)?`);
    this.name = 'UnknownDataKeyError';
  }
}

export interface DataKeysOptions {
  /** Unwrapped keys kept in memory, per cache (by subject, by id). */
  cacheSize?: number;
}

/** About 150 bytes each: 10,000 of them are a few MB, and every recently active user is a hit. */
const DEFAULT_CACHE_SIZE = 10_000;

/**
 * Per-person data keys: made on first use, kept wrapped in the key store, unwrapped keys cached
 * (bounded LRU) so that sealing and opening an event costs no store round trip. A destroyed key
 * leaves this process's caches at once; other processes drop theirs when they read the erasure
 * event that follows the destruction in the log (`forget`).
 */
export class DataKeys {
  private readonly bySubject: LruCache<string, DataKey>;
  /** null: destroyed. */
  private readonly byId: LruCache<string, { subject: string; key: Buffer | null }>;
  /** Creations under way, so concurrent first uses in this process share one. */
  private readonly creating = new Map<string, Promise<DataKey>>();
  private verified: Promise<void> | null = null;

  constructor(
    private readonly store: DataKeyStore,
    private readonly master: Buffer,
    options: DataKeysOptions = {},
  ) {
    if (master.length !== KEY_BYTES) throw new RangeError(`the master key must be ${KEY_BYTES} bytes`);
    this.bySubject = new LruCache(options.cacheSize ?? DEFAULT_CACHE_SIZE);
    this.byId = new LruCache(options.cacheSize ?? DEFAULT_CACHE_SIZE);
  }

  /** Checks the master key against the one the key store was made with; rejects (MasterKeyMismatchError) when it differs. */
  ready(): Promise<void> {
    return (this.verified ??= (async () => {
      const expected = masterKeyCheck(this.master);
      if ((await this.store.masterKeyCheck(expected)) !== expected) {
        throw new MasterKeyMismatchError(
          'DATA_ENCRYPTION_KEY is not the master key this key store was made with: every personal field would be unreadable. Set the key it was made with (or, for a new deployment, an empty key store).',
        );
      }
    })().catch((err) => {
      this.verified = null;
      throw err;
    }));
  }

  /** The subject's live key, made (durably) when it has none. */
  async current(subject: string): Promise<DataKey> {
    const cached = this.bySubject.get(subject);
    if (cached) return cached;
    let pending = this.creating.get(subject);
    if (!pending) {
      this.creating.set(subject, (pending = this.loadOrCreate(subject).finally(() => this.creating.delete(subject))));
    }
    return pending;
  }

  private async loadOrCreate(subject: string): Promise<DataKey> {
    await this.ready();
    let stored = await this.store.current(subject);
    if (stored === null || stored.wrapped === null) {
      const keyId = randomUUID();
      stored = await this.store.create(subject, { keyId, wrapped: wrapDataKey(this.master, keyId, subject, randomBytes(KEY_BYTES)) });
    }
    const key = { id: stored.keyId, key: unwrapDataKey(this.master, stored.keyId, subject, stored.wrapped!) };
    this.remember(subject, key.id, key.key);
    return key;
  }

  /** A key by id from memory: the key, null when destroyed, undefined when not in memory (see `load`). */
  cached(keyId: string): Buffer | null | undefined {
    return this.byId.get(keyId)?.key;
  }

  /** Brings keys into memory (then `cached` answers for them); throws UnknownDataKeyError for ids the store never had. */
  async load(keyIds: readonly string[]): Promise<void> {
    const missing = [...new Set(keyIds)].filter((id) => !this.byId.has(id));
    if (missing.length === 0) return;
    await this.ready();
    const found = await this.store.byIds(missing);
    const unknown = missing.filter((id) => !found.has(id));
    if (unknown.length > 0) throw new UnknownDataKeyError(unknown);
    for (const { keyId, subject, wrapped } of found.values()) {
      if (wrapped === null) this.byId.set(keyId, { subject, key: null });
      else this.remember(subject, keyId, unwrapDataKey(this.master, keyId, subject, wrapped));
    }
  }

  /** Destroys the subject's key for good (every value sealed with it reads "[erased]" from then on). */
  async destroy(subject: string): Promise<void> {
    await this.ready();
    this.forget(subject);
    const destroyed = await this.store.destroy(subject);
    this.forget(subject);
    if (destroyed !== null) this.byId.set(destroyed, { subject, key: null });
  }

  /** Drops what this process keeps of the subject's keys (another process destroyed them). */
  forget(subject: string): void {
    this.bySubject.delete(subject);
    for (const [keyId, entry] of [...this.byId.entries()]) if (entry.subject === subject && entry.key !== null) this.byId.delete(keyId);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private remember(subject: string, keyId: string, key: Buffer): void {
    this.bySubject.set(subject, { id: keyId, key });
    this.byId.set(keyId, { subject, key });
  }
}
