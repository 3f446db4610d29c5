import type { UserFilter, UserListQuery } from '@lib/appwrite';
import type { OpenReadModels } from '@lib/read-models/testing';
import { asc, desc } from './user-fixtures';
import { ALL, listUsersFixture } from './user-list.fixture';

/**
 * List Users with the methods of Appwrite 1.8/1.9 and the attributes of 1.5+ (labels,
 * impersonator, accessedAt), on the hand-checked fixture (user-list.fixture.ts). Negated
 * methods keep nulls out, as MariaDB's NOT LIKE / NOT BETWEEN do; labels compare exactly.
 */
export function describeListUsersLatest(open: OpenReadModels): void {
  describe('List Users: Appwrite 1.8+ methods and attributes', () => {
    const fx = listUsersFixture(open);
    const { ids, list, filtered } = fx;
    const f = (method: string, attribute: string, ...values: Array<string | boolean>) => ({ method, attribute, values }) as UserFilter;

    describe('negated string methods (nulls never match)', () => {
      it.each<[string, UserFilter, string[]]>([
        ['notContains name O', f('notContains', 'name', 'O'), ['alice', 'emile', 'dave', 'pct', 'Zed']],
        ['notContains email @example', f('notContains', 'email', '@example'), ['pct']],
        ['notContains email example.com|percent (none of them)', f('notContains', 'email', 'example.com', 'percent'), ['emile']],
        ['notContains email _ (literal)', f('notContains', 'email', '_'), ['alice', 'bob1', 'emile', 'pct', 'yves']],
        ['notStartsWith email D', f('notStartsWith', 'email', 'D'), ['alice', 'bob1', 'emile', 'yves']],
        ['notStartsWith name "" (every value starts with it)', f('notStartsWith', 'name', ''), []],
        ['notStartsWith phone +1415', f('notStartsWith', 'phone', '+1415'), ['yves']],
        ['notEndsWith email .COM', f('notEndsWith', 'email', '.COM'), ['emile', 'pct']],
        ['notEndsWith name % SURE', f('notEndsWith', 'name', '% SURE'), ['alice', 'bob1', 'bob2', 'emile', 'dave', 'Zed', 'yves']],
        ['notBetween name b..d', f('notBetween', 'name', 'B', 'd'), ['alice', 'emile', 'dave', 'pct', 'Zed']],
        ['notBetween registration', f('notBetween', 'registration', '2023-02-01T00:00:00.000+00:00', '2023-05-01T00:00:00.000+00:00'), ['alice', 'Zed', 'yves']],
        ['notBetween passwordUpdate skips nulls', f('notBetween', 'passwordUpdate', '2023-02-01T00:00:00.000+00:00', '2023-04-30T00:00:00.000+00:00'), ['alice', 'pct']],
        ['notBetween status false..false', f('notBetween', 'status', false, false), ['alice', 'bob1', 'emile', 'pct', 'Zed']],
        ['notStartsWith status true (a boolean: not equal)', f('notStartsWith', 'status', true), ['bob2', 'dave', 'yves']],
        ['containsAny name MIL|lic', f('containsAny', 'name', 'MIL', 'lic'), ['alice', 'emile']],
        ['containsAll email example|.COM', f('containsAll', 'email', 'example', '.COM'), ['alice', 'bob1', 'dave', 'yves']],
        ['containsAll name b|o', f('containsAll', 'name', 'b', 'o'), ['bob1', 'bob2', 'yves']],
      ])('%s', async (_, filter, expected) => {
        expect(await filtered(filter)).toEqual(expected);
      });

      it('notStartsWith a prefix ending in U+10FFFF (no range form)', async () => {
        expect((await ids('edge', { filters: [f('notStartsWith', 'name', 'a\u{10FFFF}')] })).ids).toEqual(['e2', 'e3', 'e4', 'e5', 'e6']);
      });
    });

    describe('regex: case-insensitive, unanchored, linear-time, nulls never match', () => {
      it.each<[string, string, string, string[]]>([
        ['^b', 'name', '^b', ['bob1', 'bob2', 'yves']],
        ['E$', 'name', 'E$', ['alice', 'emile', 'dave', 'pct']],
        ['a class, .* and an escaped dot', 'email', '^[a-c].*\\.com$', ['alice', 'bob1']],
        ['^$ (the empty name)', 'name', '^$', ['Zed']],
        ['É (no accent folding, case folding)', 'name', 'É', ['emile']],
        ['[^a-z0-9 %] (a negated class)', 'name', '[^a-z0-9 %]', ['emile']],
        ['\\W (ASCII word characters only)', 'name', '\\W', ['emile', 'pct']],
        ['(a|a)*b (exponential in a backtracking engine)', 'name', '(a|a)*b', ['bob1', 'bob2', 'yves']],
        ['x{2,} (a repeat)', 'name', 'o{2,}', []],
        ['^\\+33 on phones', 'phone', '^\\+33', ['yves']],
        ['. keeps null emails out', 'email', '.', ['alice', 'bob1', 'emile', 'dave', 'pct', 'yves']],
        ['^z on $id', '$id', '^z', ['Zed']],
        ['(?:bo|da)(b|ve)', 'name', '^(?:bo|da)(b|ve)$', ['bob1', 'bob2', 'dave', 'yves']],
        ['\\d+% ', 'name', '\\d+% s', ['pct']],
      ])('%s', async (_, attribute, pattern, expected) => {
        expect(await filtered(f('regex', attribute, pattern))).toEqual(expected);
      });
    });

    describe('labels: an array, elements compared exactly', () => {
      it.each<[string, UserFilter, string[]]>([
        ['contains vip (VIP is another label)', f('contains', 'labels', 'vip'), ['alice', 'bob1', 'pct']],
        ['contains VIP|beta (any of)', f('contains', 'labels', 'VIP', 'beta'), ['alice', 'bob2', 'emile', 'pct']],
        ['containsAny VIP|beta', f('containsAny', 'labels', 'VIP', 'beta'), ['alice', 'bob2', 'emile', 'pct']],
        ['containsAll vip|beta', f('containsAll', 'labels', 'vip', 'beta'), ['alice', 'pct']],
        ['containsAll vip|vip (repeats count once)', f('containsAll', 'labels', 'vip', 'vip'), ['alice', 'bob1', 'pct']],
        ['notContains vip', f('notContains', 'labels', 'vip'), ['bob2', 'emile', 'dave', 'Zed', 'yves']],
        ['notContains vip|beta (none of)', f('notContains', 'labels', 'vip', 'beta'), ['bob2', 'dave', 'Zed', 'yves']],
        ['contains a (whole labels, not substrings)', f('contains', 'labels', 'a'), ['yves']],
        ['isNull (an array is never null)', { method: 'isNull', attribute: 'labels' }, []],
        ['isNotNull', { method: 'isNotNull', attribute: 'labels' }, ALL],
        ['inside or()', { method: 'or', queries: [f('contains', 'labels', 'a'), f('equal', 'name', 'dave')] }, ['dave', 'yves']],
        ['and() with a string filter', { method: 'and', queries: [f('containsAll', 'labels', 'vip'), f('startsWith', 'email', 'b')] }, ['bob1']],
      ])('%s', async (_, filter, expected) => {
        expect(await filtered(filter)).toEqual(expected);
      });

      it('sorts by the JSON text of the array, as a JSON column sorts ([] last, ties in insertion order)', async () => {
        expect((await list({ orders: [asc('labels')] })).ids).toEqual(['bob2', 'yves', 'pct', 'emile', 'alice', 'bob1', 'dave', 'Zed']);
        expect((await list({ orders: [desc('labels')] })).ids).toEqual(['dave', 'Zed', 'bob1', 'alice', 'emile', 'pct', 'yves', 'bob2']);
        expect((await list({ orders: [asc('labels')], cursor: { direction: 'after', userId: 'alice' } })).ids).toEqual(['bob1', 'dave', 'Zed']);
        expect((await list({ orders: [asc('labels')], cursor: { direction: 'before', userId: 'pct' }, limit: 1 })).ids).toEqual(['yves']);
      });
    });

    describe('impersonator and accessedAt', () => {
      it.each<[string, UserFilter, string[]]>([
        ['equal impersonator true', f('equal', 'impersonator', true), ['alice', 'dave']],
        ['notEqual impersonator true', f('notEqual', 'impersonator', true), ['bob1', 'bob2', 'emile', 'pct', 'Zed', 'yves']],
        ['isNull accessedAt', { method: 'isNull', attribute: 'accessedAt' }, ['bob1', 'bob2', 'dave', 'pct', 'Zed', 'yves']],
        ['greaterThan accessedAt', f('greaterThan', 'accessedAt', '2023-08-15T00:00:00.000+00:00'), ['emile']],
        ['notBetween accessedAt skips nulls', f('notBetween', 'accessedAt', '2023-08-15T00:00:00.000+00:00', '2023-12-31T00:00:00.000+00:00'), ['alice']],
      ])('%s', async (_, filter, expected) => {
        expect(await filtered(filter)).toEqual(expected);
      });

      it('orders by them (nulls first ascending)', async () => {
        expect((await list({ orders: [desc('impersonator')] })).ids).toEqual(['alice', 'dave', 'bob1', 'bob2', 'emile', 'pct', 'Zed', 'yves']);
        expect((await list({ orders: [asc('accessedAt')] })).ids).toEqual(['bob1', 'bob2', 'dave', 'pct', 'Zed', 'yves', 'alice', 'emile']);
        expect((await list({ orders: [desc('accessedAt')], cursor: { direction: 'after', userId: 'alice' } })).ids).toEqual(['bob1', 'bob2', 'dave', 'pct', 'Zed', 'yves']);
      });
    });

    describe('total: false answers 0 without counting; the page is unchanged', () => {
      it.each<[string, Partial<UserListQuery>]>([
        ['no filter', {}],
        ['a filter and a page', { filters: [f('equal', 'status', true)], limit: 2, offset: 1 }],
        ['limit 0', { limit: 0 }],
        ['a cursor', { cursor: { direction: 'before', userId: 'pct' } }],
        ['search', { search: 'bob' }],
      ])('%s', async (_, q) => {
        const counted = await list(q);
        expect(await list({ ...q, includeTotal: false })).toEqual({ ids: counted.ids, total: 0 });
      });
    });

    describe('orderRandom', () => {
      it('answers every match once, in an order that changes, with the total', async () => {
        const orders = new Set<string>();
        for (let i = 0; i < 12; i++) {
          const r = await list({ orders: [{ attribute: null, direction: 'random' }] });
          expect(r.total).toBe(8);
          expect([...r.ids].sort()).toEqual([...ALL].sort());
          orders.add(r.ids.join());
        }
        // 12 draws of one of 8! orders: all equal has odds of 1 in 40320^11.
        expect(orders.size).toBeGreaterThan(1);
      });

      it('pages through the filtered matches; earlier orders stay primary', async () => {
        const page = await list({ filters: [f('equal', 'status', true)], orders: [{ attribute: null, direction: 'random' }], limit: 2, offset: 1 });
        expect(page.total).toBe(5);
        expect(page.ids).toHaveLength(2);
        for (const id of page.ids) expect(['alice', 'bob1', 'emile', 'pct', 'Zed']).toContain(id);
        const split = await list({ orders: [desc('status'), { attribute: null, direction: 'random' }, asc('name')] });
        expect(split.ids.slice(0, 5).sort()).toEqual(['Zed', 'alice', 'bob1', 'emile', 'pct']);
        expect(split.ids.slice(5).sort()).toEqual(['bob2', 'dave', 'yves']);
      });
    });
  });
}
