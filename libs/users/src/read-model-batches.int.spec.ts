import type { RecordedEvent } from '@lib/event-store';
import { BatchedCollection, MongoReadModels, ReadModelStore, SqliteReadModels } from '@lib/read-models';
import { describeWithMongo, forgetCheckpoints, forgetRevisions, OpenReadModels, queriesOf, sqliteReadModelsForTests, storagesOf } from '@lib/read-models/testing';
import { cutIntoBatches, refOf, sortKey, userHistory, userQuery } from '@lib/users/testing';
import { LOGS } from './logs/logs.read-model';
import { USER_DIRECTORY } from './user-directory/user-directory.read-model';

/*
 * The batch path (`ReadModelStore.applyBatch`, what projections and rebuilds use) of the busiest
 * read models, the user directory and the logs (whose MongoDB storages write whole batches in
 * bulk), on both adapters: a batch must come out exactly as its events applied one by one, a
 * batch applied again must change nothing, and a batch that fails must leave nothing of itself
 * behind where the store is atomic (SQLite; MongoDB validates every change before writing any).
 */

const P = 'batches';
const MODELS = [USER_DIRECTORY, LOGS];
/** For the tests that may be the one to build the one-by-one reference. */
const BUILDS_REFERENCE = 180_000;


async function applyOneByOne(store: ReadModelStore, events: RecordedEvent[]): Promise<void> {
  for (const e of events) for (const m of MODELS) await store.apply(m.projection.name, refOf(e), m.projection.project(e));
}

async function applyInBatches(store: ReadModelStore, batches: RecordedEvent[][]): Promise<void> {
  for (const batch of batches) for (const m of MODELS) await store.applyBatch(m.projection.name, batch.map((e) => ({ ref: refOf(e), changes: m.projection.project(e) })));
}


/** Everything both read models answer, and the checkpoints. */
async function snapshot(store: ReadModelStore) {
  const users = queriesOf(store, USER_DIRECTORY);
  const logs = queriesOf(store, LOGS);
  const listed = await users.list(P, userQuery({ limit: 5000 }));
  const logRows: Record<string, unknown> = {};
  for (let i = 0; i < 25; i++) logRows[`u${i}`] = (await logs.list(P, `u${i}`, sortKey(0), 1000, 0)).items;
  return { users: listed, logs: logRows, checkpoints: [await store.getCheckpoint('users'), await store.getCheckpoint('logs')] };
}

/** The revisions recorded for the users projection, per stream. */
async function revisionsOf(store: ReadModelStore): Promise<unknown[]> {
  if (store instanceof SqliteReadModels) return store.database.prepare("SELECT stream_id, revision FROM projection_streams WHERE projection = 'users' ORDER BY stream_id").all();
  const docs = await (store as MongoReadModels).db.collection('projection_streams').find({ projection: 'users' }).sort({ _id: 1 }).toArray();
  return docs.map((d) => [d.streamId, d.revision]);
}

