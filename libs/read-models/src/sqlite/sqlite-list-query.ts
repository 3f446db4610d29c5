import type { CollectionAttributeType, CollectionFilter, CollectionListQuery, QueryValue } from '@lib/appwrite';
import { LIST_TOTAL_CAP } from '@lib/appwrite';
import { prefixUpperBound } from '../prefix-upper-bound';

/*
 * A validated list query (List Users, Teams, Memberships) as SQL over one table: string
 * attributes compare through lower-cased `*_lc` shadow columns, every order ends in `sequence`
 * (the creating event's sort key), cursors are keyset conditions. Every operand is a bound
 * parameter; the SQL text only varies with the query's shape, so the prepared statements can
 * be cached by text. The search parameter is the read model's own (a condition it compiles).
 */

export type SqlValue = string | number;

export interface SqlColumn {
  /** The column comparisons and sorting use (the lower-cased shadow for strings). */
  column: string;
  type: CollectionAttributeType;
  nullable: boolean;
}

export interface SqlListTable<A extends string> {
  table: string;
  /** The table's alias in the compiled SQL (`t.column`). */
  alias: string;
  columns: Readonly<Record<A, SqlColumn>>;
}

/** What the compiler reads of a validated list query (the cursor's id is the caller's). */
export type SqlListQuery<A extends string> = Pick<CollectionListQuery<A>, 'filters' | 'orders' | 'limit' | 'offset' | 'search'> & {
  cursor?: { direction: 'after' | 'before' };
};

/** The search parameter as a condition, its operands pushed onto `params`. */
export type SqlSearchCompiler = (term: string, params: SqlValue[]) => string;

export interface CompiledSqlList {
  /** `SELECT count(*) AS n` over the matches, stopped at the cap. */
  count: { sql: string; params: SqlValue[] };
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
interface SortKey {
  column: string;
  desc: boolean;
  nullable: boolean;
}

const SEQUENCE: SortKey = { column: 'sequence', desc: false, nullable: false };

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
  const params: SqlValue[] = [...scope.params];
  const where = [...scope.where];
  for (const filter of query.filters) where.push(compileFilter(spec, filter, params));
  if (query.search !== undefined) {
    if (search === undefined) throw new Error(`${spec.table} has no search`);
    where.push(search(query.search, params));
  }
  const from = `FROM ${spec.table} ${spec.alias}`;
  const count = { sql: `SELECT count(*) AS n FROM (SELECT 1 ${from} WHERE ${where.join(' AND ')} LIMIT ${LIST_TOTAL_CAP})`, params: [...params] };
  if (query.limit <= 0) return { count, page: null, reverse: false };

  const reverse = cursor !== null && query.cursor?.direction === 'before';
  const keys = sortKeys(spec, query).map((k) => (reverse ? { ...k, desc: !k.desc } : k));
  const pageParams = [...params];
  const pageWhere = [...where];
  if (cursor !== null) pageWhere.push(strictlyAfter(spec.alias, keys, cursor as Record<string, unknown>, pageParams));
  pageParams.push(clampSqlInt(query.limit), clampSqlInt(query.offset));
  const orderBy = keys.map((k) => `${spec.alias}.${k.column}${k.desc ? ' DESC' : ''}`).join(', ');
  return {
    count,
    page: { sql: `SELECT ${spec.alias}.* ${from} WHERE ${pageWhere.join(' AND ')} ORDER BY ${orderBy} LIMIT ? OFFSET ?`, params: pageParams },
    reverse,
  };
}

