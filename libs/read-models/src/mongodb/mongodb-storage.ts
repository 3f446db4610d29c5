import type { Collection, Document, IndexDescription, MongoServerError, WriteError } from 'mongodb';
import { mongodb } from './mongodb-driver';

/** Every collection keys its documents by a string `_id`; the fields are checked where they are read. */
export interface StoredDoc {
  _id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the driver's update typing needs it
  [field: string]: any;
}

/** Who writes: the event's stream and revision, stamped on every document it writes. */
export interface Stamp {
  _ws: string;
  _wr: number;
}

/**
 * Documents carry bookkeeping fields beside the record, all starting with "_" and projected
 * away on reads: `_ws`/`_wr` (stream and revision of the event that wrote the document last:
 * the write guard), `_v` (incremented by every write, for compare-and-set patches) and `_ord`
 * (insertion order, the tie-breaker of equal creation times, like SQLite's rowid). A deleted
 * record becomes a tombstone: `projectId` is replaced by `{deleted: projectId}`, which no query
 * on a project matches, and its stamp keeps a stale writer from resurrecting it. A tombstone keeps
 * nothing else of the record: what was deleted (a person's email, name, ip…) is gone with it.
 */
export const INTERNAL_FIELDS = ['_id', '_ws', '_wr', '_v', '_ord'] as const;
export const RECORD_PROJECTION: Readonly<Document> = Object.freeze(Object.fromEntries(INTERNAL_FIELDS.map((f) => [f, 0])));

/** The idempotent, stamp-guarded writes every read model's Mongo storage is made of. */
export interface MongoWrites {
  collection(name: string): Collection<StoredDoc>;
  /** Insertion order for ties of equal creation times: strictly increasing per process. */
  nextOrd(): number;
}

/**
 * A collection as a batch of events writes it (BatchedCollection): documents read in bulk, then
 * written in memory with the rules of putDocument, tombstone and guardedUpdate; the store writes
 * them out once the storage's applyBatch returns.
 */
export interface BatchView {
  load(ids: Iterable<string>): Promise<void>;
  /** The document as the batch has it so far (it must have been loaded). */
  get(_id: string): StoredDoc | null;
  /** putDocument without `ord`; an insert-only document need not have been loaded. */
  put(_id: string, fields: Document, stamp: Stamp, options?: { insertOnly?: boolean }): void;
  tombstone(_id: string, projectId: string, stamp: Stamp): void;
  guardedUpdate(_id: string, match: Document, set: Document, stamp: Stamp): void;
  /** The next state of a read-merge-write (its `_v` already moved on). */
  replace(_id: string, doc: StoredDoc): void;
}

export interface MongoBatchWrites extends MongoWrites {
  /** The batch's view of a collection (one per name and batch). */
  batched(name: string): BatchView;
  /**
   * For a batch the storage writes directly (as `apply` does) instead of through views: writes
   * out and forgets what views of earlier batches still hold (a rebuild's shadow keeps them).
   * Call it first, and use no view in that batch.
   */
  direct(): Promise<void>;
}

/**
 * What one read model keeps in MongoDB: its collections with their indexes, and the code that
 * writes an event's changes. Every write must be idempotent and guarded by the stamp (see
 * putDocument, tombstone, guardedUpdate), because without transactions an event may be applied
 * again after a crash, or by a second projector.
 */
export interface MongoStorage<Change = unknown> {
  /** Owned collections (base names) and their indexes (fixed names, so creation is idempotent). */
  readonly collections: Readonly<Record<string, IndexDescription[]>>;
  /** Throws for a change this storage does not know, before anything is written. */
  validate(change: Change): void;
  apply(writes: MongoWrites, change: Change, stamp: Stamp): Promise<void>;
  /**
   * Optional: the changes of consecutive events (in log order, each with its event's stamp) made
   * through `writes.batched` views, with the same outcome as `apply` one by one; the store writes
   * them out (and applies the batch one by one instead if another writer got in between).
   * Without it a batch is applied change by change.
   */
  applyBatch?(writes: MongoBatchWrites, items: ReadonlyArray<{ change: Change; stamp: Stamp }>): Promise<void>;
}

export const DUPLICATE_KEY = 11000;

