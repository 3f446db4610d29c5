import type { CollectionListQuery } from '@lib/appwrite';
import { LIST_TOTAL_CAP } from '@lib/appwrite';
import { compileSqlFilter, SqlColumn, SqlValue } from './sqlite-list-filter';

export { compileSqlFilter, EXISTS_AS_SUBQUERY } from './sqlite-list-filter';
export type { ArrayFilterMode, SqlColumn, SqlGatheredRows, SqlValue } from './sqlite-list-filter';

/*
 * A validated list query (List Users, Teams, Memberships) as SQL over one table: string
 * attributes compare through lower-cased `*_lc` shadow columns (the filters: sqlite-list-filter.ts),
 * every order ends in `sequence` (the creating event's sort key), cursors are keyset conditions.
 * Every operand is a bound parameter; the SQL text only varies with the query's shape, so the
 * prepared statements can be cached by text. The search parameter is the read model's own (a
 * condition it compiles).
 */

export interface SqlListTable<A extends string> {
  table: string;
  /** The table's alias in the compiled SQL (`t.column`). */
  alias: string;
  columns: Readonly<Record<A, SqlColumn>>;
  /**
   * The column in insertion order that ends every order (default `sequence`). A table whose
   * rowid grows in that same order may name `rid`: SQLite keeps the rowid in every index, so its
   * indexes then need no tie-breaker column of their own.
   */
  tieBreaker?: string;
}

/** What the compiler reads of a validated list query (the cursor's id is the caller's). */
export type SqlListQuery<A extends string> = Pick<CollectionListQuery<A>, 'filters' | 'orders' | 'limit' | 'offset' | 'search' | 'includeTotal' | 'cannotServe'> & {
  cursor?: { direction: 'after' | 'before' };
};

/** The search parameter as a condition, its operands pushed onto `params`. */
export type SqlSearchCompiler = (term: string, params: SqlValue[]) => string;

export interface CompiledSqlList {
  /** `SELECT count(*) AS n` over the matches, stopped at the cap; null when the total is not asked for. */
  count: { sql: string; params: SqlValue[] } | null;
  /** The page; null when the limit is 0. */
  page: { sql: string; params: SqlValue[] } | null;
  /** cursorBefore walks the order backwards from the cursor; the page must be reversed back. */
  reverse: boolean;
}

/**
 * A sort key in SQLite's own NULL placement: NULL is the smallest value, so ascending keys put
 * nulls first and descending keys put them last -- exactly the rule of queries.md §5, in the
 * requested order and in its reverse, so no NULLS FIRST/LAST clause (which could keep SQLite
 * from walking an index) is ever needed.
 */
export interface SortKey {
  /** A column of the table, or (`expression`) an SQL expression such as random(). */
  column: string;
  desc: boolean;
  nullable: boolean;
  expression?: boolean;
}


/**
 * `scope`: conditions confining the rows (project first), e.g. `t.project_id = ?`; `cursor`: the
 * cursor's row (only the sort columns are read); `search`: compiles `query.search`, if any.
 */
export function compileSqlList<A extends string>(
  spec: SqlListTable<A>,
  scope: { where: string[]; params: SqlValue[] },
  query: SqlListQuery<A>,
  cursor: object | null,
  search?: SqlSearchCompiler,
): CompiledSqlList {
  // The handler answers these (assertServable); reaching a store would be a bug, not a query.
  if (query.cannotServe !== undefined) throw new Error(`A query no store can serve reached ${spec.table}: ${query.cannotServe}`);
  const params: SqlValue[] = [...scope.params];
  const where = [...scope.where];
  for (const filter of query.filters) where.push(compileSqlFilter(spec.alias, spec.columns, filter, params));
  if (query.search !== undefined) {
    if (search === undefined) throw new Error(`${spec.table} has no search`);
    where.push(search(query.search, params));
  }
  const from = `FROM ${spec.table} ${spec.alias}`;
  const count = query.includeTotal === false ? null : { sql: `SELECT count(*) AS n FROM (SELECT 1 ${from} WHERE ${where.join(' AND ')} LIMIT ${LIST_TOTAL_CAP})`, params: [...params] };
  if (query.limit <= 0) return { count, page: null, reverse: false };

  const reverse = cursor !== null && query.cursor?.direction === 'before';
  const keys = sortKeys(spec, query).map((k) => (reverse ? { ...k, desc: !k.desc } : k));
  const pageParams = [...params];
  const pageWhere = [...where];
  if (cursor !== null) pageWhere.push(strictlyAfter(spec.alias, keys, cursor as Record<string, unknown>, pageParams));
  pageParams.push(clampSqlInt(query.limit), clampSqlInt(query.offset));
  const orderBy = keys.map((k) => `${k.expression ? k.column : `${spec.alias}.${k.column}`}${k.desc ? ' DESC' : ''}`).join(', ');
  return {
    count,
    page: { sql: `SELECT ${spec.alias}.* ${from} WHERE ${pageWhere.join(' AND ')} ORDER BY ${orderBy} LIMIT ? OFFSET ?`, params: pageParams },
    reverse,
  };
}

