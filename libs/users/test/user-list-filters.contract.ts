import type { UserFilter, UserListQuery } from '@lib/appwrite';
import type { OpenReadModels } from '@lib/read-models/testing';
import { asc, desc, userQuery } from './user-fixtures';
import { ALL, LIST_PROJECT, listFixture, listUsersFixture } from './user-list.fixture';

/** List Users filters on the hand-checked fixture: §5 examples, code points, strings, booleans, dates, nulls, and/or. */
export function describeListUsersFilters(open: OpenReadModels): void {
  describe('List Users: filters', () => {
    const fx = listUsersFixture(open);
    const { ids, list, filtered } = fx;

    describe('queries.md §5 examples (u1..u4)', () => {
      it.each<[string, Partial<UserListQuery>, string[]]>([
        ['(none)', {}, ['u1', 'u2', 'u3', 'u4']],
        ['limit(2)', { limit: 2 }, ['u1', 'u2']],
        ['limit(2), offset(1)', { limit: 2, offset: 1 }, ['u2', 'u3']],
        ['cursorAfter("u2")', { cursor: { direction: 'after', userId: 'u2' } }, ['u3', 'u4']],
        ['cursorBefore("u3")', { cursor: { direction: 'before', userId: 'u3' } }, ['u1', 'u2']],
        ['cursorBefore("u4"), limit(1)', { cursor: { direction: 'before', userId: 'u4' }, limit: 1 }, ['u3']],
        ['orderDesc(""), cursorAfter("u3")', { orders: [desc(null)], cursor: { direction: 'after', userId: 'u3' } }, ['u2', 'u1']],
        ['limit(0)', { limit: 0 }, []],
      ])('%s', async (_, q, expected) => {
        expect(await ids('spec', q)).toEqual({ ids: expected, total: 4 });
      });
    });

    it('orders and prefixes by code point, up to U+10FFFF', async () => {
      expect((await ids('edge', { orders: [asc('name')] })).ids).toEqual(['e4', 'e5', 'e2', 'e3', 'e1', 'e0', 'e6']);
      const startsWith = async (value: string) =>
        (await ids('edge', { filters: [{ method: 'startsWith', attribute: 'name', values: [value] }] })).ids;
      expect(await startsWith('a\u{10FFFF}')).toEqual(['e0', 'e1']);
      expect(await startsWith('a\uD7FF')).toEqual(['e4']);
      expect(await startsWith('a\u{1D49C}')).toEqual(['e3']);
      expect(await startsWith('a')).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5']);
      expect(
        (await ids('edge', { filters: [{ method: 'greaterThan', attribute: 'name', values: ['a\uFFFF'] }] })).ids,
      ).toEqual(['e0', 'e1', 'e3', 'e6']);
    });

    it('returns whole records in insertion order by default', async () => {
      const r = await fx.directory().list(LIST_PROJECT, userQuery());
      expect(r.total).toBe(8);
      expect(r.items).toEqual(listFixture(LIST_PROJECT));
    });

    describe('string filters are case-insensitive (Unicode lower-casing)', () => {
      it.each<[string, UserFilter, string[]]>([
        ['equal name bob', { method: 'equal', attribute: 'name', values: ['bob'] }, ['bob1', 'bob2', 'yves']],
        ['equal name BOB|alice', { method: 'equal', attribute: 'name', values: ['BOB', 'alice'] }, ['alice', 'bob1', 'bob2', 'yves']],
        ['equal name ÉMILE', { method: 'equal', attribute: 'name', values: ['ÉMILE'] }, ['emile']],
        ['equal name émile', { method: 'equal', attribute: 'name', values: ['émile'] }, ['emile']],
        ['equal name emile (no accent folding)', { method: 'equal', attribute: 'name', values: ['emile'] }, []],
        ['equal name empty', { method: 'equal', attribute: 'name', values: [''] }, ['Zed']],
        ['equal $id ZED', { method: 'equal', attribute: '$id', values: ['ZED'] }, ['Zed']],
        ['equal email stored mixed-case', { method: 'equal', attribute: 'email', values: ['yves@example.com'] }, ['yves']],
        ['equal phone', { method: 'equal', attribute: 'phone', values: ['+14155550002'] }, ['bob2']],
        ['lessThan name bob', { method: 'lessThan', attribute: 'name', values: ['bob'] }, ['alice', 'pct', 'Zed']],
        [
          'lessThanEqual name BOB',
          { method: 'lessThanEqual', attribute: 'name', values: ['BOB'] },
          ['alice', 'bob1', 'bob2', 'pct', 'Zed', 'yves'],
        ],
        ['greaterThan name bob', { method: 'greaterThan', attribute: 'name', values: ['bob'] }, ['emile', 'dave']],
        ['greaterThanEqual email D', { method: 'greaterThanEqual', attribute: 'email', values: ['D'] }, ['emile', 'dave', 'pct', 'yves']],
        [
          'lessThan name a|c (values OR-ed)',
          { method: 'lessThan', attribute: 'name', values: ['a', 'c'] },
          ['alice', 'bob1', 'bob2', 'pct', 'Zed', 'yves'],
        ],
        ['between name b..d', { method: 'between', attribute: 'name', values: ['B', 'd'] }, ['bob1', 'bob2', 'yves']],
        ['between name bob..bob (inclusive)', { method: 'between', attribute: 'name', values: ['bob', 'BOB'] }, ['bob1', 'bob2', 'yves']],
        ['between name reversed bounds', { method: 'between', attribute: 'name', values: ['d', 'b'] }, []],
        ['between $id', { method: 'between', attribute: '$id', values: ['x', 'zz'] }, ['Zed', 'yves']],
      ])('%s', async (_, filter, expected) => {
        expect(await filtered(filter)).toEqual(expected);
      });
    });

    describe('startsWith / endsWith / contains take % and _ literally', () => {
      it.each<[string, UserFilter, string[]]>([
        ['startsWith email d_', { method: 'startsWith', attribute: 'email', values: ['d_'] }, ['dave']],
        ['startsWith email D', { method: 'startsWith', attribute: 'email', values: ['D'] }, ['dave', 'pct']],
        ['startsWith email a|b', { method: 'startsWith', attribute: 'email', values: ['a', 'B'] }, ['alice', 'bob1']],
        ['startsWith name 100%', { method: 'startsWith', attribute: 'name', values: ['100%'] }, ['pct']],
        ['startsWith name 100_', { method: 'startsWith', attribute: 'name', values: ['100_'] }, []],
        ['startsWith name %', { method: 'startsWith', attribute: 'name', values: ['%'] }, []],
        ['startsWith name empty: every non-null', { method: 'startsWith', attribute: 'name', values: [''] }, ALL],
        ['startsWith email empty: nulls excluded', { method: 'startsWith', attribute: 'email', values: [''] }, ['alice', 'bob1', 'emile', 'dave', 'pct', 'yves']],
        ['startsWith phone +1415', { method: 'startsWith', attribute: 'phone', values: ['+1415'] }, ['alice', 'bob2', 'dave']],
        ['startsWith $id B', { method: 'startsWith', attribute: '$id', values: ['B'] }, ['bob1', 'bob2']],
        ['endsWith name % SURE', { method: 'endsWith', attribute: 'name', values: ['% SURE'] }, ['pct']],
        ['endsWith email .FR', { method: 'endsWith', attribute: 'email', values: ['.FR'] }, ['emile']],
        ['endsWith email _', { method: 'endsWith', attribute: 'email', values: ['_'] }, []],
        ['contains name 0% s', { method: 'contains', attribute: 'name', values: ['0% s'] }, ['pct']],
        ['contains name O', { method: 'contains', attribute: 'name', values: ['O'] }, ['bob1', 'bob2', 'yves']],
        ['contains name _', { method: 'contains', attribute: 'name', values: ['_'] }, []],
        ['contains email _', { method: 'contains', attribute: 'email', values: ['_'] }, ['dave']],
        ['contains email %', { method: 'contains', attribute: 'email', values: ['%'] }, []],
        ['contains email \\', { method: 'contains', attribute: 'email', values: ['\\'] }, []],
        ['contains name MIL|lic', { method: 'contains', attribute: 'name', values: ['MIL', 'lic'] }, ['alice', 'emile']],
      ])('%s', async (_, filter, expected) => {
        expect(await filtered(filter)).toEqual(expected);
      });
    });

    describe('booleans and datetimes', () => {
      const dave = '2023-04-01T10:20:30.456+00:00';
      it.each<[string, UserFilter, string[]]>([
        ['equal status false', { method: 'equal', attribute: 'status', values: [false] }, ['bob2', 'dave', 'yves']],
        ['equal status true|false', { method: 'equal', attribute: 'status', values: [true, false] }, ALL],
        ['notEqual status true', { method: 'notEqual', attribute: 'status', values: [true] }, ['bob2', 'dave', 'yves']],
        ['equal emailVerification true', { method: 'equal', attribute: 'emailVerification', values: [true] }, ['alice', 'emile', 'dave']],
        ['equal phoneVerification true', { method: 'equal', attribute: 'phoneVerification', values: [true] }, ['bob2', 'emile']],
        ['greaterThan status false', { method: 'greaterThan', attribute: 'status', values: [false] }, ['alice', 'bob1', 'emile', 'pct', 'Zed']],
        ['between emailVerification false..true', { method: 'between', attribute: 'emailVerification', values: [false, true] }, ALL],
        ['equal registration to the millisecond', { method: 'equal', attribute: 'registration', values: [dave] }, ['dave']],
        ['equal registration off by 1 ms', { method: 'equal', attribute: 'registration', values: ['2023-04-01T10:20:30.457+00:00'] }, []],
        [
          'between $createdAt (inclusive)',
          { method: 'between', attribute: '$createdAt', values: ['2023-03-01T00:00:00.000+00:00', dave] },
          ['bob2', 'emile', 'dave'],
        ],
        ['greaterThan passwordUpdate (nulls never match)', { method: 'greaterThan', attribute: 'passwordUpdate', values: ['2023-02-01T00:00:00.000+00:00'] }, ['bob2', 'dave', 'pct']],
        ['lessThan $updatedAt', { method: 'lessThan', attribute: '$updatedAt', values: ['2023-03-01T00:00:00.000+00:00'] }, ['bob1']],
        ['lessThanEqual $updatedAt', { method: 'lessThanEqual', attribute: '$updatedAt', values: ['2023-03-01T00:00:00.000+00:00'] }, ['bob1', 'emile']],
        ['greaterThanEqual $createdAt', { method: 'greaterThanEqual', attribute: '$createdAt', values: ['2023-06-01T00:00:00.000+00:00'] }, ['Zed', 'yves']],
        ['notEqual passwordUpdate', { method: 'notEqual', attribute: 'passwordUpdate', values: [dave] }, ['alice', 'bob2', 'pct']],
      ])('%s', async (_, filter, expected) => {
        expect(await filtered(filter)).toEqual(expected);
      });
    });

    describe('nulls only answer isNull / isNotNull', () => {
      it.each<[string, UserFilter, string[]]>([
        ['isNull email', { method: 'isNull', attribute: 'email' }, ['bob2', 'Zed']],
        ['isNotNull phone', { method: 'isNotNull', attribute: 'phone' }, ['alice', 'bob2', 'dave', 'yves']],
        ['isNull passwordUpdate', { method: 'isNull', attribute: 'passwordUpdate' }, ['bob1', 'emile', 'Zed', 'yves']],
        ['isNotNull name', { method: 'isNotNull', attribute: 'name' }, ALL],
        ['isNull status', { method: 'isNull', attribute: 'status' }, []],
        ['notEqual email skips nulls', { method: 'notEqual', attribute: 'email', values: ['bob@example.com'] }, ['alice', 'emile', 'dave', 'pct', 'yves']],
        ['notEqual name a|b (OR-ed: everyone)', { method: 'notEqual', attribute: 'name', values: ['alice', 'bob'] }, ALL],
        ['lessThan phone skips nulls', { method: 'lessThan', attribute: 'phone', values: ['+9'] }, ['alice', 'bob2', 'dave', 'yves']],
        ['endsWith phone skips nulls', { method: 'endsWith', attribute: 'phone', values: [''] }, ['alice', 'bob2', 'dave', 'yves']],
      ])('%s', async (_, filter, expected) => {
        expect(await filtered(filter)).toEqual(expected);
      });
    });

    describe('and / or, nested, AND-ed at the top', () => {
      it('or(equal, and(equal, isNotNull))', async () => {
        expect(
          await filtered({
            method: 'or',
            queries: [
              { method: 'equal', attribute: 'name', values: ['alice'] },
              {
                method: 'and',
                queries: [
                  { method: 'equal', attribute: 'status', values: [false] },
                  { method: 'isNotNull', attribute: 'phone' },
                ],
              },
            ],
          }),
        ).toEqual(['alice', 'bob2', 'dave', 'yves']);
      });

      it('or(isNull, equal)', async () => {
        expect(
          await filtered({
            method: 'or',
            queries: [
              { method: 'isNull', attribute: 'email' },
              { method: 'equal', attribute: 'emailVerification', values: [true] },
            ],
          }),
        ).toEqual(['alice', 'bob2', 'emile', 'dave', 'Zed']);
      });

      it('and(or, or)', async () => {
        expect(
          await filtered({
            method: 'and',
            queries: [
              {
                method: 'or',
                queries: [
                  { method: 'equal', attribute: 'name', values: ['bob'] },
                  { method: 'equal', attribute: 'name', values: ['dave'] },
                ],
              },
              {
                method: 'or',
                queries: [
                  { method: 'isNull', attribute: 'email' },
                  { method: 'equal', attribute: 'status', values: [false] },
                ],
              },
            ],
          }),
        ).toEqual(['bob2', 'dave', 'yves']);
      });

      it('a null inside or() does not poison the other branch', async () => {
        expect(
          await filtered({
            method: 'or',
            queries: [
              { method: 'notEqual', attribute: 'email', values: ['x@y.z'] },
              { method: 'isNull', attribute: 'phone' },
            ],
          }),
        ).toEqual(['alice', 'bob1', 'emile', 'dave', 'pct', 'Zed', 'yves']);
      });

      it('three levels deep', async () => {
        expect(
          await filtered({
            method: 'or',
            queries: [
              {
                method: 'and',
                queries: [
                  { method: 'startsWith', attribute: 'name', values: ['b'] },
                  {
                    method: 'or',
                    queries: [
                      { method: 'isNull', attribute: 'email' },
                      { method: 'endsWith', attribute: 'email', values: ['@example.com'] },
                    ],
                  },
                ],
              },
              { method: 'equal', attribute: '$id', values: ['Zed'] },
            ],
          }),
        ).toEqual(['bob1', 'bob2', 'Zed', 'yves']);
      });

      it('top-level filters are AND-ed; total counts them, ignoring order and paging', async () => {
        const filters: UserFilter[] = [
          { method: 'equal', attribute: 'status', values: [true] },
          { method: 'isNotNull', attribute: 'email' },
        ];
        expect(await list({ filters })).toEqual({ ids: ['alice', 'bob1', 'emile', 'pct'], total: 4 });
        expect(await list({ filters: [filters[0]], orders: [asc('name')], limit: 2 })).toEqual({ ids: ['Zed', 'pct'], total: 5 });
        expect(await list({ filters: [filters[0]], limit: 2, offset: 4 })).toEqual({ ids: ['Zed'], total: 5 });
        expect(await list({ filters: [filters[0]], limit: 2, offset: 5 })).toEqual({ ids: [], total: 5 });
        expect(await list({ filters: [filters[0]], limit: 0 })).toEqual({ ids: [], total: 5 });
      });
    });
  });
}
