import type { ComparisonMethod, UserAttribute, UserFilter, UserListQuery, UserOrder } from '@lib/appwrite';
import type { ReadModelStore } from '@lib/read-models';
import { NewEvents, OpenReadModels, openReadModel } from '@lib/read-models/testing';
import type { UserDirectory, UserRecord } from '../src/user-directory/user-directory.port';
import { USER_DIRECTORY } from '../src/user-directory/user-directory.read-model';
import { referenceListUsers } from './reference-user-list';
import { makeUser, mulberry32 } from './user-fixtures';

export function describeAgainstReference(open: OpenReadModels): void {
  describe('random queries agree with the reference List Users', () => {
    let store: ReadModelStore;
    let directory: UserDirectory;
    const events = new NewEvents();
    const P = 'random';
    const rnd = mulberry32(20230509);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    // Astral and private-use characters pin down code-point (not UTF-16) ordering.
    const NAMES = ['Ann', 'ann', 'ANN', 'Bob', 'bo', 'Émile', 'émile', 'zoé', '', '100%', 'a_b', 'aXb', 'Ñandú', '𝒜lpha', '\uE000priv', 'ß', 'İd'];
    const EMAILS = [null, null, 'ann@example.com', 'ANN@example.com', 'bob@x.io', 'a_b@x.io', 'zz@z.z', 'émile@ex.fr'];
    const PHONES = [null, null, '+14155550001', '+14155550002', '+33612345678'];
    const DATES = ['2023-01-01T00:00:00.000+00:00', '2023-01-01T00:00:00.001+00:00', '2023-06-15T12:30:00.000+00:00', '2024-02-29T23:59:59.999+00:00'];
    const PWD_DATES = [null, ...DATES];
    const LABELS = ['vip', 'VIP', 'beta', 'a', 'admin'];
    const ATTRS: UserAttribute[] = [
      '$id', '$createdAt', '$updatedAt', 'name', 'email', 'phone', 'status', 'emailVerification', 'phoneVerification', 'passwordUpdate', 'registration', 'labels', 'impersonator', 'accessedAt',
    ];
    /** Patterns JS RegExp (the reference's engine) reads as the query syntax does. */
    const PATTERNS = ['^a', 'n$', 'a.b', '[a-c]', '^$', 'o{1,2}', '(an|bo)', 'É', '\\d', '[^a-z]', '%', 'x_', '^r[0-9]+$', '𝒜', 'ß'];
    const STRING_VALUES: Partial<Record<UserAttribute, string[]>> = {
      name: [...NAMES, 'A', 'b', 'É', '%', '_', 'a%', 'ann '],
      email: ['ann@example.com', 'A', 'b', '@x.io', '_', 'Z', '.FR', '%'],
      phone: ['+1415', '+14155550001', '+3', '2', '0'],
    };
    const users: UserRecord[] = [];

    beforeAll(async () => {
      ({ store, queries: directory } = await openReadModel(open, USER_DIRECTORY));
      for (let i = 0; i < 60; i++) {
        const id = `${pick(['r', 'R', 'x_'])}${i}`;
        const created = pick(DATES);
        users.push(
          makeUser(P, id, 10 + i * 3, {
            name: pick(NAMES),
            email: pick(EMAILS),
            phone: pick(PHONES),
            status: rnd() < 0.6,
            emailVerification: rnd() < 0.4,
            phoneVerification: rnd() < 0.3,
            createdAt: created,
            registration: created,
            updatedAt: pick(DATES),
            passwordUpdate: pick(PWD_DATES),
            labels: LABELS.filter(() => rnd() < 0.3),
            impersonator: rnd() < 0.3,
            accessedAt: rnd() < 0.5 ? null : pick(DATES),
          }),
        );
      }
      for (let i = 0; i < users.length; i += 7) await events.apply(store, 'users', users.slice(i, i + 7).map((user) => ({ kind: 'put' as const, user })));
    });
    afterAll(async () => {
      await store.close();
    });

    const valueFor = (attribute: UserAttribute): string | boolean => {
      switch (attribute) {
        case 'status':
        case 'emailVerification':
        case 'phoneVerification':
        case 'impersonator':
          return rnd() < 0.5;
        case '$createdAt':
        case '$updatedAt':
        case 'registration':
        case 'passwordUpdate':
        case 'accessedAt':
          return pick(DATES);
        case 'labels':
          return pick(LABELS);
        case '$id':
          return pick(users).id.toUpperCase().slice(0, 1 + Math.floor(rnd() * 3));
        default:
          return pick(STRING_VALUES[attribute]!);
      }
    };
    const randomFilter = (depth: number): UserFilter => {
      const r = rnd();
      if (depth < 2 && r < 0.15) {
        return { method: rnd() < 0.5 ? 'and' : 'or', queries: [randomFilter(depth + 1), randomFilter(depth + 1), ...(rnd() < 0.3 ? [randomFilter(depth + 1)] : [])] };
      }
      const attribute = pick(ATTRS);
      if (r < 0.25) return { method: rnd() < 0.5 ? 'isNull' : 'isNotNull', attribute };
      const n = 1 + Math.floor(rnd() * 2.5);
      const several = () => Array.from({ length: n }, () => valueFor(attribute));
      if (attribute === 'labels') return { method: pick(['contains', 'containsAny', 'containsAll', 'notContains'] as const), attribute, values: several() };
      const isString = ['$id', 'name', 'email', 'phone'].includes(attribute);
      const strings = ['startsWith', 'endsWith', 'contains', 'containsAny', 'containsAll', 'notContains', 'notStartsWith', 'notEndsWith', 'regex'] as const;
      const methods: Array<ComparisonMethod | 'between' | 'notBetween'> = ['equal', 'notEqual', 'lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual', 'between', 'notBetween', ...(isString ? strings : [])];
      const method = pick(methods);
      if (method === 'between' || method === 'notBetween') return { method, attribute, values: [valueFor(attribute), valueFor(attribute)] as [string | boolean, string | boolean] };
      if (method === 'regex') return { method, attribute, values: [pick(PATTERNS)] };
      // Appwrite 1.8 takes one value for these.
      if (method === 'notStartsWith' || method === 'notEndsWith') return { method, attribute, values: [valueFor(attribute)] };
      return { method, attribute, values: several() };
    };
    const randomQuery = (): UserListQuery => {
      const filters = Array.from({ length: Math.floor(rnd() * 3) }, () => randomFilter(0));
      const orders: UserOrder[] = Array.from({ length: Math.floor(rnd() * 4) }, () => ({
        attribute: rnd() < 0.15 ? null : pick(ATTRS),
        direction: rnd() < 0.5 ? 'asc' : 'desc',
      }));
      const q: UserListQuery = { filters, orders, limit: pick([0, 1, 2, 5, 10, 25, 100]), offset: pick([0, 0, 0, 1, 3, 20]) };
      if (rnd() < 0.45) q.cursor = { direction: rnd() < 0.5 ? 'after' : 'before', userId: pick(users).id };
      if (rnd() < 0.2) q.search = pick(['ann', 'ann example', 'a_b', 'x', '"ann example"', 'émile ex', 'r1', 'bob x', 'the', '1415']);
      if (rnd() < 0.1) q.includeTotal = false;
      return q;
    };

    it('on 500 random queries (filters incl. the 1.8 methods and labels, nesting, orders, cursors, offsets, search, total)', async () => {
      for (let i = 0; i < 500; i++) {
        const q = randomQuery();
        const actual = await directory.list(P, q);
        const expected = referenceListUsers(users, q);
        const got = { total: actual.total, ids: actual.items.map((u) => u.id) };
        const want = { total: expected.total, ids: expected.items.map((u) => u.id) };
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          throw new Error(`query #${i} ${JSON.stringify(q)}\n got ${JSON.stringify(got)}\nwant ${JSON.stringify(want)}`);
        }
      }
    });
  });
}
