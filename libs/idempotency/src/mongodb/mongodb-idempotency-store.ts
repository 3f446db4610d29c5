import { Binary, Collection, Db, MongoServerError } from 'mongodb';
import { IdempotencyRecord, IdempotencyStore, NewAttempt, RecordKey } from '../idempotency-store.port';

interface KeyDoc {
  projectId: string;
  keyId: string;
  fingerprint: string;
  attemptId: string;
  leaseUntil: number;
  firstStream: string | null;
  answer: Binary | null;
  expiresAt: number;
}

const COLLECTION = 'idempotency_keys';
const DUPLICATE_KEY = 11000;

const toRecord = (doc: KeyDoc): IdempotencyRecord => ({
  fingerprint: doc.fingerprint,
  attemptId: doc.attemptId,
  leaseUntil: doc.leaseUntil,
  firstStream: doc.firstStream ?? null,
  answer: doc.answer ? Buffer.from(doc.answer.buffer) : null,
  expiresAt: doc.expiresAt,
});

/**
 * The distributed idempotency store: a collection of the read models' database with a unique
 * index on (projectId, keyId), so one insert decides which of several gateways holds a key,
 * and an index on the expiry for the clean-up. Every change is one conditional single-document
 * write (no transactions: FerretDB has none).
 */
export class MongoIdempotencyStore extends IdempotencyStore {
  private readonly keys: Collection<KeyDoc>;
  private indexes: Promise<unknown> | null = null;

  constructor(db: Db) {
    super();
    this.keys = db.collection<KeyDoc>(COLLECTION);
  }

  /** Creates the indexes (idempotent); every operation waits for it. */
  init(): Promise<unknown> {
    this.indexes ??= Promise.all([
      this.keys.createIndex({ projectId: 1, keyId: 1 }, { unique: true, name: 'idempotency_keys_by_key' }),
      this.keys.createIndex({ expiresAt: 1 }, { name: 'idempotency_keys_by_expiry' }),
    ]);
    return this.indexes;
  }

  async claim(key: RecordKey, attempt: NewAttempt, now: number): Promise<IdempotencyRecord | null> {
    await this.init();
    const fields = { ...attempt, firstStream: null, answer: null };
    for (;;) {
      try {
        await this.keys.insertOne({ ...key, ...fields });
        return null;
      } catch (err) {
        if (!(err instanceof MongoServerError && err.code === DUPLICATE_KEY)) throw err;
      }
      const replaced = await this.keys.updateOne({ ...key, expiresAt: { $lte: now } }, { $set: fields });
      if (replaced.modifiedCount === 1) return null;
      const existing = await this.keys.findOne(key, { projection: { _id: 0 } });
      // Gone between the writes (its holder forgot it): claim again.
      if (existing) return toRecord(existing);
    }
  }

  async takeOver(key: RecordKey, previousAttemptId: string, attempt: { attemptId: string; leaseUntil: number }, now: number): Promise<boolean> {
    await this.init();
    const result = await this.keys.updateOne(
      { ...key, attemptId: previousAttemptId, answer: null, leaseUntil: { $lte: now }, expiresAt: { $gt: now } },
      { $set: { ...attempt, firstStream: null } },
    );
    return result.modifiedCount === 1;
  }

  async recordFirstStream(key: RecordKey, attemptId: string, streamId: string, leaseAtLeast: number): Promise<boolean> {
    await this.init();
    const result = await this.keys.updateOne({ ...key, attemptId, answer: null, firstStream: null, leaseUntil: { $gte: leaseAtLeast } }, { $set: { firstStream: streamId } });
    return result.modifiedCount === 1;
  }

  async saveAnswer(key: RecordKey, attemptId: string, answer: Buffer): Promise<boolean> {
    await this.init();
    const result = await this.keys.updateOne({ ...key, attemptId }, { $set: { answer: new Binary(answer), leaseUntil: 0 } });
    return result.matchedCount === 1;
  }

  async release(key: RecordKey, attemptId: string): Promise<void> {
    await this.init();
    await this.keys.updateOne({ ...key, attemptId, answer: null }, { $set: { leaseUntil: 0 } });
  }

  async forget(key: RecordKey, attemptId: string): Promise<void> {
    await this.init();
    await this.keys.deleteOne({ ...key, attemptId, answer: null });
  }

  async deleteExpired(now: number, limit: number): Promise<number> {
    await this.init();
    const expired = await this.keys.find({ expiresAt: { $lte: now } }, { projection: { _id: 1 } }).sort({ expiresAt: 1 }).limit(limit).toArray();
    if (expired.length === 0) return 0;
    return (await this.keys.deleteMany({ _id: { $in: expired.map((d) => d._id) }, expiresAt: { $lte: now } })).deletedCount;
  }

  /** The client belongs to the read models' store, which closes it. */
  async close(): Promise<void> {}
}
