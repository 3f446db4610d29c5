import { Collection, Db, Document, MongoBulkWriteError, MongoClient, MongoClientOptions, MongoServerError, WriteError } from 'mongodb';
import { LIST_TOTAL_CAP, UserListQuery } from '../../../appwrite/src/queries/user-list-query';
import {
  ApiKeyRecord,
  AppliedEventRef,
  ListResult,
  LogRecord,
  MembershipRecord,
  ProjectRecord,
  ReadModelChange,
  ReadStore,
  SessionRecord,
  UserRecord,
} from '../read-store.port';
import { comparePositionsNaturally, PositionComparator } from '../positions';
import {
  COLLECTIONS,
  INDEXES,
  PROJECTION_COLLECTIONS,
  RECORD_PROJECTION,
  recordKey,
  streamKey,
  toRecord,
  toUser,
  USER_PROJECTION,
  userFields,
} from './mongodb-schema';
import { compileUserList } from './mongodb-user-query';

export interface MongoReadStoreOptions {
  /** The event store's position order; the default understands numeric and "C:1/P:2"-like positions. */
  comparePositions?: PositionComparator;
  /** Prepended to every collection name (a shadow store for rebuilds lives beside the live one this way). */
  collectionPrefix?: string;
}

/**
 * Thrown by `applyChanges` while a rebuilt projection is being swapped in, or when a swap
 * happened while the event was being applied. The event must be applied again from the
 * checkpoint (the projection runner does exactly that after any error).
 */
export class ProjectionSwapError extends Error {
  constructor(projection: string, detail: string) {
    super(`Projection ${projection}: ${detail}; re-apply from the checkpoint`);
    this.name = 'ProjectionSwapError';
  }
}

const SESSIONS_MAX = 1000;
const MEMBERSHIPS_MAX = 1000;
/** Attempts of a compare-and-set (checkpoint, user patch) before giving up; the runner retries the event. */
const CAS_ATTEMPTS = 50;
/** How long a swap holds off writers unless renewed (it renews every third of it). */
const SWAP_LEASE_MS = 60_000;
/** Revision documents copied per insertMany when a rebuilt projection is swapped in. */
const COPY_BATCH = 1000;
const DUPLICATE_KEY = 11000;
const NAMESPACE_NOT_FOUND = 26;
const NOT_IMPLEMENTED = 238;
const NAMESPACE_EXISTS = 48;

const KNOWN_CHANGES: ReadonlySet<string> = new Set<ReadModelChange['kind']>([
  'user.put',
  'user.patch',
  'user.delete',
  'session.put',
  'session.delete',
  'session.deleteAllOfUser',
  'membership.put',
  'membership.deleteAllOfUser',
  'log.append',
  'project.put',
  'apiKey.put',
  'apiKey.revoke',
]);

/** Every collection keys its documents by a string `_id`; the fields are checked where they are read. */
interface StoredDoc {
  _id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the driver's update typing needs it
  [field: string]: any;
}

/** Who writes: the event's stream and revision, stamped on every document it writes. */
interface Stamp {
  _ws: string;
  _wr: number;
}

