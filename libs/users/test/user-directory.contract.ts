import { NewEvents, OpenReadModels, openReadModel, queriesOf, ref } from '@lib/read-models/testing';
import type { ReadModelStore } from '@lib/read-models';
import type { UserDirectory, UserDirectoryChange } from '../src/user-directory/user-directory.port';
import { USER_DIRECTORY } from '../src/user-directory/user-directory.read-model';
import { makeUser, sortKey, userQuery } from './user-fixtures';
import { describeListUsersFilters } from './user-list-filters.contract';
import { describeListUsersLatest } from './user-list-latest.contract';
import { describeListUsersOrder } from './user-list-order.contract';
import { describeAgainstReference } from './user-list-random.contract';
import { describeSearch, describeTotalCap } from './user-search.contract';
import { describeUserScan } from './user-scan.contract';

/**
 * What every adapter's user directory (projection `users`) does: records kept verbatim, puts,
 * patches and deletes, List Users (queries.md §5, §6) with its search, and agreement with the
 * reference implementation on random queries. `open` gives fresh, empty stores; each group also
 * uses its own project ids, so leftovers could never leak into a result.
 */
export function userDirectoryContract(name: string, open: OpenReadModels): void {
  describe(`user directory contract: ${name}`, () => {
    describeRecords(open);
    describeListUsersFilters(open);
    describeListUsersLatest(open);
    describeListUsersOrder(open);
    describeSearch(open);
    describeTotalCap(open);
    describeAgainstReference(open);
    describeUserScan(open, name === 'sqlite');
  });
}

const put = (user: ReturnType<typeof makeUser>): UserDirectoryChange => ({ kind: 'put', user });

