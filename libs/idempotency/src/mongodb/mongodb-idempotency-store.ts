import type { Binary, Collection, Db } from 'mongodb';

import { IdempotencyRecord, IdempotencyStore, NewAttempt, RecordKey } from '../idempotency-store.port';

/** The MongoDB driver, loaded when a MongoDB adapter is first used: the embedded stack never pays its start-up time or memory. */
const mongodb = (): typeof import('mongodb') => require('mongodb');

interface KeyDoc {
  projectId: string;
  keyId: string;
  fingerprint: string;
  attemptId: string;
  leaseUntil: number;
  firstStream: string | null;
  answer: Binary | null;
  expiresAt: number;
  /** The streams the answered attempt wrote (see dropAnswersAbout). */
  wrote?: string[];
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
 * and an index on the expiry for the clean-up. No transactions (FerretDB has none): who holds a
 * key is decided by inserts against the unique index, everything else is one conditional
 * single-document write by the holder.
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
      this.keys.createIndex({ projectId: 1, wrote: 1 }, { name: 'idempotency_keys_by_stream_written' }),
    ]);
    return this.indexes;
  }

  async claim(key: RecordKey, attempt: NewAttempt, now: number): Promise<IdempotencyRecord | null> {
    await this.init();
    for (;;) {
      if (await this.insert({ ...key, ...attempt, firstStream: null, answer: null })) return null;
      const existing = await this.keys.findOne(key);
      // Gone between the writes (its holder forgot it): claim again.
      if (existing === null) continue;
      if (existing.expiresAt > now) return toRecord(existing);
      await this.keys.deleteOne({ _id: existing._id, expiresAt: { $lte: now } });
    }
  }

  async takeOver(key: RecordKey, previousAttemptId: string, attempt: { attemptId: string; leaseUntil: number }, now: number): Promise<boolean> {
    await this.init();
    const abandoned = await this.keys.findOne({ ...key, attemptId: previousAttemptId, answer: null, leaseUntil: { $lte: now }, expiresAt: { $gt: now } });
    if (abandoned === null) return false;
    await this.keys.deleteOne({ _id: abandoned._id });
    return this.insert({ ...key, fingerprint: abandoned.fingerprint, ...attempt, firstStream: null, answer: null, expiresAt: abandoned.expiresAt });
  }

  /**
   * Whoever's insert the unique index lets through holds the key. Ownership never changes by an
   * update: FerretDB does not isolate a conditional update from a concurrent one, an insert
   * against a unique index it does. A new holder is a new document, so a former holder's
   * conditional writes (by its attempt id) find nothing to change.
   */
  private async insert(doc: KeyDoc): Promise<boolean> {
    try {
      await this.keys.insertOne(doc);
      return true;
    } catch (err) {
      if (err instanceof mongodb().MongoServerError && err.code === DUPLICATE_KEY) return false;
      throw err;
    }
  }

  async recordFirstStream(key: RecordKey, attemptId: string, streamId: string, leaseAtLeast: number): Promise<boolean> {
    await this.init();
    const result = await this.keys.updateOne({ ...key, attemptId, answer: null, firstStream: null, leaseUntil: { $gte: leaseAtLeast } }, { $set: { firstStream: streamId } });
    return result.modifiedCount === 1;
  }

  async saveAnswer(key: RecordKey, attemptId: string, answer: Buffer, wrote: readonly string[]): Promise<boolean> {
    await this.init();
    const result = await this.keys.updateOne({ ...key, attemptId }, { $set: { answer: new (mongodb().Binary)(answer), leaseUntil: 0, wrote: [...wrote] } });
    return result.matchedCount === 1;
  }

  async dropAnswersAbout(projectId: string, streamId: string): Promise<number> {
    await this.init();
    return (await this.keys.updateMany({ projectId, wrote: streamId, answer: { $ne: null } }, { $set: { answer: null } })).modifiedCount;
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
