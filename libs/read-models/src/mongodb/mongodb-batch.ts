import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { mongodb } from './mongodb-driver';
import { BatchView, DUPLICATE_KEY, isDuplicateKey, Stamp, StoredDoc, tombstoneOf } from './mongodb-storage';

export interface BatchedCollectionOptions {
  /**
   * Set for a collection only this object writes (a rebuild's shadow): the ids it holds, so that
   * others are known to be absent without a read. The view then lives across batches: `flush`
   * keeps what it wrote as the documents' known state, and `evict` writes out and forgets the
   * documents touched longest ago.
   */
  ownIds?: Set<string>;
}

/**
 * One collection as a batch of events sees it: the documents the batch touches are read with
 * one query, the batch's writes are made to them in memory with exactly the rules of
 * putDocument, tombstone and guardedUpdate (so a storage's batch path and its one-change path
 * cannot disagree), and `flush` writes each changed document once, in bulk:
 *  - documents that did not exist are inserted (`insertOnly` ones may turn out to exist, which
 *    is what insert-only means: left alone);
 *  - documents that did exist are updated under a compare-and-set on the `_v` they were read
 *    with, so nothing another writer did since is overwritten.
 * A lost compare-and-set or insert race makes `flush` answer false: the store then applies the
 * batch again change by change (every write is idempotent and stamp-guarded, so writes that did
 * land are simply made again).
 */
export class BatchedCollection implements BatchView {
  /** As stored (null: absent); ids not here were never read. */
  private readonly stored = new Map<string, StoredDoc | null>();
  /** As the batch has them, in the order they were last touched. */
  private readonly current = new Map<string, StoredDoc | null>();
  /** Insert-only documents written without being read: inserted unless they exist. */
  private readonly blind = new Map<string, StoredDoc>();

  constructor(
    private readonly collection: Collection<StoredDoc>,
    private readonly options: BatchedCollectionOptions = {},
  ) {}

  async load(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.current.has(id));
    if (missing.length === 0) return;
    for (const id of missing) this.stored.set(id, null);
    const own = this.options.ownIds;
    const toRead = own ? missing.filter((id) => own.has(id)) : missing;
    // One query for the batch ($in), not one per document: a round trip each on MongoDB, where
    // `$in` is one walk of the _id index. FerretDB 1.x scans the collection for `$in` (its _id
    // index serves only a filter that is `{_id}` alone): one scan per batch.
    if (toRead.length > 0) for await (const doc of this.collection.find({ _id: { $in: toRead } })) this.stored.set(doc._id, doc);
    for (const id of missing) this.current.set(id, this.stored.get(id)!);
  }

  get(_id: string): StoredDoc | null {
    if (!this.current.has(_id)) throw new Error(`BatchedCollection: ${_id} was not loaded`);
    return this.current.get(_id)!;
  }

  put(_id: string, fields: Document, stamp: Stamp, options: { insertOnly?: boolean } = {}): void {
    if (options.insertOnly && !this.current.has(_id)) {
      if (!this.blind.has(_id)) this.blind.set(_id, { _id, ...fields });
      return;
    }
    const doc = this.get(_id);
    if (doc === null) this.set(_id, { _id, ...fields, ...(options.insertOnly ? {} : { ...stamp, _v: 1 }) });
    else if (!options.insertOnly && mayOverwrite(doc, stamp)) this.set(_id, { ...doc, ...fields, ...stamp, _v: Number(doc._v ?? 0) + 1 });
  }

  tombstone(_id: string, projectId: string, stamp: Stamp): void {
    const doc = this.get(_id);
    if (doc !== null && doc.projectId === projectId && mayOverwrite(doc, stamp)) this.set(_id, tombstoneOf(doc, projectId, stamp));
  }

  guardedUpdate(_id: string, match: Document, set: Document, stamp: Stamp): void {
    const doc = this.get(_id);
    if (doc !== null && Object.entries(match).every(([k, v]) => doc[k] === v) && mayOverwrite(doc, stamp)) this.set(_id, { ...doc, ...set, ...stamp, _v: Number(doc._v ?? 0) + 1 });
  }

  replace(_id: string, doc: StoredDoc): void {
    this.get(_id);
    this.set(_id, doc);
  }

  /** How many documents the view holds. */
  get size(): number {
    return this.current.size;
  }

  /** Writes what changed (of `ids`, default all); false when another writer got in between. */
  async flush(ids: Iterable<string> = this.current.keys()): Promise<boolean> {
    const inserts: Array<{ doc: StoredDoc; mayExist: boolean }> = [];
    const updates: AnyBulkWriteOperation<StoredDoc>[] = [];
    const written: string[] = [];
    for (const id of ids) {
      const doc = this.current.get(id);
      const before = this.stored.get(id);
      if (doc === undefined || doc === before || doc === null) continue;
      written.push(id);
      if (before === null || before === undefined) inserts.push({ doc, mayExist: false });
      else {
        const { _id, ...fields } = doc;
        // Fields the batch dropped (a tombstone keeps none of the record's) are removed, not left behind.
        const dropped = Object.keys(before).filter((field) => !(field in doc));
        const update = dropped.length > 0 ? { $set: fields, $unset: Object.fromEntries(dropped.map((field) => [field, ''])) } : { $set: fields };
        updates.push({ updateOne: { filter: { _id, _v: before._v ?? { $exists: false } }, update } });
      }
    }
    for (const doc of this.blind.values()) inserts.push({ doc, mayExist: true });
    this.blind.clear();
    let clean = true;
    if (inserts.length > 0) {
      try {
        await this.collection.insertMany(inserts.map((i) => i.doc), { ordered: false });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const failed = duplicateIndexes(err);
        // Without the failed positions, any insert that had to succeed may have failed.
        if (inserts.some((insert, i) => !insert.mayExist && (failed === null || failed.has(i)))) clean = false;
      }
    }
    if (updates.length > 0) {
      const r = await this.collection.bulkWrite(updates, { ordered: false });
      if (r.matchedCount < updates.length) clean = false;
    }
    for (const id of written) {
      this.stored.set(id, this.current.get(id)!);
      this.options.ownIds?.add(id);
    }
    return clean;
  }

  /** Writes out the documents touched longest ago beyond `keep`, and forgets them. */
  async evict(keep: number): Promise<boolean> {
    const old = [...this.current.keys()].slice(0, Math.max(0, this.current.size - keep));
    const clean = await this.flush(old);
    for (const id of old) {
      this.current.delete(id);
      this.stored.delete(id);
    }
    return clean;
  }

  private set(_id: string, doc: StoredDoc): void {
    this.current.delete(_id);
    this.current.set(_id, doc);
  }
}

/** The stamp guard of notNewerThan, on a document in hand. */
function mayOverwrite(doc: StoredDoc, stamp: Stamp): boolean {
  return doc._ws !== stamp._ws || Number(doc._wr) <= stamp._wr;
}

/** Positions of the inserts refused as duplicates; null when the error does not say. */
function duplicateIndexes(err: unknown): Set<number> | null {
  const raw = err instanceof mongodb().MongoBulkWriteError ? err.writeErrors : (err as { writeErrors?: unknown }).writeErrors;
  const errors = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Array<{ code?: number; index?: number }>;
  if (errors.length === 0 || errors.some((e) => typeof e.index !== 'number')) return null;
  return new Set(errors.filter((e) => e.code === DUPLICATE_KEY).map((e) => e.index!));
}
