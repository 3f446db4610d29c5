import type Database from 'better-sqlite3';
import type { UserAttribute, UserFilter, UserListQuery, UserOrder } from '@lib/appwrite';
import { ReadModelStore, runPlannedList, SqliteReadModels, type PlannedSqlList } from '@lib/read-models';
import { NewEvents, openReadModel, sqliteReadModelsForTests } from '@lib/read-models/testing';
import { makeUser, mulberry32, referenceListUsers, userQuery } from '@lib/users/testing';
import type { UserRecord } from '../user-directory.port';
import { USER_DIRECTORY } from '../user-directory.read-model';
import { CARRIES_CREATED_AT, planUserList, USER_COLUMNS, USER_LIST_INDEXES } from './sqlite-user-query';

/*
 * EXPLAIN QUERY PLAN of every List Users shape: each filter method on attributes of every kind ×
 * every order attribute, both directions, without a cursor and with cursors on null and non-null
 * values, and the search parameter. What a plan may do (checked by `violations`):
 *  - never SCAN a table (users, labels, search words): a walk of the project through an index
 *    (`SEARCH u USING INDEX … (project_id=?)`) is the most any part may cost;
 *  - the dense plan (sqlite-list-plan.ts) walks exactly the index it names, and never sorts the
 *    whole walk ("USE TEMP B-TREE FOR ORDER BY"); it may sort runs of ties ("… FOR LAST TERM /
 *    RIGHT PART OF ORDER BY") only where runs are short by nature (ids, unique emails and phones,
 *    timestamps), or for the keys after the first of a multi-key order;
 *  - the sparse plan (taken only below the count cap, so it sorts at most that many rows) is
 *    driven by a filter: its users loop seeks an index on a filtered column, or the row ids a
 *    labels filter or the search gathered;
 *  - the count seeks a filter's index when one can; only filters no index serves walk the project.
 * orderRandom is left out: a random order is a sort by definition.
 * Then every plan, forced either way, must return what the reference List Users returns.
 */

const P = 'plans';
const ATTRIBUTES = Object.keys(USER_COLUMNS) as UserAttribute[];
/** Columns whose runs of equal values are short: a descending walk may sort each run on the way. */
const SHORT_TIES = new Set(['id_lc', 'created_at', 'updated_at', 'registration', 'email_lc', 'phone_lc', 'password_update', 'accessed_at']);
const D = (day: number) => `2023-01-${String(day).padStart(2, '0')}T00:00:00.000+00:00`;

interface Explained {
  part: 'count' | 'sparse' | 'dense';
  sql: string;
  lines: string[];
}

