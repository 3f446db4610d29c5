import { LIST_TOTAL_CAP } from '@lib/appwrite';
import type { CollectionFilter } from '@lib/appwrite';
import type { ListResult } from '../read-model';
import { ArrayFilterMode, compileSqlFilter, gatherSqlArrayFilter, SqlGatheredRows, SqlValue } from './sqlite-list-filter';
import { clampSqlInt, SortKey, sortKeys, SqlListQuery, SqlListTable, strictlyAfter } from './sqlite-list-query';

/*
 * A list query as two candidate plans, for tables too large to leave the choice to SQLite
 * (which keeps no statistics here, and so cannot tell a filter matching three rows from one
 * matching most of them):
 *  - sparse: the filters' own indexes find the matches, which are then sorted. Used when the
 *    capped count (which the total needs anyway) is below the cap, so at most that many rows
 *    are ever sorted.
 *  - dense: a walk of the first order key's index (named with INDEXED BY, so the plan cannot
 *    drift), checking the filters row by row and stopping at the page's end. Many matches
 *    mean a short walk: with at least `cap` matches among N rows, about limit × N / cap rows.
 * A cursor becomes a seek: a bound on the first key next to the exact keyset condition.
 */

/** How the search parameter is compiled: `list` gathers the matching rows (a driver), `probe` checks one row (for a walk). */
export type SqlSearchMode = ArrayFilterMode;
export type PlannedSearchCompiler = (term: string, params: SqlValue[], mode: SqlSearchMode) => string;

export interface PlannedSearch {
  /** The search as a condition: `list` gathers the matching rows, `probe` checks one row (for a walk). */
  compile: PlannedSearchCompiler;
  /** The search as the rows it gathers (null: none can match), for a count they drive. */
  gather(term: string): SqlGatheredRows | null;
}

export interface SqlIndexedTable<A extends string> extends SqlListTable<A> {
  /** The column every query is confined by, first in every index (the project). */
  scope: string;
  /** On `(scope, tie-breaker)`: the walk of the insertion order. */
  scopeIndex: string;
  /**
   * Optional, on `(rowid, scope)`: tells a gathered row id's scope from the index alone. The
   * count of rows gathered by id (a labels filter, the search) otherwise reads every row it
   * counts, up to the cap, only to compare its scope.
   */
  rowScopeIndex?: string;
  /**
   * Per sort column: `asc` on `(scope, column, tie-breaker)`, `desc` on `(scope, column DESC,
   * tie-breaker)` where runs of equal values can be long (descending orders keep the ascending
   * tie-breaker, so only that index walks them in order). Booleans need no `desc`: each value
   * is walked on its own (see segments).
   */
  indexes: Readonly<Record<string, { asc: string; desc?: string }>>;
}

export interface PlannedSqlList {
  /** The capped count, when the total or the choice of plan needs it. */
  count: { sql: string; params: SqlValue[] } | null;
  reportTotal: boolean;
  /** Taken when the count is below `sparseBelow`; its params end with LIMIT and OFFSET. */
  sparse: { sql: string; params: SqlValue[] } | null;
  sparseBelow: number;
  /** The walk, as consecutive parts of the order; each part's SQL takes LIMIT and OFFSET last, its `countSql` a LIMIT. */
  dense: Array<{ sql: string; countSql: string; params: SqlValue[] }>;
  limit: number;
  offset: number;
  /** cursorBefore walks backwards: the page is reversed back. */
  reverse: boolean;
}

/** Whether a filter can seek an index: on its column (`column`) or by gathering row ids (`rows`). */
function seeks<A extends string>(spec: SqlIndexedTable<A>, any: CollectionFilter<A>): 'column' | 'rows' | null {
  if (any.method === 'and' || any.method === 'or') return null;
  const filter = any as Exclude<CollectionFilter<A>, { queries: unknown }>;
  const info = spec.columns[filter.attribute];
  if (info.elements) return ['contains', 'containsAny', 'containsAll'].includes(filter.method) ? 'rows' : null;
  if (!spec.indexes[info.column]) return null;
  const values = (filter as { values?: unknown[] }).values ?? [];
  switch (filter.method) {
    case 'equal':
    case 'between':
      return 'column';
    case 'isNull':
      return info.nullable ? 'column' : null;
    // Several values are OR-ed: SQLite would walk the whole index range of the scope.
    case 'lessThan':
    case 'lessThanEqual':
    case 'greaterThan':
    case 'greaterThanEqual':
    case 'startsWith':
      return values.length === 1 ? 'column' : null;
    default:
      return null;
  }
}