/**
 * The distributed read model on MongoDB (7.x) or FerretDB (1.x, MongoDB wire protocol over
 * SQLite or PostgreSQL). Reads are plain `find`/`countDocuments` with filter, sort, skip and
 * limit (see mongodb-user-query.ts); nothing relies on transactions, collations, $expr,
 * aggregation beyond what countDocuments sends, or pipeline updates.
 *
 * How `applyChanges` keeps the port's guarantees without multi-document transactions
 * ---------------------------------------------------------------------------------
 * An event's writes are not atomic here; instead every step is safe to repeat, and the steps
 * run in an order that makes any repeat converge:
 *
 *  1. All changes are validated first, so a malformed event writes nothing.
 *  2. The (projection, stream) revision document is read: if it already holds this revision or
 *     a later one, the event was applied and step 3 is skipped.
 *  3. The changes are applied in order, each idempotent on its own: a put writes the whole
 *     record under a deterministic `_id` (inserted if new, else overwritten with absolute
 *     values); a patch sets absolute values; a log record is inserted under the id of its event
 *     (a duplicate is ignored); a delete turns records into tombstones (a repeat finds nothing
 *     left to delete); a revoke sets `revoked: true`.
 *  4. The revision document moves to this revision: inserted for a stream's first event, else a
 *     conditional update (`{revision: {$lt: r}}`). A duplicate key / no match means another
 *     process recorded it (or a later one) first; the event then counts as applied (`false`).
 *  5. The checkpoint moves to the event's position if that is later: a compare-and-set loop in
 *     the event store's position order (known only here, not to any query operator), so it
 *     never moves backwards.
 *
 * The checkpoint never passes an event whose revision is not recorded (5 after 4), and no
 * revision is recorded before its changes are written (4 after 3). So a crash anywhere followed
 * by a replay from the checkpoint converges: a crash inside 3 re-applies the whole event, which
 * the idempotent changes absorb; a crash between 4 and 5 replays events whose revisions are
 * recorded, and they are skipped. Readers can see an event half-applied while step 3 runs,
 * never a state that the log cannot explain once the event is complete.
 *
 * Two projector processes: when both apply the same event they write the same absolute values,
 * whatever the interleaving. A process lagging behind could however write an older event after
 * another process applied a newer one of the same stream (between its check in 2 and its
 * writes in 3). So every document also carries the stream and revision that wrote it last
 * (`_ws`/`_wr`), and every overwrite is conditional on that stamp not being newer than the
 * event (same stream, higher revision): the late write is dropped. Deleted records stay as
 * tombstones with their stamp for the same reason, so a late put cannot resurrect them (nor a
 * late put un-revoke a key). User patches read, merge and write back under a compare-and-set
 * on the write counter `_v` (the search words depend on several fields).
 *
 * These conditional writes are atomic on MongoDB. FerretDB 1.x evaluates a filter in its own
 * process and then writes, without isolation: of 10 concurrent `{_id, v: 0} -> v: i` updates of
 * one document, several report a match. There the guards hold for crash/replay and for one
 * projector per projection (the deployment), and only narrow the window between two
 * projectors racing on different events of one stream.
 *
 * Blue/green rebuilds add an epoch to each projection's checkpoint document (see `swapIn`):
 * revision documents of another epoch are not trusted (the event is simply re-applied), and a
 * checkpoint is only moved within the epoch its event started in.
 */
export class MongoReadStore extends ReadStore {
  private readonly compare: PositionComparator;
  private readonly prefix: string;
  private readonly users: Collection<StoredDoc>;
  private readonly sessions: Collection<StoredDoc>;
  private readonly memberships: Collection<StoredDoc>;
  private readonly logs: Collection<StoredDoc>;
  private readonly projects: Collection<StoredDoc>;
  private readonly apiKeys: Collection<StoredDoc>;
  private readonly streams: Collection<StoredDoc>;
  private readonly checkpoints: Collection<StoredDoc>;
  private ownedClient: MongoClient | null = null;
  private initializing: Promise<void> | null = null;
  private lastOrd = 0;
  private closed = false;

  /** Uses a connected database; indexes are created on first use (or by `init()`). */
  constructor(
    private readonly db: Db,
    options: MongoReadStoreOptions = {},
  ) {
    super();
    this.compare = options.comparePositions ?? comparePositionsNaturally;
    this.prefix = options.collectionPrefix ?? '';
    this.users = this.collection(COLLECTIONS.users);
    this.sessions = this.collection(COLLECTIONS.sessions);
    this.memberships = this.collection(COLLECTIONS.memberships);
    this.logs = this.collection(COLLECTIONS.logs);
    this.projects = this.collection(COLLECTIONS.projects);
    this.apiKeys = this.collection(COLLECTIONS.apiKeys);
    this.streams = this.collection(COLLECTIONS.streams);
    this.checkpoints = this.collection(COLLECTIONS.checkpoints);
  }

