import type { Collection } from 'mongodb';
import { BatchedCollection } from './mongodb-batch';
import { isDuplicateKey, type MongoStorage, type MongoWrites, type Stamp, type StoredDoc } from './mongodb-storage';
import type { AppliedEventRef } from '../read-model';

/** Documents a shadow keeps in memory per collection before it writes out the least recently touched. */
const KEEP = 20_000;
const INSERT_CHUNK = 1000;

/**
 * How a rebuild's shadow store (MongoReadModels.openShadow) takes batches: it starts empty and
 * is written by the rebuild alone, so it need not persist its bookkeeping as it goes, nor read a
 * document it never wrote. Revisions and the checkpoint are kept in memory; documents stay in
 * write-behind views (BatchedCollection with `ownIds`), so that a document created and then
 * changed is written once, as an insert, and only documents touched again after they were
 * written out cost a read and a compare-and-set update. Secondary indexes are built once the
 * documents are in (one sorted build instead of an update per insert). Everything is written
 * out before the shadow is read: at its swap (whose revisions then go straight to the live
 * store), or before any single `apply`.
 *
 * Why: FerretDB 1.x with SQLite answers every filter but `{_id}` alone by scanning the
 * collection (`$in`, and any `_id` with a condition beside it, as a compare-and-set has), so
 * such reads and updates cost O(collection) each, while inserts stay cheap. A crash loses
 * nothing that matters: a rebuild that did not swap starts over.
 */
export class BulkLoad {
  readonly revisions = new Map<string, { projection: string; streamId: string; revision: number }>();
  checkpoint: string | null = null;
  private readonly views = new Map<string, BatchedCollection>();

  constructor(
    private readonly collection: (name: string) => Collection<StoredDoc>,
    private readonly keep = KEEP,
  ) {}

  view(name: string): BatchedCollection {
    let view = this.views.get(name);
    if (!view) this.views.set(name, (view = new BatchedCollection(this.collection(name), { ownIds: new Set() })));
    return view;
  }

  /** After each batch: keeps the views to their size. */
  async settle(): Promise<void> {
    for (const [name, view] of this.views) if (!(await view.evict(this.keep))) throw concurrentWriter(name);
  }

  /** Writes the documents out (first: the bookkeeping must never get ahead of them). */
  async flushDocuments(): Promise<void> {
    for (const [name, view] of this.views) if (!(await view.flush())) throw concurrentWriter(name);
  }

  /** Writes the documents out and forgets them (before direct writes to the same collections). */
  async forget(): Promise<void> {
    for (const [name, view] of this.views) if (!(await view.evict(0))) throw concurrentWriter(name);
  }

  /** The revisions, into `streams` under `epoch` (the live store's, at a swap). */
  async writeRevisions(streams: Collection<StoredDoc>, epoch: number): Promise<void> {
    const docs = [...this.revisions].map(([_id, r]) => ({ _id, ...r, epoch }));
    for (let i = 0; i < docs.length; i += INSERT_CHUNK) await streams.insertMany(docs.slice(i, i + INSERT_CHUNK), { ordered: false });
  }
}

function concurrentWriter(collection: string): Error {
  return new Error(`Shadow collection ${collection} was written by someone else during its rebuild`);
}

/**
 * A batch's changes through the storage's applyBatch where it has one: into the shadow's views
 * during a bulk load, else into views of this batch written out at once (and, if another writer
 * got in between, the batch again change by change); else change by change.
 */
export async function writeChanges(storage: MongoStorage, writes: MongoWrites, items: ReadonlyArray<{ change: unknown; stamp: Stamp }>, bulk: BulkLoad | null): Promise<void> {
  if (!storage.applyBatch) {
    for (const { change, stamp } of items) await storage.apply(writes, change, stamp);
    return;
  }
  const views = new Map<string, BatchedCollection>();
  const view = (name: string) => views.get(name) ?? views.set(name, new BatchedCollection(writes.collection(name))).get(name)!;
  await storage.applyBatch({ ...writes, batched: bulk ? (name) => bulk.view(name) : view, direct: async () => bulk?.forget() }, items);
  let clean = true;
  for (const v of views.values()) clean = (await v.flush()) && clean;
  if (!clean) for (const { change, stamp } of items) await storage.apply(writes, change, stamp);
}

/**
 * Each stream's newest applied revision, in bulk (only ever forward, as recordRevision). Streams
 * that had no revision document when the batch read them (`recorded` holds the ids that had
 * one) are inserted: most of a batch's streams are new ones (an import's users and their
 * claims), and FerretDB 1.x uses its `_id` index for an insert but scans the collection for
 * every statement of a guarded update (the collection holds a document per read model and
 * stream). Should another writer have inserted one meanwhile, the whole batch takes the guard.
 */
export async function recordRevisions(streams: Collection<StoredDoc>, projection: string, newest: ReadonlyMap<string, AppliedEventRef>, epoch: number, recorded: ReadonlySet<string>): Promise<void> {
  if (newest.size === 0) return;
  const unrecorded = [...newest].filter(([_id]) => !recorded.has(_id));
  let guarded = [...newest].filter(([_id]) => recorded.has(_id));
  if (unrecorded.length > 0) {
    try {
      await streams.insertMany(
        unrecorded.map(([_id, ref]) => ({ _id, projection, streamId: ref.streamId, revision: ref.streamRevision, epoch })),
        { ordered: false },
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      guarded = [...newest];
    }
  }
  if (guarded.length === 0) return;
  const ops = guarded.map(([_id, ref]) => ({
    updateOne: {
      filter: { _id, $or: [{ revision: { $lt: ref.streamRevision } }, { epoch: { $ne: epoch } }] },
      update: { $set: { projection, streamId: ref.streamId, revision: ref.streamRevision, epoch } },
      upsert: true,
    },
  }));
  // An upsert whose filter missed an existing document: a newer revision is recorded already.
  await streams.bulkWrite(ops, { ordered: false }).catch((err: unknown) => {
    if (!isDuplicateKey(err)) throw err;
  });
}