/** `openLive`: a store whose rebuild shadows keep few documents in memory (MongoDB), so that a rebuild writes some out and touches them again. */
function batchContract(adapter: string, open: OpenReadModels, openLive?: () => Promise<ReadModelStore>): void {
  describe(`applyBatch of the user directory and the logs: ${adapter}`, () => {
    const events = userHistory(P, 11, 240);
    let stores: ReadModelStore[] = [];
    const fresh = async () => {
      const store = await open(MODELS);
      await store.bindLog('log');
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      for (const s of stores) await s.close();
      stores = [];
    });
    // What the events applied one by one answer, the reference of three tests: built once, since
    // one event at a time is the slow path (tens of seconds on FerretDB under a busy machine).
    let reference: ReturnType<typeof snapshot> | undefined;
    const oneByOne = () => (reference ??= fresh().then(async (single) => {
      await applyOneByOne(single, events);
      return snapshot(single);
    }));

    it('comes out exactly as the events applied one by one', async () => {
      const want = await oneByOne();
      const batched = await fresh();
      await applyInBatches(batched, cutIntoBatches(events, 3));
      expect(want.users.total).toBeGreaterThan(5);
      expect(await snapshot(batched)).toEqual(want);
    }, BUILDS_REFERENCE);

    it('rebuilds into a shadow, fed in batches and swapped in, exactly as the events applied one by one', async () => {
      const live = await (openLive ?? fresh)();
      if (openLive) stores.push(live);
      await live.bindLog('log');
      await applyInBatches(live, cutIntoBatches(events.slice(0, 50), 19));
      for (const m of MODELS) {
        const shadow = await live.openShadow(m.projection.name);
        const feed = (from: string | null) => {
          const rest = events.filter((e) => from === null || Number(e.position) > Number(from));
          return cutIntoBatches(rest, 23).reduce((p, batch) => p.then(() => shadow.applyBatch(m.projection.name, batch.map((e) => ({ ref: refOf(e), changes: m.projection.project(e) })))), Promise.resolve());
        };
        await feed(null);
        await live.swapIn(m.projection.name, shadow, async () => undefined);
      }
      expect(await snapshot(live)).toEqual(await oneByOne());
    }, BUILDS_REFERENCE);

    it('changes nothing when applied again, whole or overlapping what was applied', async () => {
      const store = await fresh();
      const batches = cutIntoBatches(events, 5);
      await applyInBatches(store, batches);
      const before = await snapshot(store);
      await applyInBatches(store, batches);
      await applyInBatches(store, cutIntoBatches(events.slice(17, 200), 9));
      expect(await snapshot(store)).toEqual(before);
    });

    // SQLite writes the batch's events in one transaction and fails at the last one, which rolls
    // the others back; MongoDB validates every change before it writes any.
    it('refuses a batch whose last change is unknown, and keeps nothing of it', async () => {
      const store = await fresh();
      await applyInBatches(store, cutIntoBatches(events.slice(0, 100), 7));
      const before = await snapshot(store);
      const revisions = await revisionsOf(store);
      const next = events.slice(100, 140).map((e) => ({ ref: refOf(e), changes: USER_DIRECTORY.projection.project(e) }));
      expect(next.filter((e) => e.changes.length > 0).length).toBeGreaterThan(20);
      next[next.length - 1] = { ...next[next.length - 1], changes: [{ kind: 'bogus' }] };
      await expect(store.applyBatch('users', next)).rejects.toThrow(/bogus/);
      expect(await snapshot(store)).toEqual(before);
      expect(await revisionsOf(store)).toEqual(revisions);
    });

    if (adapter === 'mongodb') {
      it('converges when a batch is replayed after a crash before its bookkeeping', async () => {
        const want = await oneByOne();
        const batched = await fresh();
        await applyInBatches(batched, cutIntoBatches(events, 13));
        await forgetRevisions(batched);
        await forgetCheckpoints(batched);
        await applyInBatches(batched, cutIntoBatches(events, 17));
        expect(await snapshot(batched)).toEqual(want);
      }, BUILDS_REFERENCE);

      it('a batch whose documents changed under it answers false (and its caller goes one by one)', async () => {
        const store = (await fresh()) as MongoReadModels;
        const users = store.collection('users');
        await users.insertOne({ _id: 'k', projectId: P, name: 'first', _ws: 's', _wr: 0, _v: 1 });
        const batch = new BatchedCollection(users);
        await batch.load(['k', 'new']);
        batch.put('k', { projectId: P, name: 'batch' }, { _ws: 's', _wr: 1 });
        batch.put('new', { projectId: P, name: 'new' }, { _ws: 't', _wr: 0 });
        await users.updateOne({ _id: 'k' }, { $set: { name: 'other writer' }, $inc: { _v: 1 } });
        expect(await batch.flush()).toBe(false);
        expect(await users.findOne({ _id: 'k' })).toMatchObject({ name: 'other writer', _v: 2 });
        expect(await users.findOne({ _id: 'new' })).toMatchObject({ name: 'new', _v: 1 });
      });
    }
  });
}

batchContract('sqlite', sqliteReadModelsForTests());
describeWithMongo('applyBatch on MongoDB', (server) => {
  const openLive = async () => {
    const store = new MongoReadModels((await server.client()).db(server.freshDbName()), storagesOf(MODELS, (d) => d.mongodb.storage), { shadowKeep: 3 });
    await store.init();
    // Its database goes with it (the suite's client stays open until the suite ends).
    const close = store.close.bind(store);
    store.close = async () => {
      await store.db.dropDatabase();
      await close();
    };
    return store;
  };
  batchContract('mongodb', server.open, openLive);
});