  /** Connects, creates the indexes, and closes the client with the store. */
  static async connect(
    url: string,
    dbName: string,
    options: MongoReadStoreOptions & { client?: MongoClientOptions } = {},
  ): Promise<MongoReadStore> {
    const client = new MongoClient(url, options.client);
    await client.connect();
    try {
      const store = new MongoReadStore(client.db(dbName), options);
      store.ownedClient = client;
      await store.init();
      return store;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  /** Creates the indexes every query needs (idempotent; several processes may run it at once). */
  init(): Promise<void> {
    if (this.initializing === null) {
      this.initializing = this.createIndexes().catch((err: unknown) => {
        this.initializing = null;
        throw err;
      });
    }
    return this.initializing;
  }

  private async createIndexes(): Promise<void> {
    for (const name of Object.keys(INDEXES)) await this.ensureIndexes(name);
  }

  /**
   * One createIndexes command per index: FerretDB 1.24 panics (and drops the connection) when
   * one command lists several indexes that all exist already; a single existing index is a no-op
   * on FerretDB and MongoDB alike.
   */
  private async ensureIndexes(name: string): Promise<void> {
    const collection = this.collection(name);
    for (const index of INDEXES[name] ?? []) await collection.createIndexes([index]);
  }

  private collection(name: string): Collection<StoredDoc> {
    return this.db.collection<StoredDoc>(this.prefix + name);
  }

  // -------------------------------------------------------------------------------------------
  // Writes

  async applyChanges(projection: string, ref: AppliedEventRef, changes: ReadModelChange[]): Promise<boolean> {
    for (const change of changes) {
      if (!KNOWN_CHANGES.has(change?.kind)) throw new Error(`Unknown read-model change ${String(change?.kind)}`);
    }
    await this.init();
    const key = streamKey(projection, ref.streamId);
    const [last, checkpoint] = await Promise.all([
      this.streams.findOne({ _id: key }),
      this.checkpoints.findOne({ _id: projection }),
    ]);
    if (isSwapping(checkpoint)) throw new ProjectionSwapError(projection, 'a rebuilt projection is being swapped in');
    const epoch = epochOf(checkpoint);
    let fresh = last === null || epochOf(last) !== epoch || ref.streamRevision > Number(last.revision);
    if (fresh) {
      await this.applyAll(changes, { _ws: ref.streamId, _wr: ref.streamRevision });
      fresh = await this.recordRevision(key, projection, ref, epoch, last === null);
    }
    await this.advanceCheckpoint(projection, ref.position, epoch, checkpoint);
    return fresh;
  }

  /**
   * Step 4: the stream's revision, moved forward only. False if another writer recorded it (or
   * a later one) first. A first revision is inserted (cheap everywhere; an upsert whose filter
   * has more than the `_id` costs FerretDB a scan when it inserts).
   */
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
    const r = await this.streams.updateOne(
      { _id: key, $or: [{ revision: { $lt: ref.streamRevision } }, { epoch: { $ne: epoch } }] },
      { $set: fields },
    );
    return r.matchedCount > 0;
  }

  /** Step 5: compare-and-set in the event store's position order, within the event's epoch. */
  private async advanceCheckpoint(projection: string, position: string, epoch: number, read: StoredDoc | null): Promise<void> {
    let current = read;
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      if (attempt > 0) current = await this.checkpoints.findOne({ _id: projection });
      if (current === null) {
        if (epoch !== 0) throw new ProjectionSwapError(projection, 'the projection was reset while the event was applied');
        try {
          await this.checkpoints.insertOne({ _id: projection, position, epoch: 0 });
          return;
        } catch (err) {
          if (isDuplicateKey(err)) continue;
          throw err;
        }
      }
      if (epochOf(current) !== epoch || isSwapping(current)) {
        throw new ProjectionSwapError(projection, 'a rebuilt projection was swapped in while the event was applied');
      }
      const at = (current.position ?? null) as string | null;
      if (at !== null && this.compare(position, at) <= 0) return;
      const r = await this.checkpoints.updateOne(
        { _id: projection, position: at, epoch: current.epoch ?? null },
        { $set: { position } },
      );
      if (r.matchedCount === 1) return;
    }
    throw new Error(`Checkpoint of projection ${projection} kept changing; giving up for now`);
  }

