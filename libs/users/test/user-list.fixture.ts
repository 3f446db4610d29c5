import type { UserFilter, UserListQuery } from '@lib/appwrite';
import type { ReadModelStore } from '@lib/read-models';
import { NewEvents, OpenReadModels, openReadModel } from '@lib/read-models/testing';
import type { UserDirectory, UserRecord } from '../src/user-directory/user-directory.port';
import { USER_DIRECTORY } from '../src/user-directory/user-directory.read-model';
import { makeUser, userQuery } from './user-fixtures';

/**
 * The List Users fixture. Names, e-mails and dates are chosen for ties, nulls, case and
 * LIKE-wildcard traps; expected orders below were worked out by hand from queries.md §5.
 *
 * (seq n: the sort key sortKey(n))
 * | id    | seq | name (lower)  | email (lower)      | phone        | status | eV | pV | passwordUpdate | created   |
 * | alice | 10  | alice         | alice@example.com  | +14155550001 | T      | T  | F  | 2023-01-01     | 2023-01-01 |
 * | bob1  | 20  | bob           | bob@example.com    | null         | T      | F  | F  | null           | 2023-02-01 |
 * | bob2  | 30  | bob           | null               | +14155550002 | F      | F  | T  | 2023-03-01     | 2023-03-01 |
 * | emile | 40  | émile         | emile@example.fr   | null         | T      | T  | T  | null           | 2023-03-01 |
 * | dave  | 50  | dave          | d_ve@example.com   | +14155550003 | F      | T  | F  | 2023-04-01 10:20:30.456    |
 * | pct   | 60  | 100% sure     | dave@percent.io    | null         | T      | F  | F  | 2023-05-01     | 2023-05-01 |
 * | Zed   | 70  | (empty)       | null               | null         | T      | F  | F  | null           | 2023-06-01 |
 * | yves  | 80  | bob           | yves@example.com   | +33612345678 | F      | F  | F  | null           | 2023-07-01 |
 *
 * Appwrite 1.5+ attributes (labels compare exactly, case included; unset: [] / false / null):
 * | id    | labels               | impersonator | accessedAt |
 * | alice | vip, beta            | T            | 2023-08-01 |
 * | bob1  | vip                  |              |            |
 * | bob2  | VIP                  |              |            |
 * | emile | beta                 |              | 2023-09-01 |
 * | dave  |                      | T            |            |
 * | pct   | admin, vip, beta     |              |            |
 * | yves  | a                    |              |            |
 */
export function listFixture(P: string): UserRecord[] {
  const d = (s: string) => `${s}T00:00:00.000+00:00`;
  const dave = '2023-04-01T10:20:30.456+00:00';
  return [
    makeUser(P, 'alice', 10, {
      name: 'Alice',
      email: 'alice@example.com',
      phone: '+14155550001',
      emailVerification: true,
      passwordUpdate: d('2023-01-01'),
      createdAt: d('2023-01-01'),
      registration: d('2023-01-01'),
      updatedAt: d('2023-06-01'),
      labels: ['vip', 'beta'],
      impersonator: true,
      accessedAt: d('2023-08-01'),
    }),
    makeUser(P, 'bob1', 20, { name: 'Bob', email: 'bob@example.com', createdAt: d('2023-02-01'), registration: d('2023-02-01'), updatedAt: d('2023-02-01'), labels: ['vip'] }),
    makeUser(P, 'bob2', 30, {
      name: 'bob',
      email: null,
      phone: '+14155550002',
      status: false,
      phoneVerification: true,
      passwordUpdate: d('2023-03-01'),
      createdAt: d('2023-03-01'),
      registration: d('2023-03-01'),
      updatedAt: d('2023-03-02'),
      labels: ['VIP'],
    }),
    makeUser(P, 'emile', 40, {
      name: 'Émile',
      email: 'emile@example.fr',
      emailVerification: true,
      phoneVerification: true,
      createdAt: d('2023-03-01'),
      registration: d('2023-03-01'),
      updatedAt: d('2023-03-01'),
      labels: ['beta'],
      accessedAt: d('2023-09-01'),
    }),
    makeUser(P, 'dave', 50, {
      name: 'dave',
      email: 'd_ve@example.com',
      phone: '+14155550003',
      status: false,
      emailVerification: true,
      passwordUpdate: dave,
      createdAt: dave,
      registration: dave,
      updatedAt: dave,
      impersonator: true,
    }),
    makeUser(P, 'pct', 60, {
      name: '100% Sure',
      email: 'dave@percent.io',
      passwordUpdate: d('2023-05-01'),
      createdAt: d('2023-05-01'),
      registration: d('2023-05-01'),
      updatedAt: d('2023-05-01'),
      labels: ['admin', 'vip', 'beta'],
    }),
    makeUser(P, 'Zed', 70, { name: '', email: null, createdAt: d('2023-06-01'), registration: d('2023-06-01'), updatedAt: d('2023-06-01') }),
    makeUser(P, 'yves', 80, {
      name: 'BOB',
      // Stored mixed-case on purpose: comparisons must not depend on how the writer cased it.
      email: 'Yves@Example.com',
      phone: '+33612345678',
      status: false,
      createdAt: d('2023-07-01'),
      registration: d('2023-07-01'),
      updatedAt: d('2023-07-01'),
      labels: ['a'],
    }),
  ];
}

export const LIST_PROJECT = 'list';
/** Every user of the fixture, in insertion order. */
export const ALL = ['alice', 'bob1', 'bob2', 'emile', 'dave', 'pct', 'Zed', 'yves'];

/**
 * Opens a store for the enclosing describe block, holding the fixture in project `list`, the
 * queries.md §5 examples u1..u4 in project `spec`, a look-alike in another project, and names
 * at the edges of Unicode in project `edge`.
 */
export function listUsersFixture(open: OpenReadModels) {
  let store: ReadModelStore;
  let directory: UserDirectory;
  beforeAll(async () => {
    ({ store, queries: directory } = await openReadModel(open, USER_DIRECTORY));
    const events = new NewEvents();
    const put = (user: UserRecord) => events.apply(store, 'users', [{ kind: 'put', user }]);
    for (const user of listFixture(LIST_PROJECT)) await put(user);
    // queries.md §5 examples: u1..u4 created in that order.
    for (const [i, id] of ['u1', 'u2', 'u3', 'u4'].entries()) await put(makeUser('spec', id, 1000 + i));
    // A user of another project must never show up.
    await put(makeUser('elsewhere', 'bob3', 5, { name: 'bob' }));
    // Code points at the edges of Unicode: order and prefixes follow code points, not UTF-16 units.
    const edge = ['a\u{10FFFF}b', 'a\u{10FFFF}', 'a\uFFFF', 'a\u{1D49C}', 'a\uD7FF', 'a\uE000', 'b'];
    for (const [i, name] of edge.entries()) await put(makeUser('edge', `e${i}`, 500 + i, { name }));
  });
  afterAll(async () => {
    await store.close();
  });
  const ids = async (projectId: string, q: Partial<UserListQuery>) => {
    const r = await directory.list(projectId, userQuery(q));
    return { ids: r.items.map((u) => u.id), total: r.total };
  };
  const list = (q: Partial<UserListQuery>) => ids(LIST_PROJECT, q);
  return {
    directory: () => directory,
    ids,
    list,
    filtered: async (...filters: UserFilter[]) => (await list({ filters })).ids,
  };
}
