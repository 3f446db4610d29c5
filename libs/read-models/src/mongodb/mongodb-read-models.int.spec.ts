import {
  deleteNote,
  describeWithMongo,
  forgetCheckpoints,
  forgetRevisions,
  MONGO_BOOKKEEPING,
  note,
  NOTES,
  noteReadModel,
  putNote,
  queriesOf,
  readModelStoreContract,
  ref,
} from '@lib/read-models/testing';
import { BatchedCollection } from './mongodb-batch';
import { MongoReadModels } from './mongodb-read-models';
import { ProjectionSwapError } from './projection-swap-error';

/*
 * The plumbing contract against a real server: FerretDB 1.24 from `npm run infra:up` (which
 * writes MONGODB_URL to .infra/env), or whatever MONGODB_URL points at (MongoDB 7 works too).
 * Without a server this suite fails: it must never be skipped.
 */
describeWithMongo('MongoReadModels', (server) => {
  readModelStoreContract('mongodb', server.open);

  describe('MongoReadModels specifics', () => {
    let store: MongoReadModels;
    beforeEach(async () => {
      store = (await server.open([NOTES])) as MongoReadModels;
    });
    afterEach(async () => {
      await store.close();
    });
    const P = 'mongo';
    const notes = () => queriesOf(store, NOTES);
    const ids = async () => (await notes().list(P)).map((n) => n.id);

    it('swaps in a rebuilt collection that nothing was written to (it does not exist) as an empty one', async () => {
      const bare = { ...NOTES.mongodb.storage, collections: { notes: [] } };
      const unindexed = new MongoReadModels(store.db, { notes: bare });
      await unindexed.apply('notes', ref(0, '1'), [putNote(P, 'stale')]);
      expect(await ids()).toEqual(['stale']);
      const shadow = await unindexed.openShadow('notes');
      await unindexed.swapIn('notes', shadow, async () => undefined);
      expect(await ids()).toEqual([]);
    });

    it('creates its indexes idempotently, from several instances on one database', async () => {
      const storages = { notes: NOTES.mongodb.storage };
      const again = new MongoReadModels(store.db, storages);
      await Promise.all([again.init(), new MongoReadModels(store.db, storages).init(), again.init()]);
      await again.close();
      const existing = await store.db.collection('notes').indexes();
      expect(existing.find((i) => i.name === 'notes_by_project_id')).toMatchObject({ key: { projectId: 1, id: 1 }, unique: true });
      expect(existing.map((i) => i.name)).toContain('notes_by_project');
      expect((await store.db.collection(MONGO_BOOKKEEPING.streams).indexes()).map((i) => i.name)).toContain('streams_by_projection');
    });

    it('connect() owns its client; close() is idempotent', async () => {
      const name = server.freshDbName();
      const own = await MongoReadModels.connect(server.url, name, { notes: NOTES.mongodb.storage });
      await own.apply('notes', ref(0, '1'), [putNote(P, 'n1')]);
      const client = await server.client();
      expect(await client.db(name).collection('notes').countDocuments()).toBe(1);
      await own.close();
      await own.close();
      await client.db(name).dropDatabase();
    });

    it('prefixes every collection with collectionPrefix', async () => {
      const prefixed = new MongoReadModels(store.db, { notes: NOTES.mongodb.storage }, { collectionPrefix: 'blue_' });
      await prefixed.apply('notes', ref(0, '1'), [putNote(P, 'n1')]);
      expect(await queriesOf(prefixed, NOTES).list(P)).toEqual([note(P, 'n1')]);
      expect(await notes().list(P)).toEqual([]);
      expect(await store.getCheckpoint('notes')).toBeNull();
      const names = (await store.db.listCollections().toArray()).map((c) => c.name);
      expect(names).toEqual(expect.arrayContaining(['blue_notes', 'blue_projection_streams', 'blue_projection_checkpoints']));
    });

    it('converges when an event is replayed after a crash between its changes and its revision', async () => {
      const event = ref(0, '1', 'stream-n1');
      const changes = [putNote(P, 'n1', 'first'), putNote(P, 'n1', 'second'), putNote(P, 'n2')];
      expect(await store.apply('notes', event, changes)).toBe(true);
      const before = await notes().list(P);
      await forgetRevisions(store);
      await forgetCheckpoints(store);
      expect(await store.apply('notes', event, changes)).toBe(true);
      expect(await notes().list(P)).toEqual(before);
      expect(before).toEqual([note(P, 'n1', 'second'), note(P, 'n2')]);
      expect(await store.getCheckpoint('notes')).toBe('1');
    });

    it('drops the late write of a lagging projector: no stale put, no resurrection', async () => {
      const ev = (revision: number, position: string) => ref(revision, position, 'stream-n1');
      await store.apply('notes', ev(0, '1'), [putNote(P, 'n1', 'old')]);
      await store.apply('notes', ev(1, '2'), [putNote(P, 'n1', 'new')]);
      // A second process that read the revision before the first one advanced it writes event 0 late:
      // simulated by a store whose revision documents are gone.
      await forgetRevisions(store);
      await store.apply('notes', ev(0, '1'), [putNote(P, 'n1', 'old')]);
      expect((await notes().get(P, 'n1'))?.text).toBe('new');

      await store.apply('notes', ev(2, '3'), [deleteNote(P, 'n1')]);
      await forgetRevisions(store);
      await store.apply('notes', ev(0, '1'), [putNote(P, 'n1', 'old')]);
      await store.apply('notes', ev(1, '2'), [putNote(P, 'n1', 'back')]);
      expect(await notes().get(P, 'n1')).toBeNull();
      expect(await notes().list(P)).toEqual([]);
      // Re-created later in the same stream: a newer event, so it is applied.
      await store.apply('notes', ev(3, '4'), [putNote(P, 'n1', 'again')]);
      expect(await notes().list(P)).toEqual([note(P, 'n1', 'again')]);
      // Writes of other streams are not held back by this stream's stamp.
      await store.apply('notes', ref(0, '5', 'stream-other'), [putNote(P, 'n1', 'other stream')]);
      expect((await notes().get(P, 'n1'))?.text).toBe('other stream');
    });

    it('keeps nothing of a deleted record in its tombstone, written alone or in a batch', async () => {
      await store.apply('notes', ref(0, '1', 'stream-x'), [putNote(P, 'x', 'personal x')]);
      await store.apply('notes', ref(0, '2', 'stream-y'), [putNote(P, 'y', 'personal y')]);
      await store.apply('notes', ref(1, '3', 'stream-x'), [deleteNote(P, 'x')]);
      const raw = store.db.collection('notes');
      const stored = (id: string) => raw.findOne({ _id: JSON.stringify([P, id]) as never });
      expect(Object.keys((await stored('x'))!).sort()).toEqual(['_id', '_ord', '_v', '_wr', '_ws', 'projectId']);
      expect((await stored('x'))!.projectId).toEqual({ deleted: P });
      const batch = new BatchedCollection(raw as never);
      await batch.load([JSON.stringify([P, 'y'])]);
      batch.tombstone(JSON.stringify([P, 'y']), P, { _ws: 'stream-y', _wr: 1 });
      expect(await batch.flush()).toBe(true);
      expect(JSON.stringify(await stored('y'))).not.toContain('personal');
      expect(await notes().list(P)).toEqual([]);
    });

    it('two instances applying the same events at the same time corrupt nothing', async () => {
      const other = new MongoReadModels(store.db, { notes: NOTES.mongodb.storage });
      const events = Array.from({ length: 30 }, (_, i) => ({
        ref: ref(Math.floor(i / 3), String(i + 1), `stream-${i % 3}`),
        changes: [putNote(P, `n${i % 3}`, `text ${i}`)],
      }));
      // Both apply each event at the same time (lockstep): the same event concurrently, the case
      // that must hold on FerretDB too, whose conditional updates are not atomic.
      for (const e of events) {
        const applied = await Promise.all([store, other].map((s) => s.apply('notes', e.ref, e.changes)));
        expect(applied).toContain(true);
      }
      await other.close();
      expect(await notes().list(P)).toEqual([note(P, 'n0', 'text 27'), note(P, 'n1', 'text 28'), note(P, 'n2', 'text 29')]);
      expect(await store.getCheckpoint('notes')).toBe('30');
    });

    it('records the revisions of a batch\'s new streams by inserting them, also when another instance inserts the same ones at the same time', async () => {
      const other = new MongoReadModels(store.db, { notes: NOTES.mongodb.storage });
      const batch = (from: number, text: string) => Array.from({ length: 6 }, (_, i) => ({ ref: ref(from, String(from * 6 + i + 1), `new-${i}`), changes: [putNote(P, `m${i}`, `${text} ${i}`)] }));
      await Promise.all([store.applyBatch('notes', batch(0, 'first')), other.applyBatch('notes', batch(0, 'first'))]);
      await store.applyBatch('notes', batch(1, 'second'));
      // The revisions moved forward on every stream: the first batch again changes nothing.
      await other.applyBatch('notes', batch(0, 'first again'));
      await other.close();
      expect((await notes().list(P)).map((n) => n.text).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `second ${i}`));
      const revisions = await store.db.collection('projection_streams').find({ projection: 'notes' }).toArray();
      expect(revisions.map((r) => [r.streamId, r.revision]).sort()).toEqual(Array.from({ length: 6 }, (_, i) => [`new-${i}`, 1]));
    });

    // FerretDB 1.x scans the whole collection for each statement of a guarded update.
    it('writes a batch\'s new streams\' revisions without a guarded update, and takes the guard for streams it has seen', async () => {
      const streams = (store as unknown as { streams: { bulkWrite: (...args: unknown[]) => Promise<unknown> } }).streams;
      // The driver's insertMany is a bulkWrite of inserts too: the guarded ones are its updates.
      const writes = jest.spyOn(streams, 'bulkWrite');
      const guardedUpdates = () => writes.mock.calls.flatMap(([ops]) => (ops as object[]).filter((op) => 'updateOne' in op)).length;
      const batch = (revision: number) => Array.from({ length: 4 }, (_, i) => ({ ref: ref(revision, String(100 + revision * 4 + i), `fresh-${i}`), changes: [putNote(P, `f${i}`, `rev ${revision}`)] }));
      await store.applyBatch('notes', batch(0));
      expect(guardedUpdates()).toBe(0);
      await store.applyBatch('notes', batch(1));
      expect(guardedUpdates()).toBe(4);
      writes.mockRestore();
      expect((await notes().list(P)).filter((n) => n.id.startsWith('f')).map((n) => n.text)).toEqual(['rev 1', 'rev 1', 'rev 1', 'rev 1']);
    });

    it('applies a batch in which some records exist already (insert new, update existing, skip newer)', async () => {
      await store.apply('notes', ref(5, '1', 'stream-b'), [putNote(P, 'b', 'newer')]);
      await store.apply('notes', ref(0, '2', 'bulk'), [putNote(P, 'a', 'old a')]);
      expect(await store.apply('notes', ref(1, '3', 'bulk'), [putNote(P, 'a', 'new a'), putNote(P, 'c')])).toBe(true);
      // A lagging process writes an older event of b's stream (its revision check passed before).
      await forgetRevisions(store);
      await store.apply('notes', ref(4, '4', 'stream-b'), [putNote(P, 'b', 'stale'), putNote(P, 'd')]);
      expect((await notes().list(P)).map((n) => [n.id, n.text])).toEqual([
        ['b', 'newer'],
        ['a', 'new a'],
        ['c', 'c'],
        ['d', 'd'],
      ]);
    });

    it('refuses the writers of every process with ProjectionSwapError while a swap runs, and removes the shadow\'s collections', async () => {
      await store.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')]);
      const other = new MongoReadModels(store.db, { notes: NOTES.mongodb.storage });
      const shadow = await store.openShadow('notes');
      await shadow.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')]);
      await store.swapIn('notes', shadow, async () => {
        await expect(store.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')])).rejects.toThrow(ProjectionSwapError);
        await expect(other.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')])).rejects.toThrow(ProjectionSwapError);
        await shadow.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')]);
      });
      expect(await ids()).toEqual(['a', 'b']);
      expect(await other.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')])).toBe(false);
      const names = (await store.db.listCollections().toArray()).map((c) => c.name);
      expect(names.filter((n) => n.startsWith('rebuild_'))).toEqual([]);
    });

    it('fails an event that was under way when a swap happened, so that it is re-applied', async () => {
      await store.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')]);
      const shadow = await store.openShadow('notes');
      // The event reads its epoch, then the swap runs before it reaches its checkpoint step.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let reached!: () => void;
      const atGate = new Promise<void>((resolve) => (reached = resolve));
      let holding = true;
      const gated = noteReadModel({
        beforeWrite: async () => {
          if (!holding) return;
          reached();
          await gate;
        },
      });
      const slow = new MongoReadModels(store.db, { notes: gated.mongodb.storage });
      const underWay = slow.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')]).then(
        () => null,
        (err: unknown) => err,
      );
      await atGate;
      await store.swapIn('notes', shadow, async () => undefined);
      release();
      expect(await underWay).toBeInstanceOf(ProjectionSwapError);
      holding = false;
      // Re-applied from the (swapped-in) checkpoint, it lands.
      expect(await slow.getCheckpoint('notes')).toBeNull();
      expect(await slow.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')])).toBe(true);
      expect(await ids()).toEqual(['b']);
      expect(await store.getCheckpoint('notes')).toBe('2');
    });
  });
});