  /**
   * Step 3, in order. Consecutive puts into one collection (distinct records) go out as one
   * insertMany: a new record (by far the common case) costs no more than that, and the records
   * that exist already come back as duplicate keys and are updated under the stamp guard.
   */
  private async applyAll(changes: ReadModelChange[], stamp: Stamp): Promise<void> {
    let run: { collection: Collection<StoredDoc>; insertOnly: boolean; docs: StoredDoc[]; ids: Set<string> } | null = null;
    const flush = async () => {
      if (run !== null) await this.putMany(run.collection, run.docs, stamp, run.insertOnly);
      run = null;
    };
    for (const change of changes) {
      const put = this.asPut(change, stamp);
      if (put === null) {
        await flush();
        await this.applyChange(change, stamp);
        continue;
      }
      const current: typeof run = run;
      if (current === null || current.collection !== put.collection || current.insertOnly !== put.insertOnly || current.ids.has(put.doc._id)) {
        await flush();
        run = { collection: put.collection, insertOnly: put.insertOnly, docs: [], ids: new Set() };
      }
      run!.docs.push(put.doc);
      run!.ids.add(put.doc._id);
    }
    await flush();
  }

  /** The document a put-like change writes whole (null for the other changes). */
  private asPut(change: ReadModelChange, stamp: Stamp): { collection: Collection<StoredDoc>; doc: StoredDoc; insertOnly: boolean } | null {
    const doc = (collection: Collection<StoredDoc>, _id: string, fields: Document, ordered: boolean) => ({
      collection,
      insertOnly: false,
      doc: { _id, ...fields, ...stamp, _v: 1, ...(ordered ? { _ord: this.nextOrd() } : {}) },
    });
    switch (change.kind) {
      case 'user.put':
        return doc(this.users, recordKey(change.user.projectId, change.user.id), userFields(change.user), false);
      case 'session.put':
        return doc(this.sessions, recordKey(change.session.projectId, change.session.id), { ...change.session }, true);
      case 'membership.put':
        return doc(this.memberships, recordKey(change.membership.projectId, change.membership.id), { ...change.membership }, true);
      case 'project.put':
        return doc(this.projects, change.project.id, { ...change.project }, false);
      case 'apiKey.put':
        return doc(this.apiKeys, recordKey(change.apiKey.projectId, change.apiKey.id), { ...change.apiKey }, true);
      case 'log.append':
        // Logs are never changed: a record is written once, under the id of its event.
        return { collection: this.logs, insertOnly: true, doc: { _id: recordKey(change.log.projectId, change.log.id), ...change.log } };
      default:
        return null;
    }
  }

  /**
   * Inserts whole documents; those whose `_id` exists are updated instead (unless `insertOnly`),
   * with absolute values, unless a later event of the same stream wrote them or their
   * tombstone: then the guard misses and the late write is dropped.
   */
  private async putMany(collection: Collection<StoredDoc>, docs: StoredDoc[], stamp: Stamp, insertOnly: boolean): Promise<void> {
    const existing = await insertAllNew(collection, docs);
    if (insertOnly) return;
    for (const doc of existing) {
      const { _id, _v, _ord, ...fields } = doc;
      await collection.updateOne({ _id, ...notNewerThan(stamp) }, { $set: fields, $inc: { _v: 1 } });
    }
  }