/**
 * The capped count. Where gathered ids drive it (no column to seek: the search's words, a labels
 * filter), they are counted as they come, each once (DISTINCT), until the cap: `rid IN (…)`
 * would gather every id first, a cost that grows with the matches however few are counted (a
 * common word's prefix matching every user gathered 100,000 ids to count 5,000).
 */
function countSql(alias: string, table: string, counted: { where: string[]; params: SqlValue[] }, gathered: SqlGatheredRows | null, cap: number): { sql: string; params: SqlValue[] } {
  if (gathered === null) return { sql: `SELECT count(*) AS n FROM (SELECT 1 FROM ${table} WHERE ${counted.where.join(' AND ')} LIMIT ${cap})`, params: counted.params };
  const where = gathered.check ? [...counted.where, gathered.check.sql] : counted.where;
  return {
    sql: `SELECT count(*) AS n FROM (SELECT 1 FROM (SELECT DISTINCT rid FROM (${gathered.rows})) g JOIN ${table} ON ${alias}.rid = g.rid WHERE ${where.join(' AND ')} LIMIT ${cap})`,
    params: [...gathered.params, ...counted.params, ...(gathered.check?.params ?? [])],
  };
}

/** What drives a count by the ids it gathers: the search (`'search'`) or the filter at that index, in place of its condition. */
interface CountDriver {
  filter: number | 'search';
  gathered: SqlGatheredRows;
}

/**
 * Without a column to seek, the count is driven by gathered ids (see countSql): the search's
 * words, else the first array filter that finds rows (a labels filter), whose own lookup is
 * then the rows counted rather than a condition each counted row is checked against.
 */
function countDriver<A extends string>(spec: SqlIndexedTable<A>, query: SqlListQuery<A>, search?: PlannedSearch): CountDriver | null {
  if (query.search !== undefined) {
    const gathered = search!.gather(query.search);
    return gathered === null ? null : { filter: 'search', gathered };
  }
  for (const [i, filter] of query.filters.entries()) {
    const gathered = gatherSqlArrayFilter(spec.alias, spec.columns, filter);
    if (gathered !== null) return { filter: i, gathered };
  }
  return null;
}

