import { LIST_TOTAL_CAP, UserListQuery } from '@lib/appwrite';
import type { ReadModelStore } from '@lib/read-models';
import { NewEvents, OpenReadModels, openReadModel } from '@lib/read-models/testing';
import type { UserDirectory, UserDirectoryChange } from '../src/user-directory/user-directory.port';
import { USER_DIRECTORY } from '../src/user-directory/user-directory.read-model';
import { desc, makeUser, userQuery } from './user-fixtures';

export function describeSearch(open: OpenReadModels): void {
  describe('the search parameter (queries.md §6)', () => {
    let store: ReadModelStore;
    let directory: UserDirectory;
    const events = new NewEvents();
    const P = 'search';
    const RONALDO = '6459d8a31b2f4c07e9a1';
    beforeAll(async () => {
      ({ store, queries: directory } = await openReadModel(open, USER_DIRECTORY));
      const users = [
        makeUser(P, RONALDO, 1, { name: 'Cristiano Ronaldo', email: 'cristiano.ronaldo@manchester-united.co.uk' }),
        makeUser(P, 'messi_10', 2, { name: 'Lionel Messi', email: 'lionel.messi@barcelona.es' }),
        makeUser(P, 'phoneuser', 3, { name: 'Phone User', email: null, phone: '+910000000000' }),
        makeUser(P, 'svc', 4, { name: 'Users Service', email: 'users.service@example.com', status: false }),
        makeUser(P, 'j5', 5, { name: 'José Ñandú', email: null }),
      ];
      for (const user of users) await events.apply(store, 'users', [{ kind: 'put', user }]);
      await events.apply(store, 'users', [{ kind: 'put', user: makeUser('other-project', 'ronaldo', 1, { name: 'Ronaldo' }) }]);
    });
    afterAll(async () => {
      await store.close();
    });
    const found = async (search: string, over: Partial<UserListQuery> = {}) => {
      const r = await directory.list(P, userQuery({ search, ...over }));
      return { ids: r.items.map((u) => u.id), total: r.total };
    };

    it.each([
      'Ronaldo',
      'man',
      'manchester',
      'cristiano.ronaldo',
      'cristiano.ronaldo@manchester-united.co.uk',
      'united.co.uk',
      RONALDO,
      '6459d8a3',
      '"Cristiano Ronaldo"',
      '"manchester united"',
      'ronald cristiano',
      'RONALDO',
    ])('%s finds exactly Ronaldo', async (term) => {
      expect(await found(term)).toEqual({ ids: [RONALDO], total: 1 });
    });

    it('finds a phone number and an id with an underscore', async () => {
      expect(await found('+910000000000')).toEqual({ ids: ['phoneuser'], total: 1 });
      expect(await found('messi_10')).toEqual({ ids: ['messi_10'], total: 1 });
      expect(await found('messi_')).toEqual({ ids: ['messi_10'], total: 1 });
    });

    it('ORs words; only the last one is a prefix; phrases must be in order', async () => {
      expect(await found('lionel ronaldo')).toEqual({ ids: [RONALDO, 'messi_10'], total: 2 });
      expect(await found('ronald xyz')).toEqual({ ids: [], total: 0 });
      expect(await found('"Ronaldo Cristiano"')).toEqual({ ids: [], total: 0 });
      expect(await found('co')).toEqual({ ids: [RONALDO, 'svc'], total: 2 });
      expect(await found('ñandú')).toEqual({ ids: ['j5'], total: 1 });
      expect(await found('JOSÉ')).toEqual({ ids: ['j5'], total: 1 });
      expect(await found('jos')).toEqual({ ids: ['j5'], total: 1 });
      // No accent folding: "jose" is another word.
      expect(await found('jose')).toEqual({ ids: [], total: 0 });
      expect(await found('josé.xyz')).toEqual({ ids: ['j5'], total: 1 });
      expect(await found('jos xyz')).toEqual({ ids: [], total: 0 });
    });

    it('a term with nothing left to match finds nobody', async () => {
      for (const term of ['the', 'a', '***', '"of the"', 'to be']) expect(await found(term)).toEqual({ ids: [], total: 0 });
    });

    it('is AND-ed with filters and paginates like any list', async () => {
      expect(await found('lionel ronaldo', { filters: [{ method: 'equal', attribute: 'name', values: ['lionel messi'] }] })).toEqual({
        ids: ['messi_10'],
        total: 1,
      });
      expect(await found('lionel ronaldo', { limit: 1 })).toEqual({ ids: [RONALDO], total: 2 });
      expect(await found('lionel ronaldo', { cursor: { direction: 'after', userId: RONALDO } })).toEqual({ ids: ['messi_10'], total: 2 });
      expect(await found('lionel ronaldo', { orders: [desc('name')] })).toEqual({ ids: ['messi_10', RONALDO], total: 2 });
      expect(await found('user', { filters: [{ method: 'equal', attribute: 'status', values: [true] }] })).toEqual({
        ids: ['phoneuser'],
        total: 1,
      });
    });

    it('follows name / email / phone changes and deletes', async () => {
      expect(await found('"users.service@updated.com"')).toEqual({ ids: [], total: 0 });
      await events.apply(store, 'users', [{ kind: 'patch', projectId: P, userId: 'svc', patch: { email: 'users.service@updated.com' } }]);
      expect(await found('"users.service@updated.com"')).toEqual({ ids: ['svc'], total: 1 });
      expect(await found('"users.service@example.com"')).toEqual({ ids: [], total: 0 });
      await events.apply(store, 'users', [{ kind: 'patch', projectId: P, userId: 'svc', patch: { phone: '+15550001111', name: 'Renamed Bot' } }]);
      expect(await found('15550001111')).toEqual({ ids: ['svc'], total: 1 });
      expect(await found('bot')).toEqual({ ids: ['svc'], total: 1 });
      expect(await found('"users service"')).toEqual({ ids: ['svc'], total: 1 });
      expect(await found('renam xyz')).toEqual({ ids: [], total: 0 });
      expect(await found('renamed xyz')).toEqual({ ids: ['svc'], total: 1 });
      await events.apply(store, 'users', [{ kind: 'delete', projectId: P, userId: 'svc' }]);
      expect(await found('bot')).toEqual({ ids: [], total: 0 });
    });
  });
}