  private async applyChange(change: ReadModelChange, stamp: Stamp): Promise<void> {
    switch (change.kind) {
      case 'user.patch':
        await this.patchUser(change.projectId, change.userId, change.patch, stamp);
        return;
      case 'user.delete':
        await this.tombstone(this.users, { _id: recordKey(change.projectId, change.userId), projectId: change.projectId }, stamp);
        return;
      case 'session.delete':
        await this.tombstone(
          this.sessions,
          { _id: recordKey(change.projectId, change.sessionId), projectId: change.projectId, userId: change.userId },
          stamp,
        );
        return;
      case 'session.deleteAllOfUser':
        await this.tombstone(this.sessions, { projectId: change.projectId, userId: change.userId }, stamp);
        return;
      case 'membership.deleteAllOfUser':
        await this.tombstone(this.memberships, { projectId: change.projectId, userId: change.userId }, stamp);
        return;
      case 'apiKey.revoke':
        await this.apiKeys.updateOne(
          { _id: recordKey(change.projectId, change.keyId), projectId: change.projectId, ...notNewerThan(stamp) },
          { $set: { revoked: true, ...stamp }, $inc: { _v: 1 } },
        );
        return;
      case 'user.put':
      case 'session.put':
      case 'membership.put':
      case 'log.append':
      case 'project.put':
      case 'apiKey.put': {
        const put = this.asPut(change, stamp)!;
        await this.putMany(put.collection, [put.doc], stamp, put.insertOnly);
        return;
      }
      default: {
        const unknown: never = change;
        throw new Error(`Unknown read-model change ${(unknown as { kind: string }).kind}`);
      }
    }
  }

  /** Deletes by tombstoning: the project becomes `{deleted: projectId}`, which no read matches. */
  private async tombstone(collection: Collection<StoredDoc>, filter: Document & { projectId: string }, stamp: Stamp): Promise<void> {
    await collection.updateMany(
      { ...filter, ...notNewerThan(stamp) },
      { $set: { projectId: { deleted: filter.projectId }, ...stamp }, $inc: { _v: 1 } },
    );
  }

