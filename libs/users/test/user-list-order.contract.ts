import type { UserFilter, UserListQuery, UserOrder } from '@lib/appwrite';
import type { OpenReadModels } from '@lib/read-models/testing';
import { asc, desc } from './user-fixtures';
import { ALL, listUsersFixture } from './user-list.fixture';

/** List Users orders and cursors on the hand-checked fixture (queries.md §5). */
export function describeListUsersOrder(open: OpenReadModels): void {
  describe('List Users: orders and cursors', () => {
    const { list } = listUsersFixture(open);

    describe('ordering: given sequence, ties by insertion order, nulls first asc / last desc', () => {
      it.each<[string, UserOrder[], string[]]>([
        ['orderAsc("")', [asc(null)], ALL],
        ['orderDesc("")', [desc(null)], [...ALL].reverse()],
        ['orderAsc(name)', [asc('name')], ['Zed', 'pct', 'alice', 'bob1', 'bob2', 'yves', 'dave', 'emile']],
        ['orderDesc(name)', [desc('name')], ['emile', 'dave', 'bob1', 'bob2', 'yves', 'alice', 'pct', 'Zed']],
        ['orderAsc(name), orderDesc("")', [asc('name'), desc(null)], ['Zed', 'pct', 'alice', 'yves', 'bob2', 'bob1', 'dave', 'emile']],
        ['orderAsc(email)', [asc('email')], ['bob2', 'Zed', 'alice', 'bob1', 'dave', 'pct', 'emile', 'yves']],
        ['orderDesc(email)', [desc('email')], ['yves', 'emile', 'pct', 'dave', 'bob1', 'alice', 'bob2', 'Zed']],
        ['orderDesc(passwordUpdate)', [desc('passwordUpdate')], ['pct', 'dave', 'bob2', 'alice', 'bob1', 'emile', 'Zed', 'yves']],
        ['orderAsc(passwordUpdate)', [asc('passwordUpdate')], ['bob1', 'emile', 'Zed', 'yves', 'alice', 'bob2', 'dave', 'pct']],
        ['orderDesc($createdAt)', [desc('$createdAt')], ['yves', 'Zed', 'pct', 'dave', 'bob2', 'emile', 'bob1', 'alice']],
        ['orderAsc($id) (case-insensitive)', [asc('$id')], ['alice', 'bob1', 'bob2', 'dave', 'emile', 'pct', 'yves', 'Zed']],
        ['orderDesc(status)', [desc('status')], ['alice', 'bob1', 'emile', 'pct', 'Zed', 'bob2', 'dave', 'yves']],
        ['orderAsc(status), orderDesc(name)', [asc('status'), desc('name')], ['dave', 'bob2', 'yves', 'emile', 'bob1', 'alice', 'pct', 'Zed']],
        ['orderAsc(phone)', [asc('phone')], ['bob1', 'emile', 'pct', 'Zed', 'alice', 'bob2', 'dave', 'yves']],
        ['orderDesc(phoneVerification), orderAsc(name)', [desc('phoneVerification'), asc('name')], ['bob2', 'emile', 'Zed', 'pct', 'alice', 'bob1', 'yves', 'dave']],
      ])('%s', async (_, orders, expected) => {
        expect(await list({ orders })).toEqual({ ids: expected, total: 8 });
      });
    });

    describe('cursors: keyset pagination in the requested order', () => {
      const after = (userId: string) => ({ direction: 'after' as const, userId });
      const before = (userId: string) => ({ direction: 'before' as const, userId });
      it.each<[string, Partial<UserListQuery>, string[]]>([
        ['default, after alice, offset 2, limit 2', { cursor: after('alice'), offset: 2, limit: 2 }, ['emile', 'dave']],
        ['default, after the last', { cursor: after('yves') }, []],
        ['default, before the first', { cursor: before('alice') }, []],
        ['default, before yves, limit 3', { cursor: before('yves'), limit: 3 }, ['dave', 'pct', 'Zed']],
        ['default, before yves, limit 3, offset 2', { cursor: before('yves'), limit: 3, offset: 2 }, ['bob2', 'emile', 'dave']],
        ['asc name, after bob2 (ties)', { orders: [asc('name')], cursor: after('bob2') }, ['yves', 'dave', 'emile']],
        ['asc name, after bob1 (ties)', { orders: [asc('name')], cursor: after('bob1') }, ['bob2', 'yves', 'dave', 'emile']],
        ['asc name, before bob2', { orders: [asc('name')], cursor: before('bob2') }, ['Zed', 'pct', 'alice', 'bob1']],
        ['asc name, before bob2, limit 2', { orders: [asc('name')], cursor: before('bob2'), limit: 2 }, ['alice', 'bob1']],
        ['asc name, before bob2, limit 2, offset 1', { orders: [asc('name')], cursor: before('bob2'), limit: 2, offset: 1 }, ['pct', 'alice']],
        ['asc name, before yves', { orders: [asc('name')], cursor: before('yves') }, ['Zed', 'pct', 'alice', 'bob1', 'bob2']],
        ['desc name, after bob1', { orders: [desc('name')], cursor: after('bob1') }, ['bob2', 'yves', 'alice', 'pct', 'Zed']],
        ['desc name, before yves', { orders: [desc('name')], cursor: before('yves') }, ['emile', 'dave', 'bob1', 'bob2']],
        ['asc name + desc "", after bob2', { orders: [asc('name'), desc(null)], cursor: after('bob2') }, ['bob1', 'dave', 'emile']],
        ['asc email, after bob2 (null)', { orders: [asc('email')], cursor: after('bob2') }, ['Zed', 'alice', 'bob1', 'dave', 'pct', 'emile', 'yves']],
        ['asc email, after Zed (null)', { orders: [asc('email')], cursor: after('Zed') }, ['alice', 'bob1', 'dave', 'pct', 'emile', 'yves']],
        ['asc email, before Zed (null)', { orders: [asc('email')], cursor: before('Zed') }, ['bob2']],
        ['asc email, before bob2 (null)', { orders: [asc('email')], cursor: before('bob2') }, []],
        ['asc email, before alice', { orders: [asc('email')], cursor: before('alice') }, ['bob2', 'Zed']],
        ['desc email, after bob2 (null)', { orders: [desc('email')], cursor: after('bob2') }, ['Zed']],
        ['desc email, after Zed (null)', { orders: [desc('email')], cursor: after('Zed') }, []],
        ['desc email, after alice', { orders: [desc('email')], cursor: after('alice') }, ['bob2', 'Zed']],
        ['desc email, before bob2 (null)', { orders: [desc('email')], cursor: before('bob2') }, ['yves', 'emile', 'pct', 'dave', 'bob1', 'alice']],
        ['desc email, before Zed, limit 2', { orders: [desc('email')], cursor: before('Zed'), limit: 2 }, ['alice', 'bob2']],
        ['desc passwordUpdate, after emile (null)', { orders: [desc('passwordUpdate')], cursor: after('emile') }, ['Zed', 'yves']],
        ['desc passwordUpdate, before bob1 (null)', { orders: [desc('passwordUpdate')], cursor: before('bob1') }, ['pct', 'dave', 'bob2', 'alice']],
        ['asc passwordUpdate, after yves (null)', { orders: [asc('passwordUpdate')], cursor: after('yves') }, ['alice', 'bob2', 'dave', 'pct']],
        ['desc $createdAt, after bob2 (tie)', { orders: [desc('$createdAt')], cursor: after('bob2') }, ['emile', 'bob1', 'alice']],
        ['desc $createdAt, before emile (tie)', { orders: [desc('$createdAt')], cursor: before('emile'), limit: 1 }, ['bob2']],
        ['asc status, desc name, after yves', { orders: [asc('status'), desc('name')], cursor: after('yves') }, ['emile', 'bob1', 'alice', 'pct', 'Zed']],
        ['asc status, desc name, before emile, limit 2', { orders: [asc('status'), desc('name')], cursor: before('emile'), limit: 2 }, ['bob2', 'yves']],
        ['asc $id, after yves', { orders: [asc('$id')], cursor: after('yves') }, ['Zed']],
        ['desc "", after dave, offset 1', { orders: [desc(null)], cursor: after('dave'), offset: 1 }, ['bob2', 'bob1', 'alice']],
      ])('%s', async (_, q, expected) => {
        expect(await list(q)).toEqual({ ids: expected, total: 8 });
      });

      it('positions the cursor even when the cursor user does not match the filters; total ignores the cursor', async () => {
        const filters: UserFilter[] = [{ method: 'equal', attribute: 'status', values: [false] }];
        expect(await list({ filters, cursor: after('emile') })).toEqual({ ids: ['dave', 'yves'], total: 3 });
        expect(await list({ filters, cursor: before('emile') })).toEqual({ ids: ['bob2'], total: 3 });
        expect(await list({ filters, orders: [asc('name')], cursor: after('alice') })).toEqual({ ids: ['bob2', 'yves', 'dave'], total: 3 });
      });

      it('answers an empty page (total still counted) when the cursor user vanished after the caller checked it', async () => {
        expect(await list({ cursor: after('nobody') })).toEqual({ ids: [], total: 8 });
        expect(await list({ cursor: before('nobody'), filters: [{ method: 'isNull', attribute: 'email' }] })).toEqual({ ids: [], total: 2 });
      });

      it('pages through a whole ordered list forwards and backwards without gaps or repeats', async () => {
        for (const orders of [[asc('name')], [desc('email')], [asc('passwordUpdate'), desc('name')], [desc('status'), asc('phone')]]) {
          const full = (await list({ orders })).ids;
          const forward: string[] = [];
          let page = (await list({ orders, limit: 3 })).ids;
          while (page.length > 0) {
            forward.push(...page);
            page = (await list({ orders, limit: 3, cursor: after(page[page.length - 1]) })).ids;
          }
          expect(forward).toEqual(full);
          const backward: string[] = [];
          page = (await list({ orders, limit: 3, cursor: before(full[full.length - 1]) })).ids;
          while (page.length > 0) {
            backward.unshift(...page);
            page = (await list({ orders, limit: 3, cursor: before(page[0]) })).ids;
          }
          expect(backward).toEqual(full.slice(0, -1));
        }
      });
    });
  });
}