function explain(db: Database.Database, plan: PlannedSqlList): Explained[] {
  const rows = (sql: string, params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
  const out: Explained[] = [];
  if (plan.count) out.push({ part: 'count', sql: plan.count.sql, lines: rows(plan.count.sql, plan.count.params) });
  if (plan.sparse) out.push({ part: 'sparse', sql: plan.sparse.sql, lines: rows(plan.sparse.sql, [...plan.sparse.params, 25, 0]) });
  for (const d of plan.dense) out.push({ part: 'dense', sql: d.sql, lines: rows(d.sql, [...d.params, 25, 0]) });
  return out;
}

/** What is wrong with one part's plan (empty when it is acceptable). */
function violations(e: Explained, shape: { filters: UserFilter[]; orders: UserOrder[]; search?: string }): string[] {
  const bad: string[] = [];
  for (const line of e.lines) if (/^SCAN (u|e|w)\b/.test(line)) bad.push(`full scan: ${line}`);
  const usersLoop = e.lines.find((l) => /^(SEARCH|SCAN) u\b/.test(l)) ?? '';
  const filtered = shape.filters.flatMap((f) => ('attribute' in f ? [USER_COLUMNS[f.attribute as UserAttribute].column] : []));
  const seekable = (f: UserFilter) => 'attribute' in f && seeksColumn(f);
  const seeking = shape.filters.filter(seekable).map((f) => USER_COLUMNS[(f as { attribute: UserAttribute }).attribute].column);
  const rowIds = shape.search !== undefined || shape.filters.some((f) => 'attribute' in f && f.attribute === 'labels' && ['contains', 'containsAny', 'containsAll'].includes(f.method));
  const seeksAFilter = (line: string) =>
    /USING INTEGER PRIMARY KEY \(rowid=\?\)|USING (COVERING )?INDEX users_by_rid \(rid=\?\)/.test(line) || seeking.some((c) => new RegExp(`USING (COVERING )?INDEX users_by_${c}(_desc)? \\(project_id=\\? AND ${c}`).test(line));
  if (e.part === 'dense') {
    const named = /INDEXED BY (\w+)/.exec(e.sql)?.[1];
    if (!named) bad.push('names no index to walk');
    else if (!new RegExp(`^SEARCH u USING (COVERING )?INDEX ${named} \\(project_id=\\?`).test(usersLoop)) bad.push(`does not walk ${named}: ${usersLoop}`);
    if (e.lines.some((l) => l === 'USE TEMP B-TREE FOR ORDER BY')) bad.push('sorts the whole walk');
    const first = shape.orders[0];
    const firstColumn = first && first.attribute !== null ? USER_COLUMNS[first.attribute].column : 'sequence';
    const multiKey = shape.orders.filter((o) => o.attribute !== null).length > 1;
    if (e.lines.some((l) => /USE TEMP B-TREE FOR (LAST TERM|RIGHT PART) OF ORDER BY/.test(l)) && !multiKey && !SHORT_TIES.has(firstColumn)) bad.push(`sorts long runs of ties of ${firstColumn}`);
  } else if (e.part === 'sparse') {
    if (!seeksAFilter(usersLoop)) bad.push(`sparse plan not driven by a filter (${filtered.join(', ')}): ${usersLoop}`);
  } else if ((seeking.length > 0 || rowIds) && !seeksAFilter(usersLoop)) {
    bad.push(`count does not seek a filter's index: ${usersLoop}`);
  }
  return bad;
}

function seeksColumn(f: UserFilter): boolean {
  const values = (f as { values?: unknown[] }).values ?? [];
  const column = USER_COLUMNS[(f as { attribute: UserAttribute }).attribute];
  if (column.elements) return false;
  if (f.method === 'equal' || f.method === 'between') return true;
  if (f.method === 'isNull') return column.nullable;
  return ['lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual', 'startsWith'].includes(f.method) && values.length === 1;
}

/** Users with ties, nulls, booleans and labels in every combination the shapes need. */
function users(): UserRecord[] {
  const NAMES = ['', 'Ann', 'ann', 'Bob', 'Émile', 'zoé'];
  return Array.from({ length: 48 }, (_, i) =>
    makeUser(P, `u${i}`, 10 + i, {
      name: NAMES[i % NAMES.length],
      email: i % 4 === 0 ? null : `user${i}@example.com`,
      phone: i % 3 === 0 ? `+1415555${String(i).padStart(4, '0')}` : null,
      status: i % 5 !== 0,
      emailVerification: i % 2 === 0,
      phoneVerification: i % 7 === 0,
      createdAt: D(1 + (i % 9)),
      registration: D(1 + (i % 9)),
      updatedAt: D(1 + (i % 5)),
      passwordUpdate: i % 3 === 1 ? null : D(1 + (i % 4)),
      labels: i % 4 === 1 ? ['vip'] : i % 4 === 2 ? ['vip', 'beta'] : [],
      impersonator: i % 6 === 0,
      accessedAt: i % 2 === 1 ? null : D(1 + (i % 6)),
    }),
  );
}

/** One filter per method, on an attribute of each kind it applies to. */
function filterShapes(): UserFilter[] {
  const byKind: Record<string, UserAttribute[]> = { string: ['name', 'email'], datetime: ['$createdAt', 'accessedAt'], boolean: ['status'] };
  const valueOf = (a: UserAttribute) => (a === 'status' ? false : USER_COLUMNS[a].type === 'datetime' ? D(3) : 'user1');
  const out: UserFilter[] = [];
  for (const [kind, attributes] of Object.entries(byKind)) {
    for (const attribute of attributes) {
      const v = valueOf(attribute);
      out.push({ method: 'equal', attribute, values: [v] }, { method: 'notEqual', attribute, values: [v] }, { method: 'isNull', attribute }, { method: 'isNotNull', attribute });
      if (kind === 'boolean') continue;
      for (const method of ['lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual'] as const) out.push({ method, attribute, values: [v] });
      out.push({ method: 'between', attribute, values: [v, kind === 'string' ? 'user3' : D(6)] }, { method: 'notBetween', attribute, values: [v, kind === 'string' ? 'user3' : D(6)] });
      if (kind !== 'string') continue;
      for (const method of ['startsWith', 'notStartsWith', 'endsWith', 'notEndsWith', 'contains', 'notContains', 'regex'] as const) out.push({ method, attribute, values: [method === 'regex' ? '^u' : 'user1'] });
    }
  }
  out.push({ method: 'equal', attribute: 'email', values: ['user1@example.com', 'user2@example.com'] });
  for (const method of ['contains', 'containsAny', 'containsAll', 'notContains'] as const) out.push({ method, attribute: 'labels', values: ['vip', 'beta'] });
  out.push({ method: 'or', queries: [{ method: 'equal', attribute: 'status', values: [true] }, { method: 'startsWith', attribute: 'name', values: ['a'] }] });
  return out;
}

describe('List Users query plans (SQLite)', () => {
  const open = sqliteReadModelsForTests();
  let store: ReadModelStore;
  let db: Database.Database;
  const all = users();
  const cursors = { nulls: all[0], values: all[5] };
  beforeAll(async () => {
    ({ store } = await openReadModel(open, USER_DIRECTORY));
    db = (store as SqliteReadModels).database;
    const events = new NewEvents();
    for (const user of all) await events.apply(store, 'users', [{ kind: 'put', user }]);
  });
  afterAll(async () => {
    await store.close();
  });

  const cursorRow = (userId: string) => db.prepare('SELECT * FROM users WHERE project_id = ? AND id = ?').get(P, userId) as object;
  const orders: UserOrder[][] = [[], [{ attribute: null, direction: 'desc' }], ...ATTRIBUTES.flatMap((attribute) => (['asc', 'desc'] as const).map((direction) => [{ attribute, direction }])), [{ attribute: 'name', direction: 'desc' }, { attribute: 'email', direction: 'asc' }]];
  const cursorCases: Array<UserListQuery['cursor'] | undefined> = [undefined, { direction: 'after', userId: cursors.values.id }, { direction: 'before', userId: cursors.values.id }, { direction: 'after', userId: cursors.nulls.id }];

  it('the rules catch a bad plan (a sort of the whole project, a full scan)', () => {
    const lines = (db.prepare('EXPLAIN QUERY PLAN SELECT u.* FROM users u WHERE +u.project_id = ? ORDER BY u.name_lc').all(P) as Array<{ detail: string }>).map((r) => r.detail);
    expect(violations({ part: 'dense', sql: '', lines }, { filters: [], orders: [{ attribute: 'name', direction: 'asc' }] })).toEqual([expect.stringMatching(/^full scan/), 'names no index to walk', 'sorts the whole walk']);
    const walk = ['SEARCH u USING INDEX users_by_name_lc (project_id=?)'];
    expect(violations({ part: 'sparse', sql: '', lines: walk }, { filters: [{ method: 'equal', attribute: 'email', values: ['x'] }], orders: [] })).toHaveLength(1);
    expect(violations({ part: 'count', sql: '', lines: walk }, { filters: [{ method: 'equal', attribute: 'email', values: ['x'] }], orders: [] })).toHaveLength(1);
  });

  it('every filter method × order attribute × cursor, and search, has an acceptable plan', () => {
    const searches = [undefined, 'ann', 'ann user1', '"ann user1"'];
    const failures: string[] = [];
    let checked = 0;
    for (const filter of [undefined, ...filterShapes()]) {
      for (const order of orders) {
        for (const cursor of cursorCases) {
          for (const search of filter === undefined ? searches : [undefined]) {
            const query = userQuery({ filters: filter ? [filter] : [], orders: order, ...(cursor ? { cursor } : {}), ...(search ? { search } : {}) });
            const plan = planUserList(P, query, cursor ? cursorRow(cursor.userId) : null);
            for (const part of explain(db, plan)) {
              checked++;
              for (const v of violations(part, query)) failures.push(`${JSON.stringify({ filter, order, cursor, search })} [${part.part}] ${v}\n    ${part.lines.join(' | ')}`);
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(3000);
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('the dense plan walks each descending order on an index that keeps ascending ties, where runs are long', () => {
    for (const [column, ix] of Object.entries(USER_LIST_INDEXES)) {
      if (SHORT_TIES.has(column) || USER_COLUMNS[ATTRIBUTES.find((a) => USER_COLUMNS[a].column === column)!].type === 'boolean') continue;
      expect([column, ix.desc]).toEqual([column, `users_by_${column}_desc`]);
    }
  });

  // SQLite reads a walked entry's row only once the conditions the index can check have passed
  // (a deferred seek): the same walk selecting nothing but `rid` being COVERING shows that every
  // condition is checked on the entry. Without it, greaterThan($createdAt) + orderAsc(email)
  // over emails numbered in creation order read half the table for one page.
  it('a walk in the id, name, email or phone order checks a creation window on the index entry, not the row', () => {
    const windows: UserFilter[] = [
      { method: 'greaterThan', attribute: '$createdAt', values: [D(5)] },
      { method: 'lessThanEqual', attribute: '$createdAt', values: [D(3)] },
      { method: 'between', attribute: '$createdAt', values: [D(2), D(6)] },
      { method: 'equal', attribute: '$createdAt', values: [D(4)] },
    ];
    const walked = ['$id', 'name', 'email', 'phone'] as const;
    expect(walked.map((a) => CARRIES_CREATED_AT.has(USER_COLUMNS[a].column))).toEqual([true, true, true, true]);
    const failures: string[] = [];
    let checked = 0;
    for (const attribute of walked) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const filter of windows) {
          for (const cursor of cursorCases) {
            const query = userQuery({ filters: [filter], orders: [{ attribute, direction }], ...(cursor ? { cursor } : {}) });
            const plan = planUserList(P, query, cursor ? cursorRow(cursor.userId) : null);
            for (const part of plan.dense) {
              checked++;
              const sql = part.sql.replace(/^SELECT u\.\* /, 'SELECT u.rid ');
              const lines = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...part.params, 25, 0) as Array<{ detail: string }>).map((r) => r.detail);
              const named = /INDEXED BY (\w+)/.exec(sql)?.[1];
              if (!lines.some((l) => l.startsWith(`SEARCH u USING COVERING INDEX ${named} `))) failures.push(`${JSON.stringify({ filter, attribute, direction, cursor })}: ${lines.join(' | ')}`);
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(failures.slice(0, 10)).toEqual([]);
  });

  // The same deferred seek for a search's walk (see CARRIES_SEARCH_TEXT): the orders whose index
  // carries search_text check each walked entry's words without reading its row.
  it('a search walking the default or the name order checks the words on the index entry, not the row', () => {
    const walked: UserOrder[][] = [[], [{ attribute: 'name', direction: 'asc' }], [{ attribute: 'name', direction: 'desc' }]];
    const failures: string[] = [];
    let checked = 0;
    for (const order of walked) {
      for (const search of ['ann', 'ann user1', '"ann user1"']) {
        for (const cursor of cursorCases) {
          const query = userQuery({ orders: order, search, ...(cursor ? { cursor } : {}) });
          for (const part of planUserList(P, query, cursor ? cursorRow(cursor.userId) : null).dense) {
            checked++;
            const sql = part.sql.replace(/^SELECT u\.\* /, 'SELECT u.rid ');
            const lines = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...part.params, 25, 0) as Array<{ detail: string }>).map((r) => r.detail);
            const named = /INDEXED BY (\w+)/.exec(sql)?.[1];
            if (!lines.some((l) => l.startsWith(`SEARCH u USING COVERING INDEX ${named} `))) failures.push(`${JSON.stringify({ order, search, cursor })}: ${lines.join(' | ')}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(failures.slice(0, 10)).toEqual([]);
  });

  // Labels and search words gather row ids of every project: the count (up to 5,000) read each
  // counted row only to compare its project, where users_by_rid holds both.
  it('the count of users gathered by labels or search words reads no row', () => {
    const gathered: Array<Partial<UserListQuery>> = [
      { filters: [{ method: 'contains', attribute: 'labels', values: ['vip'] }] },
      { filters: [{ method: 'containsAny', attribute: 'labels', values: ['vip', 'beta'] }] },
      { search: 'ann' },
      { search: 'ann user1' },
    ];
    for (const over of gathered) {
      const plan = planUserList(P, userQuery(over), null);
      const [count] = explain(db, { ...plan, sparse: null, dense: [] });
      expect([JSON.stringify(over), count.lines.find((l) => /^SEARCH u\b/.test(l))]).toEqual([JSON.stringify(over), 'SEARCH u USING COVERING INDEX users_by_rid (rid=?)']);
    }
  });

  // `rid IN (…)` gathers every id before it counts one: a common word (or a prefix every user's
  // words start with) cost its matches, 100,000 ids for a count capped at 5,000; a label on
  // every user, the same.
  it('the count of users a search or a labels filter gathers takes the ids one by one as they come, up to the cap', () => {
    const vip: UserFilter = { method: 'contains', attribute: 'labels', values: ['vip'] };
    // What is gathered at once besides (LIST SUBQUERY): the filters that do not drive the count.
    const shapes: Array<[Partial<UserListQuery>, number]> = [
      [{ search: 'ann' }, 0],
      [{ search: 'ann user1' }, 0],
      [{ search: '"ann user1"' }, 0],
      [{ search: 'ann user1', orders: [{ attribute: 'name', direction: 'desc' }] }, 0],
      [{ filters: [vip] }, 0],
      [{ filters: [{ method: 'containsAny', attribute: 'labels', values: ['vip', 'beta'] }] }, 0],
      // "Has all of" gathers its first value's ids and checks the others on each (a correlated subquery).
      [{ filters: [{ method: 'containsAll', attribute: 'labels', values: ['vip', 'beta'] }] }, 0],
      [{ filters: [vip, { method: 'endsWith', attribute: 'email', values: ['@example.com'] }] }, 0],
      // The search drives; a labels filter beside it is gathered at once (as few ids as its label has).
      [{ search: 'ann', filters: [vip] }, 1],
      [{ filters: [vip, { method: 'contains', attribute: 'labels', values: ['beta'] }] }, 1],
    ];
    for (const [over, atOnce] of shapes) {
      const [count] = explain(db, { ...planUserList(P, userQuery(over), null), sparse: null, dense: [] });
      const label = JSON.stringify(over);
      expect([label, count.lines.some((l) => /^CO-ROUTINE g$/.test(l)), count.lines.filter((l) => /^LIST SUBQUERY/.test(l)).length]).toEqual([label, true, atOnce]);
    }
  });

  it('both plans, forced, return what the reference List Users returns', () => {
    const rnd = mulberry32(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const filters = filterShapes();
    const rows = (sql: string, params: unknown[]) => db.prepare(sql).all(...params) as never[];
    const runner = { all: rows, count: (sql: string, params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n };
    const toUser = (row: { id: string }) => row.id;
    for (let i = 0; i < 600; i++) {
      const cursor = rnd() < 0.5 ? { direction: pick(['after', 'before'] as const), userId: pick(all).id } : undefined;
      const query = userQuery({
        filters: Array.from({ length: Math.floor(rnd() * 3) }, () => pick(filters)),
        orders: pick(orders),
        limit: pick([1, 3, 10, 25]),
        offset: pick([0, 0, 1, 4, 30]),
        ...(cursor ? { cursor } : {}),
        ...(rnd() < 0.2 ? { search: pick(['ann', 'ann user1', 'user', '"ann user1"']) } : {}),
      });
      const plan = planUserList(P, query, cursor ? cursorRow(cursor.userId) : null);
      const label = JSON.stringify(query);
      const reference = referenceListUsers(all, query);
      const want = reference.items.map((u) => u.id);
      const dense = runPlannedList(runner, { ...plan, sparseBelow: 0 }, toUser);
      expect([label, dense.items, dense.total]).toEqual([label, want, reference.total]);
      if (plan.sparse) expect([label, runPlannedList(runner, { ...plan, sparseBelow: Infinity }, toUser).items]).toEqual([label, want]);
    }
  });
});