export function planSqlList<A extends string>(
  spec: SqlIndexedTable<A>,
  scopeValue: SqlValue,
  query: SqlListQuery<A>,
  cursor: Record<string, unknown> | null,
  search?: PlannedSearch,
  cap = LIST_TOTAL_CAP,
): PlannedSqlList {
  if (query.cannotServe !== undefined) throw new Error(`A query no store can serve reached ${spec.table}: ${query.cannotServe}`);
  if (query.search !== undefined && search === undefined) throw new Error(`${spec.table} has no search`);
  const a = spec.alias;
  const kinds = query.filters.map((f) => seeks(spec, f));
  if (query.search !== undefined) kinds.push('rows');
  const byColumn = kinds.includes('column');
  const sparseUsable = byColumn || kinds.includes('rows');
  const conditions = (mode: SqlSearchMode, scope: string, driven: CountDriver | null = null) => {
    const params: SqlValue[] = [scopeValue];
    const where = [scope];
    query.filters.forEach((filter, i) => {
      if (driven?.filter !== i) where.push(compileSqlFilter(a, spec.columns, filter, params, mode));
    });
    if (query.search !== undefined && driven?.filter !== 'search') where.push(search!.compile(query.search, params, mode));
    return { where, params };
  };
  // Without a column to seek, gathered row ids drive; the unary + keeps SQLite from walking the
  // whole scope through an index instead and probing the ids row by row.
  const sparseScope = byColumn || !sparseUsable ? `${a}.${spec.scope} = ?` : `+${a}.${spec.scope} = ?`;
  const from = `FROM ${spec.table} ${a}`;
  const needCount = query.includeTotal !== false || (sparseUsable && query.limit > 0);
  const countTable = `${spec.table} ${a}${!byColumn && sparseUsable && spec.rowScopeIndex ? ` INDEXED BY ${spec.rowScopeIndex}` : ''}`;
  const driver = needCount && !byColumn ? countDriver(spec, query, search) : null;
  const count = needCount ? countSql(a, countTable, conditions('list', sparseScope, driver), driver?.gathered ?? null, cap) : null;
  const base = { count, reportTotal: query.includeTotal !== false, sparseBelow: cap, limit: clampSqlInt(query.limit), offset: clampSqlInt(query.offset) };
  if (query.limit <= 0) return { ...base, sparse: null, dense: [], reverse: false };

  const reverse = cursor !== null && query.cursor?.direction === 'before';
  const keys = sortKeys(spec, query).map((k) => (reverse ? { ...k, desc: !k.desc } : k));
  const orderBy = (plus: string) => keys.map((k) => `${k.expression ? k.column : `${plus}${a}.${k.column}`}${k.desc ? ' DESC' : ''}`).join(', ');

  let sparse: PlannedSqlList['sparse'] = null;
  // A filter on the first order key is served by that key's index, which is also the order: walk it.
  const firstKeyFiltered = query.filters.some((f) => 'attribute' in f && seeks(spec, f) === 'column' && spec.columns[f.attribute as A].column === keys[0].column);
  if (sparseUsable && !firstKeyFiltered && !keys[0].expression) {
    const s = conditions('list', sparseScope);
    if (cursor !== null) s.where.push(strictlyAfter(a, keys, cursor, s.params, true));
    // The unary + makes the order unservable by an index, so SQLite seeks the filters' instead.
    sparse = { sql: `SELECT ${a}.* ${from} WHERE ${s.where.join(' AND ')} ORDER BY ${orderBy('+')} LIMIT ? OFFSET ?`, params: s.params };
  }
  // A filter on the first key decides which of its null and non-null parts can match at all
  // (every method but isNull is unknown, never true, on a null): the other is not walked.
  const onFirstKey = query.filters.filter((f) => 'attribute' in f && spec.columns[f.attribute as A].column === keys[0].column).map((f) => f.method);
  const skip = { nulls: onFirstKey.some((m) => m !== 'isNull'), values: onFirstKey.includes('isNull') };
  const dense = segments(spec, keys, cursor, skip).map((segment) => {
    const d = conditions('probe', `${a}.${spec.scope} = ?`);
    d.where.push(...segment.where);
    d.params.push(...segment.params);
    const indexed = segment.index ? ` INDEXED BY ${segment.index}` : '';
    const body = `${from}${indexed} WHERE ${d.where.join(' AND ')}`;
    return { sql: `SELECT ${a}.* ${body} ORDER BY ${orderBy('')} LIMIT ? OFFSET ?`, countSql: `SELECT count(*) AS n FROM (SELECT 1 ${body} LIMIT ?)`, params: d.params };
  });
  return { ...base, sparse, dense, reverse };
}

interface Segment {
  index: string | null;
  where: string[];
  params: SqlValue[];
}

/**
 * The walk of the order as parts, each one index range walked in order. A boolean first key is
 * one part per value (its index holds each value's rows in insertion order, either direction);
 * a nullable one is its non-null part and its null run (which trails a descending order and
 * leads an ascending one, as SQLite places NULL). Parts before the cursor's are left out.
 */
