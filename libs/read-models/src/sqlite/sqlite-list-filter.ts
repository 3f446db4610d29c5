import type { CollectionAttributeType, CollectionFilter, QueryValue } from '@lib/appwrite';
import { prefixUpperBound } from '../prefix-upper-bound';
import { REGEX_FUNCTION } from './sqlite-regex';

/*
 * One validated filter as a SQL condition over the table aliased `alias`, its operands pushed
 * onto `params` (the SQL text only varies with the query's shape). Strings compare through
 * lower-cased shadow columns, so values are lower-cased here; array elements compare exactly.
 *
 * SQL's three-valued logic gives the null rule of queries.md §5 for free: a comparison with a
 * NULL column is unknown, never true, and NOT of an unknown is unknown too, so a negated method
 * (notContains, notBetween...) never matches a null either -- as in Appwrite's MariaDB.
 */

export type SqlValue = string | number;

export interface SqlColumn {
  /** The column comparisons and sorting use (the lower-cased shadow for strings; for an array, its JSON text, which only sorts). */
  column: string;
  type: CollectionAttributeType;
  nullable: boolean;
  /** An array attribute's side table: one row per distinct element, `(value column, rid)`, rid being the row's. */
  elements?: { table: string; column: string };
}

const COMPARISON_SQL: Record<string, string> = { notEqual: '<>', lessThan: '<', lessThanEqual: '<=', greaterThan: '>', greaterThanEqual: '>=' };

/**
 * How an array filter reaches its side table: `list` gathers the matching rows once (a good
 * driver when few rows match), `probe` looks the row's own elements up (for a walk of another
 * index, where gathering every match first would cost as much as all of them).
 */
export type ArrayFilterMode = 'list' | 'probe';

/**
 * Appended to every correlated EXISTS: SQLite 3.51 turns a plain `EXISTS (SELECT …)` into a
 * semi-join ("SEARCH … EXISTS" in the plan), and then counts OFFSET wrongly when the outer rows
 * are sorted (24 of 25 offsets off in sqlite-list-plan's reproduction, a labels filter with two
 * values ordered by $updatedAt). A LIMIT keeps it a correlated subquery.
 */
export const EXISTS_AS_SUBQUERY = 'LIMIT 1';

export function compileSqlFilter<A extends string>(alias: string, columns: Readonly<Record<A, SqlColumn>>, any: CollectionFilter<A>, params: SqlValue[], mode: ArrayFilterMode = 'list'): string {
  if (any.method === 'and' || any.method === 'or') {
    const logical = any as Extract<CollectionFilter<A>, { queries: unknown }>;
    if (logical.queries.length === 0) return logical.method === 'and' ? '1' : '0';
    return `(${logical.queries.map((q) => compileSqlFilter(alias, columns, q, params, mode)).join(logical.method === 'and' ? ' AND ' : ' OR ')})`;
  }
  const filter = any as Exclude<CollectionFilter<A>, { queries: unknown }>;
  const info = columns[filter.attribute];
  if (info.elements) return compileArrayFilter(alias, info.elements, filter, params, mode);
  const col = `${alias}.${info.column}`;
  const values = () => (filter as { values: QueryValue[] }).values.map((v) => toSql(info.type, v));
  switch (filter.method) {
    case 'isNull':
      return `${col} IS NULL`;
    case 'isNotNull':
      return `${col} IS NOT NULL`;
    case 'between':
    case 'notBetween':
      params.push(...values());
      return `${col} ${filter.method === 'notBetween' ? 'NOT BETWEEN' : 'BETWEEN'} ? AND ?`;
    case 'equal': {
      const vs = values();
      if (vs.length === 0) return '0';
      params.push(...vs);
      return `${col} IN (${vs.map(() => '?').join(', ')})`;
    }
    case 'startsWith':
      return anyOf(values().map((v) => prefixCondition(col, String(v), params)));
    case 'notStartsWith':
      return allOf(values().map((v) => (info.type === 'boolean' ? bind(params, v, `${col} <> ?`) : notPrefixCondition(col, String(v), params))));
    case 'endsWith':
    case 'contains':
    case 'containsAny':
      return anyOf(values().map((v) => like(col, filter.method === 'endsWith' ? `%${escapeLike(String(v))}` : `%${escapeLike(String(v))}%`, params)));
    case 'containsAll':
      return allOf(values().map((v) => like(col, `%${escapeLike(String(v))}%`, params)));
    case 'notEndsWith':
    case 'notContains':
      return allOf(values().map((v) => like(col, filter.method === 'notEndsWith' ? `%${escapeLike(String(v))}` : `%${escapeLike(String(v))}%`, params, 'NOT LIKE')));
    case 'regex':
      // Matched by the linear-time matcher of sqlite-regex.ts against the lower-cased shadow.
      params.push(String(filter.values[0]));
      return `${REGEX_FUNCTION}(?, ${col})`;
    default: {
      const op = COMPARISON_SQL[filter.method];
      if (op === undefined) throw new Error(`No SQL for the ${filter.method} filter`);
      // Appwrite ORs the values of every comparison, notEqual included.
      return anyOf(values().map((v) => bind(params, v, `${col} ${op} ?`)));
    }
  }
}

/**
 * The row ids a condition gathers (`rows`: a SELECT of `rid`, with duplicates, taking `params`)
 * and the check each gathered row must pass besides, if any: what a count can be driven by, one
 * id at a time, where `rid IN (…)` gathers every id before the first is counted.
 */
export interface SqlGatheredRows {
  rows: string;
  params: SqlValue[];
  check: { sql: string; params: SqlValue[] } | null;
}