// ---------------------------------------------------------------------------------------------

export function describeTotalCap(open: OpenReadModels): void {
  describe(`total is capped at ${LIST_TOTAL_CAP}`, () => {
    let store: ReadModelStore;
    let directory: UserDirectory;
    const events = new NewEvents();
    const P = 'cap';
    const N = LIST_TOTAL_CAP + 21;
    beforeAll(async () => {
      ({ store, queries: directory } = await openReadModel(open, USER_DIRECTORY));
      // Batches keep the setup fast for every adapter without one giant transaction.
      for (let start = 0; start < N; start += 250) {
        const changes: UserDirectoryChange[] = [];
        for (let i = start; i < Math.min(N, start + 250); i++) {
          changes.push({
            kind: 'put',
            user: makeUser(P, `user${String(i).padStart(5, '0')}`, i + 1, { name: `Capped ${i}`, status: i % 1000 !== 0 }),
          });
        }
        await events.apply(store, 'users', changes);
      }
    }, 120000);
    afterAll(async () => {
      await store.close();
    });

    it('caps the total of a plain list, a filtered list and a search, but not the items', async () => {
      const all = await directory.list(P, userQuery());
      expect(all.total).toBe(LIST_TOTAL_CAP);
      expect(all.items.map((u) => u.id)).toEqual(Array.from({ length: 25 }, (_, i) => `user${String(i).padStart(5, '0')}`));
      expect((await directory.list(P, userQuery({ search: 'capped' }))).total).toBe(LIST_TOTAL_CAP);
      expect((await directory.list(P, userQuery({ filters: [{ method: 'equal', attribute: 'status', values: [true] }] }))).total).toBe(
        LIST_TOTAL_CAP,
      );
      expect((await directory.list(P, userQuery({ filters: [{ method: 'equal', attribute: 'status', values: [false] }] }))).total).toBe(6);
      const tail = await directory.list(P, userQuery({ offset: N - 5, limit: 25 }));
      expect(tail.items).toHaveLength(5);
      expect(tail.total).toBe(LIST_TOTAL_CAP);
      const end = await directory.list(P, userQuery({ orders: [desc(null)], cursor: { direction: 'before', userId: 'user00002' } }));
      expect(end.items.map((u) => u.id).slice(-2)).toEqual(['user00004', 'user00003']);
    });
  });
}

// ---------------------------------------------------------------------------------------------