/** The requested orders, then insertion order ascending as the tie-breaker that makes the order total. */
export function sortKeys<A extends string>(spec: SqlListTable<A>, query: Pick<SqlListQuery<A>, 'orders'>): SortKey[] {
  const SEQUENCE: SortKey = { column: spec.tieBreaker ?? 'sequence', desc: false, nullable: false };
  const keys: SortKey[] = [];
  for (const order of query.orders) {
    // A random key is drawn per row, so nothing after it can change the order either.
    if (order.direction === 'random') return [...keys, { column: 'random()', desc: false, nullable: false, expression: true }];
    const desc = order.direction === 'desc';
    // Sequences are unique, so nothing after an insertion-order key can change the order.
    if (order.attribute === null) return [...keys, { ...SEQUENCE, desc }];
    const info = spec.columns[order.attribute];
    keys.push({ column: info.column, desc, nullable: info.nullable });
  }
  return [...keys, SEQUENCE];
}

/**
 * Keyset condition "row comes strictly after the cursor row in this order":
 * k1 > c1 OR (k1 = c1 AND k2 > c2) OR ..., where "after" and "equal" follow the null
 * placement of each key. The cursor's values are known here, so null cases are resolved now.
 */
export function strictlyAfter(alias: string, keys: SortKey[], cursor: Record<string, unknown>, params: SqlValue[], unindexed = false): string {
  const alternatives: string[] = [];
  const equalSoFar: string[] = [];
  const equalParams: SqlValue[] = [];
  for (const key of keys) {
    // Validation refuses cursors with orderRandom (RANDOM_CURSOR_REFUSAL).
    if (key.expression) throw new Error(`No cursor condition on ${key.column}`);
    const c = cursor[key.column] as SqlValue | null | undefined;
    // Unindexed (a unary +): the condition only filters, it never drives (the sparse plan's filters must).
    const col = `${unindexed ? '+' : ''}${alias}.${key.column}`;
    let after: string | null;
    const afterParams: SqlValue[] = [];
    if (c === null || c === undefined) {
      // Nulls lead an ascending order and trail a descending one.
      after = key.desc ? null : `${col} IS NOT NULL`;
    } else if (key.desc) {
      after = key.nullable ? `(${col} < ? OR ${col} IS NULL)` : `${col} < ?`;
      afterParams.push(c);
    } else {
      after = `${col} > ?`;
      afterParams.push(c);
    }
    if (after !== null) {
      alternatives.push([...equalSoFar, after].join(' AND '));
      params.push(...equalParams, ...afterParams);
    }
    if (c === null || c === undefined) {
      equalSoFar.push(`${col} IS NULL`);
    } else {
      equalSoFar.push(`${col} = ?`);
      equalParams.push(c);
    }
  }
  return alternatives.length === 0 ? '0' : `(${alternatives.map((a) => `(${a})`).join(' OR ')})`;
}

/** SQLite wants integers for LIMIT/OFFSET; beyond 2^53 a JS number would bind as a float. */
export function clampSqlInt(n: number): number {
  return Math.max(0, Math.min(Math.floor(n), Number.MAX_SAFE_INTEGER));
}