  private async patchUser(projectId: string, userId: string, patch: Partial<UserRecord>, stamp: Stamp): Promise<void> {
    const _id = recordKey(projectId, userId);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const doc = await this.users.findOne({ _id });
      // Absent (or deleted): a patch is not an insert.
      if (doc === null || doc.projectId !== projectId) return;
      if (doc._ws === stamp._ws && Number(doc._wr) > stamp._wr) return;
      const user = toUser(doc);
      const target = user as unknown as Record<string, unknown>;
      const fields = patch as Record<string, unknown>;
      // An explicit undefined means "not part of the patch", as with object spread elsewhere.
      for (const key of Object.keys(fields)) {
        if (fields[key] !== undefined && key !== 'projectId' && key !== 'id' && key !== 'sequence') target[key] = fields[key];
      }
      const r = await this.users.updateOne({ _id, _v: doc._v }, { $set: { ...userFields(user), ...stamp }, $inc: { _v: 1 } });
      if (r.matchedCount === 1) return;
    }
    throw new Error(`User ${projectId}/${userId} kept changing during a patch; giving up for now`);
  }

  /** Insertion order for ties of equal creation times: wall-clock based, strictly increasing per process. */
  private nextOrd(): number {
    this.lastOrd = Math.max(Date.now() * 1024, this.lastOrd + 1);
    return this.lastOrd;
  }

  // -------------------------------------------------------------------------------------------
  // Reads

  async getCheckpoint(projection: string): Promise<string | null> {
    await this.init();
    const doc = await this.checkpoints.findOne({ _id: projection });
    return ((doc?.position ?? null) as string | null);
  }

  async getUser(projectId: string, userId: string): Promise<UserRecord | null> {
    await this.init();
    const doc = await this.users.findOne({ _id: recordKey(projectId, userId) }, { projection: USER_PROJECTION });
    return doc === null || doc.projectId !== projectId ? null : toUser(doc);
  }

  async listUsers(projectId: string, query: UserListQuery): Promise<ListResult<UserRecord>> {
    await this.init();
    let cursorDoc: Document | null = null;
    if (query.cursor) {
      const found = await this.users.findOne({ _id: recordKey(projectId, query.cursor.userId) });
      cursorDoc = found !== null && found.projectId === projectId ? found : null;
      // The caller checked the cursor exists; if it vanished since, there is no position to
      // page from, and an empty page is the least surprising answer.
      if (cursorDoc === null) {
        const compiled = compileUserList(projectId, { ...query, cursor: undefined, limit: 0 }, null);
        return { total: await this.countUsers(compiled.filter), items: [] };
      }
    }
    const compiled = compileUserList(projectId, query, cursorDoc);
    const page = compiled.page;
    // No snapshot spans the two reads (no transactions): they run side by side, and a write
    // landing between them can make the total and the page differ by that write.
    const [total, docs] = await Promise.all([
      this.countUsers(compiled.filter),
      page === null
        ? Promise.resolve([] as Document[])
        : this.users.find(page.filter, { projection: USER_PROJECTION, sort: page.sort, skip: page.skip, limit: page.limit }).toArray(),
    ]);
    if (compiled.reverse) docs.reverse();
    return { total, items: docs.map(toUser) };
  }

  /** Counting stops at the cap: the server never walks more than LIST_TOTAL_CAP matches. */
  private countUsers(filter: Document): Promise<number> {
    return this.users.countDocuments(filter, { limit: LIST_TOTAL_CAP });
  }

  async listSessions(projectId: string, userId: string): Promise<SessionRecord[]> {
    await this.init();
    const docs = await this.sessions
      .find({ projectId, userId }, { projection: RECORD_PROJECTION, sort: [['createdAt', 1], ['_ord', 1]], limit: SESSIONS_MAX })
      .toArray();
    return docs.map((d) => toRecord<SessionRecord>(d));
  }

  async getSession(projectId: string, sessionId: string): Promise<SessionRecord | null> {
    await this.init();
    const doc = await this.sessions.findOne({ _id: recordKey(projectId, sessionId) }, { projection: RECORD_PROJECTION });
    return doc === null || doc.projectId !== projectId ? null : toRecord<SessionRecord>(doc);
  }

  async listMemberships(projectId: string, userId: string): Promise<MembershipRecord[]> {
    await this.init();
    const docs = await this.memberships
      .find({ projectId, userId }, { projection: RECORD_PROJECTION, sort: [['createdAt', 1], ['_ord', 1]], limit: MEMBERSHIPS_MAX })
      .toArray();
    return docs.map((d) => toRecord<MembershipRecord>(d));
  }

  async listLogs(
    projectId: string,
    userId: string,
    afterSequence: number,
    limit: number,
    offset: number,
  ): Promise<ListResult<LogRecord>> {
    await this.init();
    const filter = { projectId, userId, sequence: { $gt: afterSequence } };
    const n = clampInt(limit);
    const [total, docs] = await Promise.all([
      this.logs.countDocuments(filter),
      n === 0
        ? Promise.resolve([] as Document[])
        : this.logs
            .find(filter, { projection: RECORD_PROJECTION, sort: [['time', -1], ['sequence', -1]], skip: clampInt(offset), limit: n })
            .toArray(),
    ]);
    return { total, items: docs.map((d) => toRecord<LogRecord>(d)) };
  }

  async getProject(projectId: string): Promise<ProjectRecord | null> {
    await this.init();
    const doc = await this.projects.findOne({ _id: projectId }, { projection: RECORD_PROJECTION });
    return doc === null ? null : toRecord<ProjectRecord>(doc);
  }

  async listApiKeys(projectId: string): Promise<ApiKeyRecord[]> {
    await this.init();
    const docs = await this.apiKeys.find({ projectId }, { projection: RECORD_PROJECTION, sort: [['createdAt', 1], ['_ord', 1]] }).toArray();
    return docs.map((d) => toRecord<ApiKeyRecord>(d));
  }

  // -------------------------------------------------------------------------------------------
  // Maintenance

  /**
   * Checkpoint first, then revisions, then data: a crash part-way leaves a projection that
   * replays from the start, which is what a reset is for (data first would leave an emptied
   * read model behind a checkpoint that claims it complete).
   */
  async reset(projection: string): Promise<void> {
    await this.init();
    await this.checkpoints.deleteOne({ _id: projection });
    await this.streams.deleteMany({ projection });
    for (const name of PROJECTION_COLLECTIONS[projection] ?? []) await this.collection(name).deleteMany({});
  }

  /** A store on collections prefixed `rebuild_<projection>__` in the same database, emptied first. */
  async openShadow(projection: string): Promise<ReadStore> {
    if (!PROJECTION_COLLECTIONS[projection]) throw new Error(`unknown projection ${projection}`);
    await this.init();
    const shadow = new MongoReadStore(this.db, {
      comparePositions: this.compare,
      collectionPrefix: `${this.prefix}rebuild_${projection}__`,
    });
    await shadow.dropCollections();
    await shadow.init();
    return shadow;
  }

  /**
   * Swaps a rebuilt projection in, without transactions:
   *  1. Lock: the projection's checkpoint document gets a new epoch and a lease (`swapUntil`,
   *     renewed while the swap runs). From then on `applyChanges` of any process refuses to
   *     start an event of this projection, and an event already under way fails at its
   *     checkpoint step (its epoch is gone), so its runner re-applies it from the checkpoint.
   *  2. `catchUp` with the live checkpoint, which no writer can move any more.
   *  3. Data: each collection of the projection is replaced by the shadow's with
   *     renameCollection (dropTarget, atomic per collection on MongoDB; two renames on
   *     FerretDB, see `replaceCollection`).
   *  4. Bookkeeping: the shadow's revisions are copied in under the new epoch (a straggler's
   *     revision of the old epoch is not trusted, the event is re-applied), then the checkpoint
   *     takes the shadow's position and the lock is released in one update.
   * If the swapper dies, the lease runs out and writers resume on the old data, in the new
   * epoch (all they lose is trust in old revision documents: events get re-applied).
   */
  async swapIn(projection: string, shadow: ReadStore, catchUp: (livePosition: string | null) => Promise<void>): Promise<void> {
    if (!(shadow instanceof MongoReadStore) || shadow.db !== this.db || shadow === this) {
      throw new Error('swapIn needs a shadow from openShadow');
    }
    const owned = PROJECTION_COLLECTIONS[projection];
    if (!owned) throw new Error(`unknown projection ${projection}`);
    await this.init();
    let lock: { epoch: number; renew: NodeJS.Timeout } | null = null;
    try {
      const epoch = await this.lockForSwap(projection);
      const renew = setInterval(() => {
        void this.checkpoints
          .updateOne({ _id: projection, epoch }, { $set: { swapUntil: Date.now() + SWAP_LEASE_MS } })
          .catch(() => undefined);
      }, SWAP_LEASE_MS / 3);
      renew.unref();
      lock = { epoch, renew };

      const live = await this.checkpoints.findOne({ _id: projection });
      await catchUp((live?.position ?? null) as string | null);
      const position = await shadow.getCheckpoint(projection);

      for (const name of owned) await this.replaceCollection(shadow.prefix + name, this.prefix + name);
      // Renamed collections keep their indexes; this only re-asserts them.
      for (const name of owned) await this.ensureIndexes(name);

      await this.streams.deleteMany({ projection });
      const revisions = shadow.streams.find({ projection }, { batchSize: COPY_BATCH });
      let batch: StoredDoc[] = [];
      for await (const doc of revisions) {
        batch.push({ ...doc, epoch });
        if (batch.length >= COPY_BATCH) {
          await this.streams.insertMany(batch, { ordered: false });
          batch = [];
        }
      }
      if (batch.length > 0) await this.streams.insertMany(batch, { ordered: false });

      const released = await this.checkpoints.updateOne(
        { _id: projection, epoch },
        { $set: { position }, $unset: { swapUntil: '' } },
      );
      if (released.matchedCount !== 1) throw new Error(`Projection ${projection}: lost the swap lock`);
      lock = null;
      clearInterval(renew);
    } finally {
      if (lock !== null) {
        clearInterval(lock.renew);
        // Failed part-way: let writers resume (in the new epoch, on whatever data is in place).
        await this.checkpoints.updateOne({ _id: projection, epoch: lock.epoch }, { $unset: { swapUntil: '' } }).catch(() => undefined);
      }
      await shadow.dropCollections().catch(() => undefined);
      await shadow.close();
    }
  }

  /**
   * renameCollection with dropTarget replaces a collection atomically on MongoDB. FerretDB 1.24
   * does not implement dropTarget (NotImplemented, code 238): there the live collection is first
   * renamed aside, the new one takes its name, and the old one is dropped, so readers may find
   * the collection missing (an empty list) for the moment between the two renames.
   */
  private async replaceCollection(from: string, to: string): Promise<void> {
    try {
      await this.db.renameCollection(from, to, { dropTarget: true });
      return;
    } catch (err) {
      if (!(err instanceof MongoServerError && err.code === NOT_IMPLEMENTED)) throw err;
    }
    const aside = `${to}__replaced_${Date.now()}`;
    let moved = false;
    try {
      await this.db.renameCollection(to, aside);
      moved = true;
    } catch (err) {
      if (!isNamespaceNotFound(err)) throw err;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.renameCollection(from, to);
        break;
      } catch (err) {
        // A straggler's write (or index creation) re-created the collection in between: what it
        // holds belongs to the old epoch and gets re-applied, so it goes too.
        if (!(err instanceof MongoServerError && err.code === NAMESPACE_EXISTS) || attempt >= CAS_ATTEMPTS) throw err;
        await this.db.dropCollection(to).catch((e: unknown) => {
          if (!isNamespaceNotFound(e)) throw e;
        });
      }
    }
    if (moved) await this.db.dropCollection(aside);
  }

  /** Takes the swap lock: a new epoch and a lease. Refuses while another swap holds a live lease. */
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
    for (const name of Object.values(COLLECTIONS)) {
      await this.collection(name)
        .drop()
        .catch((err: unknown) => {
          if (!isNamespaceNotFound(err)) throw err;
        });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const client = this.ownedClient;
    this.ownedClient = null;
    if (client !== null) await client.close();
  }
}