export function recordKey(projectId: string, id: string): string {
  return JSON.stringify([projectId, id]);
}

/** The stamp guard: the document was last written by another stream, or by this event or an earlier one of its stream. */
export function notNewerThan(stamp: Stamp): Document {
  return { $or: [{ _ws: { $ne: stamp._ws } }, { _wr: { $lte: stamp._wr } }] };
}

/**
 * Writes a whole record under a deterministic `_id`: inserted if new, else overwritten with
 * absolute values unless a later event of the same stream wrote it (or its tombstone).
 * `insertOnly` records (logs) are written once and never changed.
 */
export async function putDocument(collection: Collection<StoredDoc>, _id: string, fields: Document, stamp: Stamp, options: { ord?: number; insertOnly?: boolean } = {}): Promise<void> {
  const doc: StoredDoc = { _id, ...fields, ...(options.insertOnly ? {} : { ...stamp, _v: 1 }), ...(options.ord !== undefined ? { _ord: options.ord } : {}) };
  try {
    await collection.insertOne(doc);
    return;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  if (options.insertOnly) return;
  if (options.ord !== undefined) {
    // A record put again after its deletion is a new one: it takes a new place among equal creation times.
    const revived = await collection.updateOne({ _id, 'projectId.deleted': { $exists: true }, ...notNewerThan(stamp) }, { $set: { ...fields, ...stamp, _ord: options.ord }, $inc: { _v: 1 } });
    if (revived.matchedCount === 1) return;
  }
  await collection.updateOne({ _id, ...notNewerThan(stamp) }, { $set: { ...fields, ...stamp }, $inc: { _v: 1 } });
}

/** The tombstone of a record: its bookkeeping, its deleted project and the new stamp, nothing of the record itself. */
export function tombstoneOf(doc: StoredDoc, projectId: string, stamp: Stamp): StoredDoc {
  const kept: StoredDoc = { _id: doc._id };
  for (const field of INTERNAL_FIELDS) if (doc[field] !== undefined) kept[field] = doc[field];
  return { ...kept, projectId: { deleted: projectId }, ...stamp, _v: Number(doc._v ?? 0) + 1 };
}

/** Rounds of tombstoning before giving up on records other writers keep changing. */
const TOMBSTONE_ROUNDS = 5;

/**
 * Deletes by tombstoning every matching record the stamp may overwrite: each is replaced by its
 * tombstone under a compare-and-set on the `_v` it was read with; records another writer changed
 * in between are read and replaced again.
 */
export async function tombstone(collection: Collection<StoredDoc>, filter: Document & { projectId: string }, stamp: Stamp): Promise<void> {
  for (let round = 0; round < TOMBSTONE_ROUNDS; round++) {
    const docs = await collection.find({ ...filter, ...notNewerThan(stamp) }).toArray();
    if (docs.length === 0) return;
    const replaced = await collection.bulkWrite(
      docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id, _v: doc._v ?? { $exists: false } }, replacement: tombstoneOf(doc, filter.projectId, stamp) } })),
      { ordered: false },
    );
    if (replaced.matchedCount === docs.length) return;
  }
  throw new Error(`tombstone: records of ${collection.collectionName} kept changing under another writer`);
}

/** Sets fields of matching records the stamp may overwrite. */
export async function guardedUpdate(collection: Collection<StoredDoc>, filter: Document, set: Document, stamp: Stamp): Promise<void> {
  await collection.updateOne({ ...filter, ...notNewerThan(stamp) }, { $set: { ...set, ...stamp }, $inc: { _v: 1 } });
}

/** A stored record without its bookkeeping. */
export function toRecord<T>(doc: Document): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) out[k] = v;
  return out as T;
}

export function isDuplicateKey(err: unknown): boolean {
  if (err instanceof mongodb().MongoBulkWriteError) {
    const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors as WriteError];
    return errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY);
  }
  if (!(err instanceof mongodb().MongoServerError)) return false;
  if (err.code === DUPLICATE_KEY) return true;
  const writeErrors = (err as MongoServerError & { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((e: { code?: number }) => e.code === DUPLICATE_KEY);
}

export function clampInt(n: number): number {
  return Math.max(0, Math.min(Math.floor(n), 2 ** 31 - 1));
}
