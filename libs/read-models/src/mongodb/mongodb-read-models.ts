import type { Collection, Db, Document, MongoClient, MongoClientOptions } from 'mongodb';
import { mongodb } from './mongodb-driver';
import { comparePositionsNaturally, PositionComparator } from '../positions';
import { AppliedEventRef, ForeignCheckpointError, ReadModelStore, UnknownProjectionError } from '../read-model';
import { isDuplicateKey, MongoStorage, MongoWrites, Stamp, StoredDoc } from './mongodb-storage';
import { replaceCollection, isNamespaceNotFound } from './mongodb-collections';
import { BulkLoad, recordRevisions, writeChanges } from './mongodb-bulk-load';
import { ProjectionSwapError } from './projection-swap-error';
import { InCallOrder } from '../in-call-order';

export interface MongoReadModelsOptions {
  comparePositions?: PositionComparator;
  /** Prefix of every collection name (shadows of blue/green rebuilds use their own). */
  collectionPrefix?: string;
  /** Documents a rebuild's shadow keeps in memory per collection (see BulkLoad); for tests. */
  shadowKeep?: number;
}

const CAS_ATTEMPTS = 50;
/** How long a swap lock holds without renewal (a crashed swapper releases it this way). */
const SWAP_LEASE_MS = 60_000;
const COPY_BATCH = 1000;
const STREAMS = 'projection_streams';
const CHECKPOINTS = 'projection_checkpoints';

/**
 * The distributed read store on MongoDB (7.x) or FerretDB (1.x). Each read model registers its
 * collections and writer (MongoStorage); nothing here relies on transactions.
 *
 * How `apply` keeps the port's guarantees without multi-document transactions: every step is
 * safe to repeat, and the steps run in an order that makes any repeat converge:
 *  1. All changes are validated first, so a malformed event writes nothing.
 *  2. The (projection, stream) revision document is read: if it already holds this revision or
 *     a later one, the event was applied and step 3 is skipped.
 *  3. The storage applies the changes in order, each idempotent and stamp-guarded on its own.
 *  4. The revision document moves to this revision (insert for a stream's first event, else a
 *     conditional update); no match means another process recorded it first (`false`).
 *  5. The checkpoint moves to the event's position if that is later: a compare-and-set loop in
 *     the event store's position order, so it never moves backwards.
 * The checkpoint never passes an event whose revision is not recorded (5 after 4), and no
 * revision is recorded before its changes are written (4 after 3): a crash anywhere followed by
 * a replay from the checkpoint converges. Two projectors writing one stream are kept in order
 * by the stamps (`_ws`/`_wr`) every document carries. These conditional writes are atomic on
 * MongoDB; FerretDB 1.x evaluates filters without isolation, so run one projector per
 * projection there (crash and replay safety hold either way).
 *
 * Blue/green rebuilds add an epoch to each checkpoint document (see `swapIn`): revision
 * documents of another epoch are not trusted (the event is re-applied), and a checkpoint only
 * moves within the epoch its event started in.
 */
export class MongoReadModels extends ReadModelStore {
  private readonly batches = new InCallOrder();
  private readonly compare: PositionComparator;
  private readonly prefix: string;
  private readonly streams: Collection<StoredDoc>;
  private readonly checkpoints: Collection<StoredDoc>;
  private readonly writes: MongoWrites;
  private ownedClient: MongoClient | null = null;
  /** Set on a rebuild's shadow until it is first read (see BulkLoad). */
  private bulk: BulkLoad | null = null;
  private initializing: Promise<void> | null = null;
  private lastOrd = 0;
  private log: string | null = null;
  private closed = false;

  constructor(
    readonly db: Db,
    private readonly storages: Readonly<Record<string, MongoStorage<any>>>,
    private readonly options: MongoReadModelsOptions = {},
  ) {
    super();
    this.compare = options.comparePositions ?? comparePositionsNaturally;
    this.prefix = options.collectionPrefix ?? '';
    this.streams = this.collection(STREAMS);
    this.checkpoints = this.collection(CHECKPOINTS);
    this.writes = {
      collection: (name) => this.collection(name),
      nextOrd: () => (this.lastOrd = Math.max(Date.now() * 1024, this.lastOrd + 1)),
    };
  }

