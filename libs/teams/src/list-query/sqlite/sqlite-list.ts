import { CollectionAttributeType, CollectionFilter, CollectionListQuery, LIST_TOTAL_CAP, QueryValue } from '@lib/appwrite';
import { isIndexableWord, planSearch, prefixUpperBound } from '@lib/users';

/*
 * A validated list query (teams, memberships) as SQL over one table aliased `t`, the way List
 * Users compiles (libs/users sqlite-user-query.ts): string attributes compare through lower-cased
 * `*_lc` shadow columns, every order ends in `sequence` (the creating event's sort key), cursors
 * are keyset conditions, and the search parameter looks words up in a side table
 * `(project_id, word, rid)`. Every operand is a bound parameter.
 */

export type SqlValue = string | number;

export interface SqlColumn {
  column: string;
  type: CollectionAttributeType;
  nullable: boolean;
}

export interface SqlListTable<A extends string> {
  table: string;
  /** The search-words side table. */
  words: string;
  columns: Readonly<Record<A, SqlColumn>>;
}

export interface CompiledSqlList {
  count: { sql: string; params: SqlValue[] };
  /** Null when the limit is 0. */
  page: { sql: string; params: SqlValue[] } | null;
  /** cursorBefore walks backwards from the cursor: reverse the page. */
  reverse: boolean;
}

interface SortKey {
  column: string;
  desc: boolean;
  nullable: boolean;
}

const SEQUENCE: SortKey = { column: 'sequence', desc: false, nullable: false };

/** `scope`: conditions confining the rows (project first), e.g. `t.project_id = ?`. */
export function compileSqlList<A extends string>(
  spec: SqlListTable<A>,
  projectId: string,
  scope: { where: string[]; params: SqlValue[] },
  query: CollectionListQuery<A>,
  cursor: Record<string, unknown> | null,
): CompiledSqlList {
  const params: SqlValue[] = [...scope.params];
  const where = [...scope.where];
  for (const filter of query.filters) where.push(compileFilter(spec, filter, params));
  if (query.search !== undefined) where.push(compileSearch(spec, query.search, projectId, params));
  const count = { sql: `SELECT count(*) AS n FROM (SELECT 1 FROM ${spec.table} t WHERE ${where.join(' AND ')} LIMIT ${LIST_TOTAL_CAP})`, params: [...params] };
  if (query.limit <= 0) return { count, page: null, reverse: false };

  const reverse = cursor !== null && query.cursor?.direction === 'before';
  const keys = sortKeys(spec, query).map((k) => (reverse ? { ...k, desc: !k.desc } : k));
  const pageParams = [...params];
  const pageWhere = [...where];
  if (cursor !== null) pageWhere.push(strictlyAfter(keys, cursor, pageParams));
  pageParams.push(clampInt(query.limit), clampInt(query.offset));
  const orderBy = keys.map((k) => `t.${k.column}${k.desc ? ' DESC' : ''}`).join(', ');
  return { count, page: { sql: `SELECT t.* FROM ${spec.table} t WHERE ${pageWhere.join(' AND ')} ORDER BY ${orderBy} LIMIT ? OFFSET ?`, params: pageParams }, reverse };
}

function sortKeys<A extends string>(spec: SqlListTable<A>, query: CollectionListQuery<A>): SortKey[] {
  const keys: SortKey[] = [];
  for (const order of query.orders) {
    const desc = order.direction === 'desc';
    if (order.attribute === null) return [...keys, { ...SEQUENCE, desc }];
    const info = spec.columns[order.attribute];
    keys.push({ column: info.column, desc, nullable: info.nullable });
  }
  return [...keys, SEQUENCE];
}

/** "Strictly after the cursor row in this order", nulls first ascending and last descending (SQLite's own placement). */
function strictlyAfter(keys: SortKey[], cursor: Record<string, unknown>, params: SqlValue[]): string {
  const alternatives: string[] = [];
  const equalSoFar: string[] = [];
  const equalParams: SqlValue[] = [];
  for (const key of keys) {
    const c = cursor[key.column] as SqlValue | null | undefined;
    const col = `t.${key.column}`;
    let after: string | null;
    const afterParams: SqlValue[] = [];
    if (c === null || c === undefined) {
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

/** SQL's three-valued logic keeps nulls out of every comparison (queries.md §5). */
function compileFilter<A extends string>(spec: SqlListTable<A>, any: CollectionFilter<A>, params: SqlValue[]): string {
  if (any.method === 'and' || any.method === 'or') {
    const logical = any as Extract<CollectionFilter<A>, { queries: unknown }>;
    if (logical.queries.length === 0) return logical.method === 'and' ? '1' : '0';
    return `(${logical.queries.map((q) => compileFilter(spec, q, params)).join(logical.method === 'and' ? ' AND ' : ' OR ')})`;
  }
  const filter = any as Exclude<CollectionFilter<A>, { queries: unknown }>;
  const info = spec.columns[filter.attribute];
  const col = `t.${info.column}`;
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
          return `${col} LIKE ? ESCAPE '\\'`;
        }),
      );
    }
    default: {
      const op = COMPARISON_SQL[filter.method];
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

function compileSearch<A extends string>(spec: SqlListTable<A>, term: string, projectId: string, params: SqlValue[]): string {
  const plan = planSearch(term);
  switch (plan.mode) {
    case 'none':
      return '0';
    case 'any': {
      const parts: string[] = [];
      if (plan.words.length > 0) {
        parts.push(`SELECT w.rid FROM ${spec.words} w WHERE w.project_id = ? AND w.word IN (${plan.words.map(() => '?').join(', ')})`);
        params.push(projectId, ...plan.words);
      }
      if (plan.prefix !== null) {
        parts.push(`SELECT w.rid FROM ${spec.words} w WHERE w.project_id = ? AND w.word >= ? AND w.word < ?`);
        params.push(projectId, plan.prefix, prefixUpperBound(plan.prefix) ?? `${plan.prefix}\u{10FFFF}`);
      }
      return `t.rid IN (${parts.join(' UNION ALL ')})`;
    }
    case 'phrase': {
      const anchor = plan.words.filter(isIndexableWord).sort((a, b) => b.length - a.length)[0];
      params.push(projectId, anchor, ` ${plan.words.join(' ')} `);
      return `t.rid IN (SELECT w.rid FROM ${spec.words} w WHERE w.project_id = ? AND w.word = ?) AND instr(' ' || t.search_text || ' ', ?) > 0`;
    }
  }
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

function clampInt(n: number): number {
  return Math.max(0, Math.min(Math.floor(n), Number.MAX_SAFE_INTEGER));
}