/** The stamp guard: the document was last written by another stream, or by this event or an earlier one of its stream. */
function notNewerThan(stamp: Stamp): Document {
  return { $or: [{ _ws: { $ne: stamp._ws } }, { _wr: { $lte: stamp._wr } }] };
}

function epochOf(doc: Document | null): number {
  return typeof doc?.epoch === 'number' ? doc.epoch : 0;
}

function isSwapping(checkpoint: Document | null): boolean {
  return typeof checkpoint?.swapUntil === 'number' && checkpoint.swapUntil > Date.now();
}

function isDuplicateKey(err: unknown): boolean {
  if (!(err instanceof MongoServerError)) return false;
  if (err.code === DUPLICATE_KEY) return true;
  const writeErrors = (err as MongoServerError & { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((e: { code?: number }) => e.code === DUPLICATE_KEY);
}

/**
 * insertMany (unordered) of documents keyed by `_id`; returns the documents that were not
 * inserted because their `_id` exists. Any other write error is thrown.
 */
async function insertAllNew(collection: Collection<StoredDoc>, docs: StoredDoc[]): Promise<StoredDoc[]> {
  if (docs.length === 0) return [];
  try {
    if (docs.length === 1) await collection.insertOne(docs[0]);
    else await collection.insertMany(docs, { ordered: false });
    return [];
  } catch (err) {
    if (docs.length === 1 && isDuplicateKey(err)) return docs;
    if (!(err instanceof MongoBulkWriteError)) throw err;
    const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors as WriteError];
    const existing: StoredDoc[] = [];
    for (const e of errors) {
      if (e.code !== DUPLICATE_KEY) throw err;
      existing.push(docs[e.index]);
    }
    return existing;
  }
}

function isNamespaceNotFound(err: unknown): boolean {
  return err instanceof MongoServerError && (err.code === NAMESPACE_NOT_FOUND || /ns not found|does not exist/i.test(err.message));
}

function clampInt(n: number): number {
  return Math.max(0, Math.min(Math.floor(n), 2 ** 31 - 1));
}