  /** Connects, creates the indexes, and closes the client with the store. */
  static async connect(url: string, dbName: string, storages: Readonly<Record<string, MongoStorage<any>>>, options: MongoReadModelsOptions & { client?: MongoClientOptions } = {}): Promise<MongoReadModels> {
    const client = new (mongodb().MongoClient)(url, options.client);
    await client.connect();
    try {
      const store = new MongoReadModels(client.db(dbName), storages, options);
      store.ownedClient = client;
      await store.init();
      return store;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  /** A collection of this store (read models query through it). */
  collection(name: string): Collection<StoredDoc> {
    return this.db.collection<StoredDoc>(this.prefix + name);
  }

  /** Creates the indexes every read model needs (idempotent; several processes may run it at once). */
  init(): Promise<void> {
    if (this.initializing === null) {
      this.initializing = (async () => {
        await this.collection(STREAMS).createIndexes([{ key: { projection: 1 }, name: 'streams_by_projection' }]);
        // A shadow's bulk load builds them at its end.
        if (this.bulk === null) for (const storage of Object.values(this.storages)) await this.ensureIndexes(storage);
      })().catch((err: unknown) => {
        this.initializing = null;
        throw err;
      });
    }
    return this.initializing;
  }

  /** One createIndexes command per index: FerretDB 1.24 panics when one command lists several that exist. */
  private async ensureIndexes(storage: MongoStorage): Promise<void> {
    for (const [name, indexes] of Object.entries(storage.collections)) {
      for (const index of indexes) await this.collection(name).createIndexes([index]);
    }
  }

  async bindLog(identity: string): Promise<void> {
    this.log = identity;
  }

  async apply(projection: string, ref: AppliedEventRef, changes: unknown[]): Promise<boolean> {
    await this.endBulkLoad();
    const storage = changes.length ? this.storageOf(projection) : null;
    for (const change of changes) storage!.validate(change);
    await this.init();
    const key = JSON.stringify([projection, ref.streamId]);
    const [last, checkpoint] = await Promise.all([this.streams.findOne({ _id: key }), this.checkpoints.findOne({ _id: projection })]);
    this.checkLog(projection, checkpoint);
    if (isSwapping(checkpoint)) throw new ProjectionSwapError(projection, 'a rebuilt projection is being swapped in');
    const epoch = epochOf(checkpoint);
    let fresh = last === null || epochOf(last) !== epoch || ref.streamRevision > Number(last.revision);
    if (fresh) {
      const stamp = { _ws: ref.streamId, _wr: ref.streamRevision };
      for (const change of changes) await storage!.apply(this.writes, change, stamp);
      fresh = await this.recordRevision(key, projection, ref, epoch, last === null);
    }
    await this.advanceCheckpoint(projection, ref.position, epoch, checkpoint);
    return fresh;
  }

  /**
   * `apply` for consecutive events in a few round trips, keeping its order of steps (so a crash
   * anywhere still converges on replay, and another projector's writes are still guarded):
   *  1. every change is validated; the checkpoint and the batch's revision documents are read once;
   *  2. the changes of the new events (by stream revision, as in `apply`) are made in log order,
   *     through the storage's applyBatch and written out in bulk where it has one (one by one
   *     instead if another writer got in between), else change by change;
   *  3. each stream's newest applied revision is recorded, in one bulk write (events without
   *     changes need none: they are idempotent by themselves);
   *  4. the checkpoint moves once, to the batch's last position.
   * Not atomic (nothing here is): a batch cut short by a crash is replayed from the checkpoint.
   * A rebuild's shadow keeps steps 3 and 4, and the documents, in memory instead (BulkLoad).
   * Overlapping calls for one projection run one after the other (InCallOrder). */
  override applyBatch(projection: string, events: ReadonlyArray<{ ref: AppliedEventRef; changes: unknown[] }>): Promise<void> {
    return this.batches.run(projection, () => this.writeBatch(projection, events));
  }

  private async writeBatch(projection: string, events: ReadonlyArray<{ ref: AppliedEventRef; changes: unknown[] }>): Promise<void> {
    if (events.length === 0) return;
    const withChanges = events.filter((e) => e.changes.length > 0);
    const storage = withChanges.length > 0 ? this.storageOf(projection) : null;
    for (const e of withChanges) for (const change of e.changes) storage!.validate(change);
    await this.init();
    const bulk = this.bulk;
    const keys = [...new Set(withChanges.map((e) => JSON.stringify([projection, e.ref.streamId])))];
    const [checkpoint, revisions] = bulk
      ? [null, []]
      : await Promise.all([this.checkpoints.findOne({ _id: projection }), keys.length === 0 ? Promise.resolve([] as StoredDoc[]) : this.streams.find({ _id: { $in: keys } }).toArray()]);
    this.checkLog(projection, checkpoint);
    if (isSwapping(checkpoint)) throw new ProjectionSwapError(projection, 'a rebuilt projection is being swapped in');
    const epoch = epochOf(checkpoint);
    const last = new Map<string, number>();
    for (const doc of revisions) if (epochOf(doc) === epoch) last.set(doc._id, Number(doc.revision));
    const items: Array<{ change: unknown; stamp: Stamp }> = [];
    const newest = new Map<string, AppliedEventRef>();
    for (const { ref, changes } of withChanges) {
      const key = JSON.stringify([projection, ref.streamId]);
      const seen = bulk ? bulk.revisions.get(key)?.revision : last.get(key);
      if (seen !== undefined && ref.streamRevision <= seen) continue;
      last.set(key, ref.streamRevision);
      bulk?.revisions.set(key, { projection, streamId: ref.streamId, revision: ref.streamRevision });
      newest.set(key, ref);
      for (const change of changes) items.push({ change, stamp: { _ws: ref.streamId, _wr: ref.streamRevision } });
    }
    if (items.length > 0) await writeChanges(storage!, this.writes, items, bulk);
    let position = events[0].ref.position;
    for (const e of events) if (this.compare(e.ref.position, position) > 0) position = e.ref.position;
    if (bulk) {
      if (bulk.checkpoint === null || this.compare(position, bulk.checkpoint) > 0) bulk.checkpoint = position;
      return bulk.settle();
    }
    await recordRevisions(this.streams, projection, newest, epoch, new Set(revisions.map((doc) => doc._id)));
    await this.advanceCheckpoint(projection, position, epoch, checkpoint);
  }

  /** A shadow's bulk load written out (see BulkLoad); from then on it writes like any store. */
  private async endBulkLoad(bookkeeping = true): Promise<BulkLoad | null> {
    const bulk = this.bulk;
    if (bulk === null) return null;
    this.bulk = null;
    await this.init();
    await bulk.flushDocuments();
    for (const storage of Object.values(this.storages)) await this.ensureIndexes(storage);
    if (!bookkeeping) return bulk;
    await bulk.writeRevisions(this.streams, 0);
    for (const projection of Object.keys(this.storages)) {
      if (bulk.checkpoint !== null) await this.checkpoints.updateOne({ _id: projection }, { $set: { position: bulk.checkpoint, epoch: 0, log: this.log } }, { upsert: true });
    }
    return bulk;
  }

  private async recordRevision(key: string, projection: string, ref: AppliedEventRef, epoch: number, absent: boolean): Promise<boolean> {
    const fields = { projection, streamId: ref.streamId, revision: ref.streamRevision, epoch };
    if (absent) {
      try {
        await this.streams.insertOne({ _id: key, ...fields });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    const r = await this.streams.updateOne({ _id: key, $or: [{ revision: { $lt: ref.streamRevision } }, { epoch: { $ne: epoch } }] }, { $set: fields });
    return r.matchedCount > 0;
  }

  private async advanceCheckpoint(projection: string, position: string, epoch: number, read: StoredDoc | null): Promise<void> {
    let current = read;
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      if (attempt > 0) current = await this.checkpoints.findOne({ _id: projection });
      if (current === null) {
        if (epoch !== 0) throw new ProjectionSwapError(projection, 'the projection was reset while the event was applied');
        try {
          await this.checkpoints.insertOne({ _id: projection, position, epoch: 0, log: this.log });
          return;
        } catch (err) {
          if (isDuplicateKey(err)) continue;
          throw err;
        }
      }
      if (epochOf(current) !== epoch || isSwapping(current)) throw new ProjectionSwapError(projection, 'a rebuilt projection was swapped in while the event was applied');
      const at = (current.position ?? null) as string | null;
      if (at !== null && this.compare(position, at) <= 0) return;
      const r = await this.checkpoints.updateOne({ _id: projection, position: at, epoch: current.epoch ?? null }, { $set: { position, log: this.log } });
      if (r.matchedCount === 1) return;
    }
    throw new Error(`Checkpoint of projection ${projection} kept changing; giving up for now`);
  }

  async getCheckpoint(projection: string): Promise<string | null> {
    if (this.bulk) return this.bulk.checkpoint;
    await this.init();
    const doc = await this.checkpoints.findOne({ _id: projection });
    this.checkLog(projection, doc);
    return (doc?.position ?? null) as string | null;
  }

  private checkLog(projection: string, checkpoint: Document | null): void {
    const stored = checkpoint?.log;
    if (this.log !== null && typeof stored === 'string' && checkpoint?.position != null && stored !== this.log) throw new ForeignCheckpointError(projection, stored, this.log);
  }

  /** Checkpoint first, then revisions, then data: a crash part-way leaves a projection that replays from the start. */
  async reset(projection: string): Promise<void> {
    await this.init();
    await this.checkpoints.deleteOne({ _id: projection });
    await this.streams.deleteMany({ projection });
    for (const name of Object.keys(this.storages[projection]?.collections ?? {})) await this.collection(name).deleteMany({});
  }

  /** A store on collections prefixed `rebuild_<projection>__` in the same database, emptied first. */
  async openShadow(projection: string): Promise<MongoReadModels> {
    const storage = this.storageOf(projection);
    await this.init();
    const shadow = new MongoReadModels(this.db, { [projection]: storage }, { ...this.options, collectionPrefix: `${this.prefix}rebuild_${projection}__` });
    if (this.log !== null) await shadow.bindLog(this.log);
    await shadow.dropCollections();
    shadow.bulk = new BulkLoad((name) => shadow.collection(name), this.options.shadowKeep);
    await shadow.init();
    return shadow;
  }

  /**
   * Swaps a rebuilt projection in, without transactions:
   *  1. Lock: the checkpoint document gets a new epoch and a lease (`swapUntil`, renewed while
   *     the swap runs); `apply` of any process refuses this projection until it is released.
   *  2. `catchUp` with the live checkpoint, which no writer can move any more.
   *  3. Data: each owned collection is replaced by the shadow's (renameCollection).
   *  4. Bookkeeping: the shadow's revisions are copied in under the new epoch, then the
   *     checkpoint takes the shadow's position and the lock is released in one update.
   * If the swapper dies, the lease runs out and writers resume on the old data, in the new epoch.
   */
  async swapIn(projection: string, shadow: ReadModelStore, catchUp: (livePosition: string | null) => Promise<void>): Promise<void> {
    if (!(shadow instanceof MongoReadModels) || shadow.db !== this.db || shadow === this) throw new Error('swapIn needs a shadow from openShadow');
    const storage = this.storageOf(projection);
    await this.init();
    let lock: { epoch: number; renew: NodeJS.Timeout } | null = null;
    try {
      const epoch = await this.lockForSwap(projection);
      const renew = setInterval(() => {
        void this.checkpoints.updateOne({ _id: projection, epoch }, { $set: { swapUntil: Date.now() + SWAP_LEASE_MS } }).catch(() => undefined);
      }, SWAP_LEASE_MS / 3);
      renew.unref();
      lock = { epoch, renew };
      const live = await this.checkpoints.findOne({ _id: projection });
      const foreign = this.log !== null && typeof live?.log === 'string' && live.log !== this.log;
      await catchUp(foreign ? null : ((live?.position ?? null) as string | null));
      const bulk = await shadow.endBulkLoad(false);
      const position = bulk ? bulk.checkpoint : await shadow.getCheckpoint(projection);
      for (const name of Object.keys(storage.collections)) await replaceCollection(this.db, shadow.prefix + name, this.prefix + name);
      await this.ensureIndexes(storage);
      await this.streams.deleteMany({ projection });
      if (bulk) await bulk.writeRevisions(this.streams, epoch);
      let batch: StoredDoc[] = [];
      for await (const doc of bulk ? [] : shadow.streams.find({ projection }, { batchSize: COPY_BATCH })) {
        batch.push({ ...doc, epoch });
        if (batch.length >= COPY_BATCH) {
          await this.streams.insertMany(batch, { ordered: false });
          batch = [];
        }
      }
      if (batch.length > 0) await this.streams.insertMany(batch, { ordered: false });
      const released = await this.checkpoints.updateOne({ _id: projection, epoch }, { $set: { position, log: this.log }, $unset: { swapUntil: '' } });
      if (released.matchedCount !== 1) throw new Error(`Projection ${projection}: lost the swap lock`);
      lock = null;
      clearInterval(renew);
    } finally {
      if (lock !== null) {
        clearInterval(lock.renew);
        await this.checkpoints.updateOne({ _id: projection, epoch: lock.epoch }, { $unset: { swapUntil: '' } }).catch(() => undefined);
      }
      await shadow.dropCollections().catch(() => undefined);
      await shadow.close();
    }
  }

  private async lockForSwap(projection: string): Promise<number> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const current = await this.checkpoints.findOne({ _id: projection });
      if (isSwapping(current)) throw new Error(`Projection ${projection}: another swap is in progress`);
      const epoch = epochOf(current) + 1;
      const swapUntil = Date.now() + SWAP_LEASE_MS;
      if (current === null) {
        try {
          await this.checkpoints.insertOne({ _id: projection, position: null, epoch, swapUntil });
          return epoch;
        } catch (err) {
          if (isDuplicateKey(err)) continue;
          throw err;
        }
      }
      const r = await this.checkpoints.updateOne({ _id: projection, epoch: current.epoch ?? null }, { $set: { epoch, swapUntil } });
      if (r.matchedCount === 1) return epoch;
    }
    throw new Error(`Projection ${projection}: could not take the swap lock`);
  }

  /** Drops every collection of this store (only ever used on shadows). */
  private async dropCollections(): Promise<void> {
    const names = [STREAMS, CHECKPOINTS, ...Object.values(this.storages).flatMap((s) => Object.keys(s.collections))];
    for (const name of names) {
      await this.collection(name)
        .drop()
        .catch((err: unknown) => {
          if (!isNamespaceNotFound(err)) throw err;
        });
    }
  }

  private storageOf(projection: string): MongoStorage {
    const storage = this.storages[projection];
    if (!storage) throw new UnknownProjectionError(projection);
    return storage;
  }

  /** The server's storage engine owns its files: nothing of a deleted document can be purged from here. */
  async purgeDeleted(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const client = this.ownedClient;
    this.ownedClient = null;
    if (client !== null) await client.close();
  }
}

function epochOf(doc: Document | null): number {
  return typeof doc?.epoch === 'number' ? doc.epoch : 0;
}

function isSwapping(checkpoint: Document | null): boolean {
  return typeof checkpoint?.swapUntil === 'number' && checkpoint.swapUntil > Date.now();
}
