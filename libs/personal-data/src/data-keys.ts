import { randomBytes } from 'node:crypto';
import { RecentCache, timeOrderedId } from '@lib/event-store';
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
  /** Unwrapped keys kept in memory (at least 2). */
  cacheSize?: number;
  /** The most keys made (and stored, in one write) at a time, ahead of need. */
  batchSize?: number;
}

/** About 150 bytes each: 10,000 of them are a few MB, and every recently active person is a hit. */
const DEFAULT_CACHE_SIZE = 10_000;
/**
 * Keys are made in batches that double, from 16 up to this, while new persons keep coming: a busy
 * process makes one fsynced write per thousand new persons, a quiet one leaves few unused keys
 * behind when it stops.
 */
const DEFAULT_BATCH_SIZE = 1024;
const FIRST_BATCH_SIZE = 16;

/** A key in memory: null once destroyed; the person it seals, once known. */
interface CachedKey {
  key: Buffer | null;
  subject: string | null;
}

/**
 * Data keys: made ahead of need in batches (one durable write per batch), so that the first
 * event of a new person waits for no write; unwrapped keys are cached (bounded LRU), so that
 * sealing and opening cost no store round trip. A destroyed key leaves this process's cache at
 * once; other processes drop theirs when they read the erasure event that follows the
 * destruction in the log (`forgetSubject`).
 */
export class DataKeys {
  private readonly byId: RecentCache<string, CachedKey>;
  private readonly maxBatch: number;
  private nextBatch: number;
  /** Stored, never used keys for new persons. */
  private readonly unused: DataKey[] = [];
  private making: Promise<void> | null = null;
  private verified: Promise<void> | null = null;
  /**
   * Keys being loaded, by id: every reader asking for one of them meanwhile waits for that load.
   * A projector's subscriptions read the same new person's first event at about the same time,
   * each missing the cache: a load each made one key-store query and one unwrap per subscription.
   */
  private readonly loading = new Map<string, Promise<Buffer | null>>();

  constructor(
    private readonly store: DataKeyStore,
    private readonly master: Buffer,
    options: DataKeysOptions = {},
  ) {
    if (master.length !== KEY_BYTES) throw new RangeError(`the master key must be ${KEY_BYTES} bytes`);
    this.byId = new RecentCache(options.cacheSize ?? DEFAULT_CACHE_SIZE);
    this.maxBatch = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.nextBatch = Math.min(FIRST_BATCH_SIZE, this.maxBatch);
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

  /** A key never used before, already durable in the store, for the first sealed event of `subject`. */
  async fresh(subject: string): Promise<DataKey> {
    if (this.unused.length <= this.nextBatch / 4) this.makeKeys().catch(() => undefined);
    while (this.unused.length === 0) await this.makeKeys();
    const key = this.unused.pop()!;
    this.byId.set(key.id, { key: key.key, subject });
    return key;
  }

  private makeKeys(): Promise<void> {
    return (this.making ??= (async () => {
      await this.ready();
      const count = this.nextBatch;
      this.nextBatch = Math.min(count * 2, this.maxBatch);
      const material = randomBytes(count * KEY_BYTES);
      // In creation order, so the key store's index of ids grows at its end (the id is no secret:
      // events name it; the time it holds is the store's created_at).
      const now = Date.now();
      const ids = Array.from({ length: count }, () => timeOrderedId(now));
      const made = ids.map((id, i) => ({ id, key: material.subarray(i * KEY_BYTES, (i + 1) * KEY_BYTES) }));
      await this.store.add(made.map(({ id, key }) => ({ keyId: id, wrapped: wrapDataKey(this.master, id, key) })));
      this.unused.push(...made);
    })().finally(() => (this.making = null)));
  }

  /** A key by id from memory: the key, null when destroyed, undefined when not in memory (see `load`). */
  cached(keyId: string): Buffer | null | undefined {
    return this.byId.get(keyId)?.key;
  }

  /**
   * The keys asked for (null: destroyed), from memory or from the store, each cached with the
   * person it seals; throws UnknownDataKeyError for ids the store never had. The answer holds
   * every key asked for, however many: a batch with more persons than the cache keeps evicts the
   * first of them before the last are loaded.
   */
  async load(keys: ReadonlyArray<{ keyId: string; subject: string | null }>): Promise<Map<string, Buffer | null>> {
    const loaded = new Map<string, Buffer | null>();
    const subjects = new Map<string, string | null>();
    const elsewhere: Array<Promise<unknown>> = [];
    for (const { keyId, subject } of keys) {
      const cached = this.byId.get(keyId);
      const loading = cached === undefined ? this.loading.get(keyId) : undefined;
      if (cached !== undefined) loaded.set(keyId, cached.key);
      else if (loading !== undefined) elsewhere.push(loading.then((key) => loaded.set(keyId, key)));
      else subjects.set(keyId, subject);
    }
    if (subjects.size > 0) {
      const mine = this.loadFromStore(subjects);
      for (const keyId of subjects.keys()) {
        const key = mine.then((found) => found.get(keyId)!);
        // Its waiters see a failure in their own loads; unwaited, it must not count as unhandled.
        key.catch(() => undefined);
        this.loading.set(keyId, key);
      }
      try {
        for (const [keyId, key] of await mine) loaded.set(keyId, key);
      } finally {
        for (const keyId of subjects.keys()) this.loading.delete(keyId);
      }
    }
    await Promise.all(elsewhere);
    return loaded;
  }

  private async loadFromStore(subjects: ReadonlyMap<string, string | null>): Promise<Map<string, Buffer | null>> {
    await this.ready();
    const ids = [...subjects.keys()];
    const found = await this.store.byIds(ids);
    const unknown = ids.filter((id) => !found.has(id));
    if (unknown.length > 0) throw new UnknownDataKeyError(unknown);
    const loaded = new Map<string, Buffer | null>();
    for (const { keyId, wrapped } of found.values()) {
      // Destroyed here while the store was read: the read may predate it.
      const key = wrapped === null || this.byId.get(keyId)?.key === null ? null : unwrapDataKey(this.master, keyId, wrapped);
      this.byId.set(keyId, { key, subject: subjects.get(keyId) ?? null });
      loaded.set(keyId, key);
    }
    return loaded;
  }

  /** Destroys keys for good: every value sealed with them reads "[erased]" from then on. */
  async destroy(keyIds: readonly string[]): Promise<void> {
    await this.ready();
    for (const id of keyIds) this.byId.set(id, { key: null, subject: null });
    await this.store.destroy(keyIds);
  }

  /** Drops every key of `subject` this process holds in memory (another process destroyed them). */
  forgetSubject(subject: string): void {
    this.store.forgetPass();
    for (const [keyId, entry] of [...this.byId.entries()]) if (entry.subject === subject && entry.key !== null) this.byId.delete(keyId);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
