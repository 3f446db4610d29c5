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

  async byIds(keyIds: readonly string[]): Promise<Map<string, StoredDataKey>> {
    const docs = await this.keys.find({ _id: { $in: [...keyIds] } }).toArray();
    return new Map(docs.map((d) => [d._id, { keyId: d._id, wrapped: d.wrapped === null ? null : Buffer.from(d.wrapped.buffer) }]));
  }

  async destroy(keyIds: readonly string[]): Promise<void> {
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
    if (this.ownsClient) await this.client.close();
  }
}