function segments<A extends string>(spec: SqlIndexedTable<A>, keys: SortKey[], cursor: Record<string, unknown> | null, skip: { nulls: boolean; values: boolean }): Segment[] {
  const a = spec.alias;
  const k1 = keys[0];
  const tie = keys[keys.length - 1];
  const keyset = (where: string[], params: SqlValue[]) => {
    if (cursor !== null) where.push(strictlyAfter(a, keys, cursor, params));
  };
  if (k1.expression) {
    const s: Segment = { index: null, where: [], params: [] };
    keyset(s.where, s.params);
    return [s];
  }
  if (k1.column === tie.column) {
    const s: Segment = { index: spec.scopeIndex, where: [], params: [] };
    keyset(s.where, s.params);
    return [s];
  }
  const info = Object.values<SqlListTable<A>['columns'][A]>(spec.columns).find((c) => c.column === k1.column)!;
  const ix = spec.indexes[k1.column];
  const col = `${a}.${k1.column}`;
  const at = cursor === null ? undefined : (cursor[k1.column] as SqlValue | null | undefined) ?? null;
  // With k1 fixed, the next key orders the part: the tie-breaker runs along k1's own index, another key along its.
  const fixedIndex = keys.length === 2 ? ix?.asc ?? null : indexFor(spec, keys[1], tie);
  const fixed = (condition: string, params: SqlValue[], holdsCursor: boolean): Segment => {
    const s: Segment = { index: fixedIndex, where: [condition], params: [...params] };
    if (holdsCursor) keyset(s.where, s.params);
    return s;
  };
  const walk = (extra: string[], holdsCursor: boolean): Segment => {
    const s: Segment = { index: indexFor(spec, k1, tie), where: [...extra], params: [] };
    if (holdsCursor && at !== undefined && at !== null) {
      // The seek: every row after a non-null cursor is on this side of its value (the keyset refines it).
      s.where.push(`${col} ${k1.desc ? '<=' : '>='} ?`);
      s.params.push(at as SqlValue);
    }
    if (holdsCursor) keyset(s.where, s.params);
    return s;
  };
  if (info.type === 'boolean') {
    const values = k1.desc ? [1, 0] : [0, 1];
    const from = at === undefined ? 0 : values.indexOf(Number(at));
    return values.slice(Math.max(from, 0)).map((v, i) => fixed(`${col} = ?`, [v], at !== undefined && i === 0));
  }
  if (!info.nullable) return [walk([], true)];
  const nulls = (holdsCursor: boolean) => fixed(`${col} IS NULL`, [], holdsCursor);
  const values = (holdsCursor: boolean) => walk([`${col} IS NOT NULL`], holdsCursor);
  let parts: Array<[Segment, 'nulls' | 'values']>;
  if (at === undefined) parts = k1.desc ? [[values(false), 'values'], [nulls(false), 'nulls']] : [[nulls(false), 'nulls'], [values(false), 'values']];
  else if (at === null) parts = k1.desc ? [[nulls(true), 'nulls']] : [[nulls(true), 'nulls'], [values(false), 'values']];
  else parts = k1.desc ? [[values(true), 'values'], [nulls(false), 'nulls']] : [[values(true), 'values']];
  return parts.filter(([, kind]) => !skip[kind]).map(([segment]) => segment);
}

/** The index that walks `key` in order before `tie`: the ascending one when both go the same way, else the descending one if any. */
function indexFor<A extends string>(spec: SqlIndexedTable<A>, key: SortKey, tie: SortKey): string | null {
  if (key.column === tie.column) return spec.scopeIndex;
  const ix = spec.indexes[key.column];
  if (!ix) return null;
  return key.desc === tie.desc || !ix.desc ? ix.asc : ix.desc;
}

/** Runs a plan (inside a read transaction, so the count and the page share one snapshot). */
export function runPlannedList<Row, T>(run: { all(sql: string, params: SqlValue[]): Row[]; count(sql: string, params: SqlValue[]): number }, plan: PlannedSqlList, map: (row: Row) => T): ListResult<T> {
  const n = plan.count === null ? null : run.count(plan.count.sql, plan.count.params);
  const total = plan.reportTotal ? n ?? 0 : 0;
  if (plan.limit <= 0) return { total, items: [] };
  let rows: Row[];
  if (plan.sparse !== null && n !== null && n < plan.sparseBelow) {
    rows = run.all(plan.sparse.sql, [...plan.sparse.params, plan.limit, plan.offset]);
  } else {
    rows = [];
    let skip = plan.offset;
    for (const part of plan.dense) {
      const need = plan.limit - rows.length;
      if (need <= 0) break;
      const got = run.all(part.sql, [...part.params, need, skip]);
      rows.push(...got);
      // An empty part may still have held some of the offset's rows.
      if (got.length > 0) skip = 0;
      else if (skip > 0) skip -= run.count(part.countSql, [...part.params, skip]);
    }
  }
  if (plan.reverse) rows.reverse();
  return { total, items: rows.map(map) };
}
