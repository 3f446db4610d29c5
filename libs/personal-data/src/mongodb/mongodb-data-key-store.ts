import type { Binary, Collection, MongoClient } from 'mongodb';

import { DataKeyStore, StoredDataKey } from '../data-key-store.port';

/** The MongoDB driver, loaded when a MongoDB adapter is first used: the embedded stack never pays its start-up time or memory. */
const mongodb = (): typeof import('mongodb') => require('mongodb');

interface KeyDoc {
  _id: string;
  wrapped: Binary | null;
  createdAt: Date;
  destroyedAt?: Date;
}

interface MetaDoc {
  _id: string;
  value: string;
}

const JOURNALED = { writeConcern: { w: 'majority' as const, journal: true } };

/** A request of this many ids takes a pass over the whole collection, which then serves every request while fresh (see `byIds`). */
const PASS_FROM = 256;
/** The most keys a pass holds (about 20 MB of wrapped keys); past that, requests look keys up by id. */
const PASS_LIMIT = 100_000;
/** A pass serves the replay that made it, not the process's lifetime. */
const PASS_TTL_MS = 60_000;

/** The wrapped keys (null: destroyed) of one pass over the collection, and when it started. */
interface Pass {
  keys: Map<string, Buffer | null>;
  at: number;
}

/**
 * The distributed key store: the `data_keys` collection (one document per key, `_id` its id) and
 * `data_keys_meta`, in the read models' database, shared by every gateway and projector. Writes
 * count once the majority has journaled them. What the server's storage engine keeps of a
 * destroyed key's old document is the server's: run MongoDB with encryption at rest where that
 * matters.
 */
export class MongoDataKeyStore extends DataKeyStore {
  private readonly keys: Collection<KeyDoc>;
  private readonly meta: Collection<MetaDoc>;
  private pass: Pass | null = null;
  /** The pass being read: requests that arrive meanwhile wait for it rather than read another. */
  private passing: Promise<Pass | null> | null = null;
  /** Bumped by what makes a pass under way stale (an erasure read, a destroy): that pass is then not kept. */
  private passGeneration = 0;
  /** Set when the collection outgrew a pass: requests then look keys up by id. */
  private tooManyForAPass = false;

  constructor(
    private readonly client: MongoClient,
    database: string,
    private readonly ownsClient = false,
  ) {
    super();
    const db = client.db(database);
    this.keys = db.collection<KeyDoc>('data_keys', JOURNALED);
    this.meta = db.collection<MetaDoc>('data_keys_meta', JOURNALED);
  }

  /** A store with its own client to `url` (closed with the store). */
  static connect(url: string, database: string): MongoDataKeyStore {
    return new MongoDataKeyStore(new (mongodb().MongoClient)(url), database, true);
  }

  async add(keys: ReadonlyArray<{ keyId: string; wrapped: Buffer }>): Promise<void> {
    const createdAt = new Date();
    await this.keys.insertMany(keys.map((k) => ({ _id: k.keyId, wrapped: new (mongodb().Binary)(k.wrapped), createdAt })));
  }

  /**
   * A replay asks for the keys of thousands of persons per batch, nearly every key of the
   * collection over the whole log: those requests are served from one pass over the collection,
   * kept for the next ones (keys made since are looked up by id), instead of a lookup of every id
   * per batch. On MongoDB the pass reads the collection once instead of once per batch through
   * the index; on FerretDB 1.x, which evaluates `$in` document by document against the whole
   * list (no index), it turns one scan costing collection × ids per batch into one scan. What
   * the pass holds is what a lookup would have answered when it was made: a key another process
   * destroys since is still served (as DataKeys serves it from memory) until this process reads
   * the erasure (`forgetPass`), or the pass expires.
   */
  async byIds(keyIds: readonly string[]): Promise<Map<string, StoredDataKey>> {
    if (this.pass !== null && Date.now() - this.pass.at > PASS_TTL_MS) this.pass = null;
    // While a pass is fresh it serves every request, however small: DataKeys asks only for the
    // keys it does not hold, so most of a replay's requests are a few ids (a scan each on FerretDB).
    if (this.pass === null && (keyIds.length < PASS_FROM || this.tooManyForAPass)) return this.lookUp(keyIds);
    const pass = this.pass ?? (await (this.passing ??= this.takePass().finally(() => (this.passing = null))));
    if (pass === null) return this.lookUp(keyIds);
    const found = new Map<string, StoredDataKey>();
    const newer: string[] = [];
    for (const keyId of keyIds) {
      const wrapped = pass.keys.get(keyId);
      if (wrapped === undefined) newer.push(keyId);
      else found.set(keyId, { keyId, wrapped });
    }
    if (newer.length > 0) {
      for (const [keyId, key] of await this.lookUp(newer)) {
        pass.keys.set(keyId, key.wrapped);
        found.set(keyId, key);
      }
    }
    return found;
  }

  /** Drops the pass (an erasure was read: one of its keys may have been destroyed since). */
  override forgetPass(): void {
    this.pass = null;
    this.passGeneration++;
  }

  /**
   * One id, the common case (a projector meeting a new person), is asked for as `{_id}` itself:
   * FerretDB 1.x uses its `_id` index for that filter alone and scans the collection for `$in`.
   */
  private async lookUp(keyIds: readonly string[]): Promise<Map<string, StoredDataKey>> {
    const docs = await this.keys.find(keyIds.length === 1 ? { _id: keyIds[0] } : { _id: { $in: [...keyIds] } }).toArray();
    return new Map(docs.map((d) => [d._id, { keyId: d._id, wrapped: wrappedOf(d) }]));
  }

  private async takePass(): Promise<Pass | null> {
    const pass: Pass = { keys: new Map(), at: Date.now() };
    const generation = this.passGeneration;
    for await (const doc of this.keys.find({}, { projection: { wrapped: 1 }, batchSize: 10_000 })) {
      if (pass.keys.size >= PASS_LIMIT) {
        this.tooManyForAPass = true;
        return null;
      }
      pass.keys.set(doc._id, wrappedOf(doc));
    }
    if (generation === this.passGeneration) this.pass = pass;
    return pass;
  }

  async destroy(keyIds: readonly string[]): Promise<void> {
    for (const keyId of keyIds) if (this.pass?.keys.has(keyId)) this.pass.keys.set(keyId, null);
    this.passGeneration++;
    await this.keys.updateMany({ _id: { $in: [...keyIds] }, wrapped: { $ne: null } }, { $set: { wrapped: null, destroyedAt: new Date() } });
  }

  async masterKeyCheck(check: string): Promise<string> {
    await this.meta.updateOne({ _id: 'master_key_check' }, { $setOnInsert: { value: check } }, { upsert: true }).catch((err: unknown) => {
      // Two processes upserting at once: one insert wins, the other reads it below.
      if (!(err instanceof mongodb().MongoServerError && err.code === 11000)) throw err;
    });
    return (await this.meta.findOne({ _id: 'master_key_check' }))!.value;
  }

  async close(): Promise<void> {
    this.pass = null;
    if (this.ownsClient) await this.client.close();
  }
}

const wrappedOf = (doc: Pick<KeyDoc, 'wrapped'>): Buffer | null => (doc.wrapped === null ? null : Buffer.from(doc.wrapped.buffer));