/** The requested orders, then insertion order ascending as the tie-breaker that makes the order total. */
function sortKeys<A extends string>(spec: SqlListTable<A>, query: Pick<SqlListQuery<A>, 'orders'>): SortKey[] {
  const keys: SortKey[] = [];
  for (const order of query.orders) {
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
function strictlyAfter(alias: string, keys: SortKey[], cursor: Record<string, unknown>, params: SqlValue[]): string {
  const alternatives: string[] = [];
  const equalSoFar: string[] = [];
  const equalParams: SqlValue[] = [];
  for (const key of keys) {
    const c = cursor[key.column] as SqlValue | null | undefined;
    const col = `${alias}.${key.column}`;
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

const COMPARISON_SQL: Record<string, string> = { notEqual: '<>', lessThan: '<', lessThanEqual: '<=', greaterThan: '>', greaterThanEqual: '>=' };

/**
 * SQL's three-valued logic gives the null rule of queries.md §5 for free: a comparison with a
 * NULL column is unknown, never true, and since no NOT is ever generated an unknown can never
 * turn into a match inside and/or either.
 */
function compileFilter<A extends string>(spec: SqlListTable<A>, any: CollectionFilter<A>, params: SqlValue[]): string {
  if (any.method === 'and' || any.method === 'or') {
    const logical = any as Extract<CollectionFilter<A>, { queries: unknown }>;
    if (logical.queries.length === 0) return logical.method === 'and' ? '1' : '0';
    return `(${logical.queries.map((q) => compileFilter(spec, q, params)).join(logical.method === 'and' ? ' AND ' : ' OR ')})`;
  }
  const filter = any as Exclude<CollectionFilter<A>, { queries: unknown }>;
  const info = spec.columns[filter.attribute];
  const col = `${spec.alias}.${info.column}`;
  switch (filter.method) {
    case 'isNull':
      return `${col} IS NULL`;
    case 'isNotNull':
      return `${col} IS NOT NULL`;
    case 'between':
      params.push(toSql(info.type, filter.values[0]), toSql(info.type, filter.values[1]));
      return `${col} BETWEEN ? AND ?`;
    case 'equal':
      if (filter.values.length === 0) return '0';
      for (const v of filter.values) params.push(toSql(info.type, v));
      return `${col} IN (${filter.values.map(() => '?').join(', ')})`;
    case 'startsWith':
      // A prefix is exactly a range in code-point order (BINARY collation on UTF-8 text), which
      // an index can seek, and which has no wildcards to escape.
      return anyOf(
        filter.values.map((v) => {
          const prefix = String(toSql(info.type, v));
          const upper = prefixUpperBound(prefix);
          if (upper !== null) {
            params.push(prefix, upper);
            return `(${col} >= ? AND ${col} < ?)`;
          }
          if (prefix === '') return `${col} IS NOT NULL`;
          params.push(`${escapeLike(prefix)}%`);
          return `${col} LIKE ? ESCAPE '\\'`;
        }),
      );
    case 'endsWith':
    case 'contains': {
      const method = filter.method;
      return anyOf(
        filter.values.map((v) => {
          const literal = escapeLike(String(toSql(info.type, v)));
          params.push(method === 'endsWith' ? `%${literal}` : `%${literal}%`);
          // Both sides are lower-cased already, so LIKE's ASCII case folding changes nothing.
          return `${col} LIKE ? ESCAPE '\\'`;
        }),
      );
    }
    default: {
      const op = COMPARISON_SQL[filter.method];
      // Appwrite ORs the values of every comparison, notEqual included.
      return anyOf(
        filter.values.map((v) => {
          params.push(toSql(info.type, v));
          return `${col} ${op} ?`;
        }),
      );
    }
  }
}

function anyOf(conditions: string[]): string {
  if (conditions.length === 0) return '0';
  return conditions.length === 1 ? conditions[0] : `(${conditions.join(' OR ')})`;
}

function toSql(type: CollectionAttributeType, value: QueryValue): SqlValue {
  if (type === 'boolean') return value === true ? 1 : 0;
  if (type === 'integer') return Number(value);
  if (type === 'string') return String(value).toLowerCase();
  return String(value);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** SQLite wants integers for LIMIT/OFFSET; beyond 2^53 a JS number would bind as a float. */
function clampSqlInt(n: number): number {
  return Math.max(0, Math.min(Math.floor(n), Number.MAX_SAFE_INTEGER));
}
