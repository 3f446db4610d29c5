import { MongoReadModels, ReadModelStore } from '@lib/read-models';
import { describeWithMongo, forgetCheckpoints, forgetRevisions, queriesOf, ref, sqliteReadModelsForTests } from '@lib/read-models/testing';
import { makeUser, sortKey, userDirectoryContract, userQuery } from '@lib/users/testing';
import { prefixUpperBound } from './search-plan';
import type { UserDirectoryChange, UserRecord } from './user-directory.port';
import { USER_DIRECTORY } from './user-directory.read-model';

/*
 * The user directory (projection `users`) on both adapters: SQLite on a temporary file, and a
 * MongoDB-protocol server (FerretDB from `npm run infra:up`, or MONGODB_URL); without a server
 * the MongoDB half fails.
 */

userDirectoryContract('sqlite', sqliteReadModelsForTests());

describe('search prefixes: prefixUpperBound (the SQLite and MongoDB range scans)', () => {
  it.each<[string, string | null]>([
    ['ab', 'ac'],
    ['a\uD7FF', 'a\uE000'],
    ['\u{1D49C}', '\u{1D49D}'],
    ['a\uFFFF', 'a\u{10000}'],
    ['x\u{10FFFF}', null],
    ['', null],
  ])('%j -> %j', (prefix, bound) => {
    expect(prefixUpperBound(prefix)).toBe(bound);
  });
});

describeWithMongo('user directory on MongoDB', (server) => {
  userDirectoryContract('mongodb', server.open);

  describe('MongoDB specifics: without transactions, writes converge', () => {
    let store: ReadModelStore;
    beforeEach(async () => {
      store = await server.open([USER_DIRECTORY]);
    });
    afterEach(async () => {
      await store.close();
    });
    const P = 'mongo';
    const directory = () => queriesOf(store, USER_DIRECTORY);
    const put = (id: string, sequence: number, over: Partial<UserRecord> = {}): UserDirectoryChange => ({ kind: 'put', user: makeUser(P, id, sequence, over) });
    const patch = (userId: string, fields: Extract<UserDirectoryChange, { kind: 'patch' }>['patch']): UserDirectoryChange => ({ kind: 'patch', projectId: P, userId, patch: fields });
    const listed = async (search?: string) => (await directory().list(P, userQuery({ search }))).items.map((u) => [u.id, u.name]);

    it('creates its indexes idempotently, from several instances on one database', async () => {
      await Promise.all([server.open([USER_DIRECTORY], { sameStorageAs: store }), server.open([USER_DIRECTORY], { sameStorageAs: store })]);
      const existing = await (store as MongoReadModels).db.collection('users').indexes();
      for (const spec of USER_DIRECTORY.mongodb.storage.collections.users) expect(existing.map((i) => i.name)).toContain(spec.name);
      expect(existing.find((i) => i.name === 'users_by_project_id')).toMatchObject({ key: { projectId: 1, id: 1 }, unique: true });
    });

    it('converges when an event is replayed after a crash between its changes and its revision', async () => {
      const event = ref(0, '1', 'user-mongo:u1');
      const changes = [put('u1', 1), patch('u1', { name: 'Patched Name' })];
      expect(await store.apply('users', event, changes)).toBe(true);
      const before = await directory().get(P, 'u1');
      // The crash: revision and checkpoint never written.
      await forgetRevisions(store);
      await forgetCheckpoints(store);
      expect(await store.apply('users', event, changes)).toBe(true);
      expect(await directory().get(P, 'u1')).toEqual(before);
      expect(before?.name).toBe('Patched Name');
      expect(await listed('patched')).toEqual([['u1', 'Patched Name']]);
      expect(await store.getCheckpoint('users')).toBe('1');
    });

    it('drops the late write of a lagging projector: no stale put, no stale patch, no resurrection', async () => {
      const ev = (revision: number, position: string) => ref(revision, position, 'user-mongo:u1');
      await store.apply('users', ev(0, '1'), [put('u1', 1)]);
      await store.apply('users', ev(1, '2'), [patch('u1', { name: 'New' })]);
      // A second process that read the revision before the first one advanced it writes event 0 late:
      // simulated by a store whose revision documents are gone.
      await forgetRevisions(store);
      await store.apply('users', ev(0, '1'), [put('u1', 1, { name: 'Old' })]);
      expect((await directory().get(P, 'u1'))?.name).toBe('New');
      await store.apply('users', ev(2, '3'), [patch('u1', { name: 'Newest' })]);
      await forgetRevisions(store);
      await store.apply('users', ev(1, '2'), [patch('u1', { name: 'New' })]);
      expect((await directory().get(P, 'u1'))?.name).toBe('Newest');
      expect(await listed('new')).toEqual([['u1', 'Newest']]);

      await store.apply('users', ev(3, '4'), [{ kind: 'delete', projectId: P, userId: 'u1' }]);
      await forgetRevisions(store);
      await store.apply('users', ev(0, '1'), [put('u1', 1)]);
      await store.apply('users', ev(1, '2'), [patch('u1', { name: 'Back' })]);
      expect(await directory().get(P, 'u1')).toBeNull();
      expect((await directory().list(P, userQuery())).total).toBe(0);
      // Re-created later in the same stream: a newer event, so it is applied.
      await store.apply('users', ev(4, '5'), [put('u1', 9)]);
      expect((await directory().get(P, 'u1'))?.sequence).toBe(sortKey(9));
    });

    it('two instances applying the same events at the same time corrupt nothing', async () => {
      const other = await server.open([USER_DIRECTORY], { sameStorageAs: store });
      const events = Array.from({ length: 30 }, (_, i) => ({
        ref: ref(Math.floor(i / 3), String(i + 1), `user-mongo:u${i % 3}`),
        changes: i < 3 ? [put(`u${i}`, i + 1)] : [patch(`u${i % 3}`, { name: `Name ${i}`, email: `n${i}@x.io` })],
      }));
      // Both apply each event at the same time (lockstep): the same event concurrently, the case
      // that must hold on FerretDB too, whose conditional updates are not atomic.
      for (const e of events) {
        const applied = await Promise.all([store, other].map((s) => s.apply('users', e.ref, e.changes)));
        expect(applied).toContain(true);
      }
      await other.close();
      for (let u = 0; u < 3; u++) {
        const last = 27 + u;
        expect(await directory().get(P, `u${u}`)).toMatchObject({ name: `Name ${last}`, email: `n${last}@x.io` });
        expect((await listed(`n${last}`)).map(([id]) => id)).toEqual([`u${u}`]);
      }
      expect(await store.getCheckpoint('users')).toBe('30');
    });

    it('applies a batch of puts in which some records exist already (insert new, update existing, skip newer)', async () => {
      await store.apply('users', ref(5, '1', 'user-b'), [put('b', 2, { name: 'Newer' })]);
      await store.apply('users', ref(0, '2', 'bulk'), [put('a', 1, { name: 'Old A' })]);
      expect(await store.apply('users', ref(1, '3', 'bulk'), [put('a', 1, { name: 'New A' }), put('c', 3)])).toBe(true);
      // A lagging process writes an older event of b's stream (its revision check passed before):
      // 'b' keeps the newer state, the new 'd' is written.
      await forgetRevisions(store);
      await store.apply('users', ref(4, '4', 'user-b'), [put('b', 2, { name: 'Stale' }), put('d', 4)]);
      expect(await listed()).toEqual([
        ['a', 'New A'],
        ['b', 'Newer'],
        ['c', 'c'],
        ['d', 'd'],
      ]);
      expect(await listed('stale')).toEqual([]);
    });
  });
});