/**
 * An array filter that finds rows (contains, containsAny, containsAll) as the ids it gathers;
 * null for any other. "Has all of" gathers the first value's rows and checks the rest on each,
 * as grouping the rows of several values by id would gather them all before the first counts.
 */
export function gatherSqlArrayFilter<A extends string>(alias: string, columns: Readonly<Record<A, SqlColumn>>, any: CollectionFilter<A>): SqlGatheredRows | null {
  if (any.method !== 'contains' && any.method !== 'containsAny' && any.method !== 'containsAll') return null;
  const filter = any as Exclude<CollectionFilter<A>, { queries: unknown }>;
  const elements = columns[filter.attribute].elements;
  const values = [...new Set((filter as { values: QueryValue[] }).values.map(String))];
  if (!elements || values.length === 0) return null;
  if (filter.method !== 'containsAll' || values.length === 1) return { rows: elementRows(elements, values.length), params: values, check: null };
  const checkParams: SqlValue[] = [];
  const check = compileArrayFilter(alias, elements, { ...filter, values: values.slice(1) } as typeof filter, checkParams, 'probe');
  return { rows: elementRows(elements, 1), params: [values[0]], check: { sql: check, params: checkParams } };
}

/** The ids of the rows holding any of `count` elements (bound as parameters), with duplicates. */
const elementRows = (elements: { table: string; column: string }, count: number): string =>
  `SELECT e.rid FROM ${elements.table} e WHERE e.${elements.column} IN (${Array(count).fill('?').join(', ')})`;

/**
 * An array attribute through its side table: "has any of" is a lookup of the elements' rows, "has
 * all of" the rows found once per value, "has none of" the complement. An array is never null
 * (an empty one is `[]`), so isNull never matches and isNotNull always does.
 */
function compileArrayFilter(alias: string, elements: { table: string; column: string }, filter: Exclude<CollectionFilter, { queries: unknown }>, params: SqlValue[], mode: ArrayFilterMode): string {
  if (filter.method === 'isNull') return '0';
  if (filter.method === 'isNotNull') return '1';
  const values = [...new Set((filter as { values: QueryValue[] }).values.map(String))];
  if (values.length === 0) return filter.method === 'notContains' ? '1' : '0';
  params.push(...values);
  const rows = elementRows(elements, values.length);
  if (mode === 'probe') {
    const own = `FROM ${elements.table} e WHERE e.${elements.column} IN (${values.map(() => '?').join(', ')}) AND e.rid = ${alias}.rid`;
    switch (filter.method) {
      case 'contains':
      case 'containsAny':
        return `EXISTS (SELECT 1 ${own} ${EXISTS_AS_SUBQUERY})`;
      case 'containsAll':
        params.push(values.length);
        return `(SELECT count(*) ${own}) = ?`;
      case 'notContains':
        return `NOT EXISTS (SELECT 1 ${own} ${EXISTS_AS_SUBQUERY})`;
      default:
        throw new Error(`No SQL for ${filter.method} on an array`);
    }
  }
  switch (filter.method) {
    case 'contains':
    case 'containsAny':
      return `${alias}.rid IN (${rows})`;
    case 'containsAll':
      params.push(values.length);
      return `${alias}.rid IN (${rows} GROUP BY e.rid HAVING count(*) = ?)`;
    case 'notContains':
      return `${alias}.rid NOT IN (${rows})`;
    default:
      throw new Error(`No SQL for ${filter.method} on an array`);
  }
}

/** A prefix is exactly a range in code-point order (BINARY collation on UTF-8), which an index can seek, with no wildcard to escape. */
function prefixCondition(col: string, prefix: string, params: SqlValue[]): string {
  const upper = prefixUpperBound(prefix);
  if (upper !== null) {
    params.push(prefix, upper);
    return `(${col} >= ? AND ${col} < ?)`;
  }
  if (prefix === '') return `${col} IS NOT NULL`;
  return like(col, `${escapeLike(prefix)}%`, params);
}

/** Outside that range (a null is in no range, so it stays out: unknown OR unknown). */
function notPrefixCondition(col: string, prefix: string, params: SqlValue[]): string {
  const upper = prefixUpperBound(prefix);
  if (upper !== null) {
    params.push(prefix, upper);
    return `(${col} < ? OR ${col} >= ?)`;
  }
  // Every value starts with "".
  if (prefix === '') return '0';
  return like(col, `${escapeLike(prefix)}%`, params, 'NOT LIKE');
}

/** Both sides are lower-cased already, so LIKE's ASCII case folding changes nothing. */
function like(col: string, pattern: string, params: SqlValue[], op: 'LIKE' | 'NOT LIKE' = 'LIKE'): string {
  params.push(pattern);
  return `${col} ${op} ? ESCAPE '\\'`;
}

function bind(params: SqlValue[], value: SqlValue, condition: string): string {
  params.push(value);
  return condition;
}

function anyOf(conditions: string[]): string {
  if (conditions.length === 0) return '0';
  return conditions.length === 1 ? conditions[0] : `(${conditions.join(' OR ')})`;
}

function allOf(conditions: string[]): string {
  if (conditions.length === 0) return '1';
  return conditions.length === 1 ? conditions[0] : `(${conditions.join(' AND ')})`;
}

export function toSql(type: CollectionAttributeType, value: QueryValue): SqlValue {
  if (type === 'boolean') return value === true ? 1 : 0;
  if (type === 'integer') return Number(value);
  if (type === 'string') return String(value).toLowerCase();
  return String(value);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