function describeRecords(open: OpenReadModels): void {
  describe('records and bookkeeping', () => {
    let store: ReadModelStore;
    let directory: UserDirectory;
    let events: NewEvents;
    beforeEach(async () => {
      ({ store, queries: directory } = await openReadModel(open, USER_DIRECTORY));
      events = new NewEvents();
    });
    afterEach(async () => {
      await store.close();
    });
    const P = 'rec';
    const apply = (...changes: UserDirectoryChange[]) => events.apply(store, 'users', changes);
    const search = async (term: string) => (await directory.list(P, userQuery({ search: term }))).items.map((u) => u.id);

    it('ignores revisions at or below the last applied one, per stream', async () => {
      const u = makeUser(P, 'u1', 1);
      const r = (revision: number, position: string, stream = 'user-rec:u1') => ref(revision, position, stream);
      expect(await store.apply('users', r(0, '1'), [put(u)])).toBe(true);
      expect(await store.apply('users', r(2, '3'), [{ kind: 'patch', projectId: P, userId: 'u1', patch: { name: 'Two' } }])).toBe(true);
      expect(await store.apply('users', r(1, '2'), [{ kind: 'patch', projectId: P, userId: 'u1', patch: { name: 'One' } }])).toBe(false);
      expect(await store.apply('users', r(0, '1'), [put(u)])).toBe(false);
      expect((await directory.get(P, 'u1'))?.name).toBe('Two');
      expect(await search('two')).toEqual(['u1']);
      expect(await search('one')).toEqual([]);
      // Another stream has its own revisions.
      expect(await store.apply('users', r(0, '4', 'user-rec:u2'), [put(makeUser(P, 'u2', 4))])).toBe(true);
      expect(await store.getCheckpoint('users')).toBe('4');
    });

    it('applies all changes of an event or none', async () => {
      const bad = { kind: 'no.such.change' } as unknown as UserDirectoryChange;
      await expect(store.apply('users', ref(0, '1'), [put(makeUser(P, 'u1', 1)), bad])).rejects.toThrow();
      expect(await directory.get(P, 'u1')).toBeNull();
      expect((await directory.list(P, userQuery())).total).toBe(0);
      expect(await store.getCheckpoint('users')).toBeNull();
      expect(await store.apply('users', ref(0, '1'), [put(makeUser(P, 'u1', 1))])).toBe(true);
    });

    it('reset drops every user and search word, and the bookkeeping', async () => {
      await store.apply('users', ref(0, '1'), [put(makeUser(P, 'u1', 1)), put(makeUser('other', 'u2', 2))]);
      await store.reset('users');
      expect(await directory.get(P, 'u1')).toBeNull();
      expect((await directory.list(P, userQuery())).total).toBe(0);
      expect((await directory.list('other', userQuery())).total).toBe(0);
      expect((await directory.list(P, userQuery({ search: 'u1' }))).total).toBe(0);
      expect(await store.getCheckpoint('users')).toBeNull();
      expect(await store.apply('users', ref(0, '1'), [put(makeUser(P, 'u1', 1))])).toBe(true);
      expect(await search('u1')).toEqual(['u1']);
    });

    it('stores a user verbatim, JSON key order included, per project', async () => {
      const user = makeUser(P, 'u1', 7, {
        name: 'Ünïcødé ✓ 名前',
        email: 'u1@example.com',
        phone: '+14155552671',
        password: '$argon2id$v=19$m=65536,t=4,p=3$abc$def',
        hash: 'scryptMod',
        hashOptions: { signerKey: 'k', saltSeparator: 'Bw==', salt: 's', type: 'scryptMod' },
        passwordUpdate: '2023-05-09T05:19:31.112+00:00',
        prefs: { zeta: 1, alpha: { y: [1, 'two', null], b: true }, mid: 'x', 'dotted.key': 1, $dollar: 2 },
        emailVerification: true,
      });
      await apply(put(user));
      const read = await directory.get(P, 'u1');
      expect(read).toEqual(user);
      expect(read!.sequence).toBe(sortKey(7));
      expect(Object.keys(read!.hashOptions)).toEqual(['signerKey', 'saltSeparator', 'salt', 'type']);
      expect(Object.keys(read!.prefs)).toEqual(['zeta', 'alpha', 'mid', 'dotted.key', '$dollar']);
      expect(Object.keys((read!.prefs as { alpha: object }).alpha)).toEqual(['y', 'b']);
      expect(await directory.get('other', 'u1')).toBeNull();
      expect(await directory.get(P, 'U1')).toBeNull();
    });

    it('keeps sequences past 2^53 exact', async () => {
      const big = sortKey(2n ** 64n + 1n);
      await apply(put(makeUser(P, 'big', big)), put(makeUser(P, 'small', 5)));
      expect((await directory.get(P, 'big'))?.sequence).toBe(big);
      expect((await directory.list(P, userQuery())).items.map((u) => u.id)).toEqual(['small', 'big']);
    });

    it('puts (upsert), patches, and deletes users', async () => {
      await apply(put(makeUser(P, 'u1', 1, { email: 'old@example.com' })));
      await apply(put(makeUser(P, 'u1', 1, { name: 'Replaced', email: 'new@example.com' })));
      expect(await directory.get(P, 'u1')).toMatchObject({ name: 'Replaced', email: 'new@example.com' });
      expect(await search('old')).toEqual([]);
      expect(await search('replaced')).toEqual(['u1']);

      const updatedAt = '2024-01-01T00:00:00.000+00:00';
      await apply({ kind: 'patch', projectId: P, userId: 'u1', patch: { name: 'Patched', email: null, status: false, prefs: { b: 1, a: 2 }, updatedAt } });
      const patched = await directory.get(P, 'u1');
      expect(patched).toEqual(makeUser(P, 'u1', 1, { name: 'Patched', email: null, status: false, prefs: { b: 1, a: 2 }, updatedAt }));
      expect(Object.keys(patched!.prefs)).toEqual(['b', 'a']);
      expect((await directory.list(P, userQuery({ filters: [{ method: 'isNull', attribute: 'email' }] }))).total).toBe(1);
      expect(await search('patched')).toEqual(['u1']);
      expect(await search('replaced')).toEqual([]);
      // An explicit undefined is not part of the patch.
      await apply({ kind: 'patch', projectId: P, userId: 'u1', patch: { name: undefined, phone: '+15550001111' } });
      expect(await directory.get(P, 'u1')).toMatchObject({ name: 'Patched', phone: '+15550001111' });

      // Patching a missing user is a no-op, not an insert.
      await apply({ kind: 'patch', projectId: P, userId: 'ghost', patch: { name: 'Ghost' } });
      expect(await directory.get(P, 'ghost')).toBeNull();

      await apply({ kind: 'delete', projectId: P, userId: 'u1' });
      await apply({ kind: 'delete', projectId: P, userId: 'u1' });
      expect(await directory.get(P, 'u1')).toBeNull();
      expect(await search('patched')).toEqual([]);
      expect((await directory.list(P, userQuery())).total).toBe(0);
      // Patching a deleted user does not bring it back.
      await apply({ kind: 'patch', projectId: P, userId: 'u1', patch: { name: 'Zombie' } });
      expect(await directory.get(P, 'u1')).toBeNull();

      // Re-created under the same id: a new incarnation with a new sequence.
      await apply(put(makeUser(P, 'u1', 99)));
      expect((await directory.get(P, 'u1'))?.sequence).toBe(sortKey(99));
      expect(await search('u1')).toEqual(['u1']);
    });

    it('keeps the stream revision the last patch moved the record to, a patch of nothing else included', async () => {
      await apply(put(makeUser(P, 'u1', 1, { revision: 1 })));
      await apply({ kind: 'patch', projectId: P, userId: 'u1', patch: { name: 'Renamed', revision: 3 } });
      expect(await directory.get(P, 'u1')).toMatchObject({ name: 'Renamed', revision: 3 });
      await apply({ kind: 'patch', projectId: P, userId: 'u1', patch: { revision: 4 } });
      expect(await directory.get(P, 'u1')).toEqual(makeUser(P, 'u1', 1, { name: 'Renamed', revision: 4 }));
      expect((await directory.list(P, userQuery())).items.map((u) => u.revision)).toEqual([4]);
      expect(await search('renamed')).toEqual(['u1']);
    });

    it('writes a batch as its events one by one would: a new user and the patches right after it, another user between', async () => {
      const at = '2024-02-01T00:00:00.000+00:00';
      const target = (userId: string, targetId: string): UserDirectoryChange => ({
        kind: 'patch',
        projectId: P,
        userId,
        patch: { revision: 1 },
        targets: { kind: 'put', at, target: { targetId, providerType: 'email', identifier: `${userId}@example.com`, providerId: null, name: '' } },
      });
      const batch: Array<[string, number, UserDirectoryChange]> = [
        ['user-rec:b1', 0, put(makeUser(P, 'b1', 1, { email: 'b1@example.com' }))],
        ['user-rec:b1', 1, target('b1', 't1')],
        ['user-rec:b1', 2, { kind: 'patch', projectId: P, userId: 'b1', patch: { labels: ['vip'], name: 'Batched One', revision: 2 } }],
        ['user-rec:b2', 0, put(makeUser(P, 'b2', 4))],
        ['user-rec:b1', 3, { kind: 'patch', projectId: P, userId: 'b1', patch: { status: false, revision: 3 } }],
        ['user-rec:b2', 1, { kind: 'delete', projectId: P, userId: 'b2' }],
      ];
      await store.applyBatch('users', batch.map(([stream, revision, change], i) => ({ ref: ref(revision, String(i + 1), stream), changes: [change] })));
      const { store: alone, queries: aloneDirectory } = await openReadModel(open, USER_DIRECTORY);
      for (const [i, [stream, revision, change]] of batch.entries()) await alone.apply('users', ref(revision, String(i + 1), stream), [change]);
      const batched = await directory.get(P, 'b1');
      expect(batched).toMatchObject({ name: 'Batched One', labels: ['vip'], status: false, revision: 3, targets: [{ id: 't1', identifier: 'b1@example.com' }] });
      expect(batched).toEqual(await aloneDirectory.get(P, 'b1'));
      expect(await directory.get(P, 'b2')).toBeNull();
      expect(await search('batched')).toEqual(['b1']);
      expect((await directory.list(P, userQuery({ filters: [{ method: 'contains', attribute: 'labels', values: ['vip'] }] }))).items.map((u) => u.id)).toEqual(['b1']);
      // Each stream's revision is bookkept: the batch again changes nothing.
      await store.applyBatch('users', [{ ref: ref(1, '7', 'user-rec:b2'), changes: [put(makeUser(P, 'b2', 4))] }]);
      expect(await directory.get(P, 'b2')).toBeNull();
      await alone.close();
    });

    it('a second store on the same storage sees the directory\'s writes, searches included', async () => {
      const other = await open([USER_DIRECTORY], { sameStorageAs: store });
      try {
        const r = ref(0, '1', 'user-rec:u1');
        expect(await store.apply('users', r, [put(makeUser(P, 'u1', 1))])).toBe(true);
        expect((await queriesOf(other, USER_DIRECTORY).get(P, 'u1'))?.id).toBe('u1');
        expect(await other.apply('users', r, [])).toBe(false);
        expect(await other.getCheckpoint('users')).toBe('1');
        await other.apply('users', ref(0, '2', 'user-rec:u2'), [put(makeUser(P, 'u2', 2))]);
        expect(await search('u2')).toEqual(['u2']);
        expect(await store.getCheckpoint('users')).toBe('2');
      } finally {
        await other.close();
      }
    });

    it('swaps a rebuilt directory in: gets, lists and searches answer from it', async () => {
      await store.apply('users', ref(0, '1', 'user-rec:old'), [put(makeUser(P, 'old', 1, { name: 'Old Timer' }))]);
      const shadow = await store.openShadow('users');
      await shadow.apply('users', ref(0, '1', 'user-rec:a'), [put(makeUser(P, 'a', 1, { name: 'Anna Alpha' }))]);
      await shadow.apply('users', ref(0, '2', 'user-rec:b'), [put(makeUser(P, 'b', 2, { name: 'Bella Beta' }))]);
      // Until the swap, the live directory answers as before (a shadow may be written on a thread
      // of its own, and get its list indexes only at the swap: SqliteStorage.thread, writeIndexes).
      expect(await search('timer')).toEqual(['old']);
      expect(await directory.get(P, 'a')).toBeNull();
      await store.swapIn('users', shadow, async () => undefined);
      expect(await search('beta')).toEqual(['b']);
      expect(await search('"anna alpha"')).toEqual(['a']);
      expect(await search('timer')).toEqual([]);
      expect(await directory.get(P, 'old')).toBeNull();
      expect([(await directory.get(P, 'a'))?.name, (await directory.get(P, 'b'))?.name]).toEqual(['Anna Alpha', 'Bella Beta']);
      expect((await directory.list(P, userQuery())).items.map((u) => u.id)).toEqual(['a', 'b']);
      await store.apply('users', ref(1, '3', 'user-rec:b'), [{ kind: 'patch', projectId: P, userId: 'b', patch: { name: 'Bella Gamma' } }]);
      expect(await search('gamma')).toEqual(['b']);
      expect(await search('beta')).toEqual([]);
    });
  });
}
