import { Binary, Collection, MongoClient, MongoServerError } from 'mongodb';
import { DataKeyStore, destroyedSubject, StoredDataKey } from '../data-key-store.port';

interface KeyDoc {
  _id: string;
  subject: string;
  wrapped: Binary | null;
  createdAt: Date;
  destroyedAt?: Date;
}

interface MetaDoc {
  _id: string;
  value: string;
}

const toKey = (doc: KeyDoc): StoredDataKey => ({ keyId: doc._id, subject: doc.subject, wrapped: doc.wrapped === null ? null : Buffer.from(doc.wrapped.buffer) });
const isDuplicateKey = (err: unknown) => err instanceof MongoServerError && err.code === 11000;

/**
 * The distributed key store: the `data_keys` collection (one document per key, `_id` its id, a
 * unique index on `subject`) and `data_keys_meta`, in the read models' database, shared by every
 * gateway and projector. Writes are acknowledged by the majority and journaled before they count.
 * What the server's storage engine keeps of a destroyed key's old document is the server's:
 * run MongoDB with encryption at rest where that matters.
 */
export class MongoDataKeyStore extends DataKeyStore {
  private readonly keys: Collection<KeyDoc>;
  private readonly meta: Collection<MetaDoc>;
  private indexed: Promise<unknown> | null = null;

  constructor(
    private readonly client: MongoClient,
    database: string,
    private readonly ownsClient = false,
  ) {
    super();
    const db = client.db(database);
    this.keys = db.collection<KeyDoc>('data_keys', { writeConcern: { w: 'majority', journal: true } });
    this.meta = db.collection<MetaDoc>('data_keys_meta', { writeConcern: { w: 'majority', journal: true } });
  }

  /** A store with its own client to `url` (closed with the store). */
  static connect(url: string, database: string): MongoDataKeyStore {
    return new MongoDataKeyStore(new MongoClient(url), database, true);
  }

  private ensureIndexes(): Promise<unknown> {
    return (this.indexed ??= this.keys.createIndex({ subject: 1 }, { name: 'data_keys_by_subject', unique: true }).catch((err) => {
      this.indexed = null;
      throw err;
    }));
  }

  async current(subject: string): Promise<StoredDataKey | null> {
    const doc = await this.keys.findOne({ subject });
    return doc ? toKey(doc) : null;
  }

  async create(subject: string, candidate: { keyId: string; wrapped: Buffer }): Promise<StoredDataKey & { wrapped: Buffer }> {
    await this.ensureIndexes();
    try {
      await this.keys.insertOne({ _id: candidate.keyId, subject, wrapped: new Binary(candidate.wrapped), createdAt: new Date() });
      return { keyId: candidate.keyId, subject, wrapped: candidate.wrapped };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const winner = await this.current(subject);
    if (!winner || winner.wrapped === null) throw new Error(`data key of ${subject}: lost a creation race to a key that is gone`);
    return winner as StoredDataKey & { wrapped: Buffer };
  }

  async byIds(keyIds: readonly string[]): Promise<Map<string, StoredDataKey>> {
    const docs = await this.keys.find({ _id: { $in: [...keyIds] } }).toArray();
    return new Map(docs.map((d) => [d._id, toKey(d)]));
  }

  async destroy(subject: string): Promise<string | null> {
    const live = await this.keys.findOne({ subject }, { projection: { _id: 1 } });
    if (!live) return null;
    await this.keys.updateOne({ _id: live._id, subject }, { $set: { subject: destroyedSubject(live._id), wrapped: null, destroyedAt: new Date() } });
    return live._id;
  }

  async masterKeyCheck(check: string): Promise<string> {
    await this.meta.updateOne({ _id: 'master_key_check' }, { $setOnInsert: { value: check } }, { upsert: true }).catch((err) => {
      // Two processes upserting at once: one insert wins, the other finds it below.
      if (!isDuplicateKey(err)) throw err;
    });
    return (await this.meta.findOne({ _id: 'master_key_check' }))!.value;
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}
