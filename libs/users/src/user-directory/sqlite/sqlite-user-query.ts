import { AttributeType, LIST_TOTAL_CAP, UserAttribute, UserFilter, UserListQuery } from '@lib/appwrite';
import { isIndexableWord, planSearch, prefixUpperBound } from '../search-plan';

type SqlValue = string | number;

interface ColumnInfo {
  /** The column comparisons and sorting use (the lower-cased shadow for strings). */
  column: string;
  type: AttributeType;
  nullable: boolean;
}

export const USER_COLUMNS: Record<UserAttribute, ColumnInfo> = {
  $id: { column: 'id_lc', type: 'string', nullable: false },
  $createdAt: { column: 'created_at', type: 'datetime', nullable: false },
  $updatedAt: { column: 'updated_at', type: 'datetime', nullable: false },
  name: { column: 'name_lc', type: 'string', nullable: false },
  email: { column: 'email_lc', type: 'string', nullable: true },
  phone: { column: 'phone_lc', type: 'string', nullable: true },
  status: { column: 'status', type: 'boolean', nullable: false },
  emailVerification: { column: 'email_verification', type: 'boolean', nullable: false },
  phoneVerification: { column: 'phone_verification', type: 'boolean', nullable: false },
  passwordUpdate: { column: 'password_update', type: 'datetime', nullable: true },
  registration: { column: 'registration', type: 'datetime', nullable: false },
};

const SEQUENCE: SortKey = { column: 'sequence', desc: false, nullable: false };

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

/** The cursor user's row, as selected from `users` (only the sort columns are read). */
export type CursorRow = object;

export interface CompiledUserList {
  /** `SELECT count(*) AS n` over the matches, stopped at the cap. */
  count: { sql: string; params: SqlValue[] };
  /** The page; null when the limit is 0. */
  page: { sql: string; params: SqlValue[] } | null;
  /** cursorBefore walks the order backwards from the cursor; the page must be reversed back. */
  reverse: boolean;
}

/**
 * Compiles a validated List Users query. Every operand is a bound parameter; the SQL text only
 * varies with the query's shape, so the prepared statements can be cached by text.
 *
 * Search uses the `user_search_words` side table (one row per distinct word of a user's
 * search string, keyed by project and word) rather than FTS5: FTS5 tokenizers are C code
 * (unicode61 folds case and diacritics with its own tables), so its notion of a word would
 * differ from `searchableWords`, which the MongoDB adapter indexes too; a custom tokenizer
 * cannot be written in JS with better-sqlite3. The side table gives the same index lookups
 * (equality for whole words, a range for the prefix word) with our own tokenizer, and the
 * phrase check runs on `search_text`, the words joined by single spaces.
 */
export function compileUserList(projectId: string, query: UserListQuery, cursor: CursorRow | null): CompiledUserList {
  const params: SqlValue[] = [projectId];
  // With a search, the word lookups already confine the rows to the project and are far more
  // selective than the project: the unary + keeps SQLite (which has no statistics here) from
  // walking the whole project through an index and probing the word list for every user, so a
  // search costs O(matching users) instead of O(project size).
  const where = [query.search !== undefined ? '+u.project_id = ?' : 'u.project_id = ?'];
  for (const filter of query.filters) where.push(compileFilter(filter, params));
  if (query.search !== undefined) where.push(compileSearch(query.search, projectId, params));

  const count = {
    sql: `SELECT count(*) AS n FROM (SELECT 1 FROM users u WHERE ${where.join(' AND ')} LIMIT ${LIST_TOTAL_CAP})`,
    params: [...params],
  };
  if (query.limit <= 0) return { count, page: null, reverse: false };

  const reverse = cursor !== null && query.cursor?.direction === 'before';
  const keys = sortKeys(query).map((k) => (reverse ? { ...k, desc: !k.desc } : k));
  const pageParams = [...params];
  const pageWhere = [...where];
  if (cursor !== null) pageWhere.push(strictlyAfter(keys, cursor, pageParams));
  pageParams.push(clampInt(query.limit), clampInt(query.offset));
  const orderBy = keys.map((k) => `u.${k.column}${k.desc ? ' DESC' : ''}`).join(', ');
  return {
    count,
    page: {
      sql: `SELECT u.* FROM users u WHERE ${pageWhere.join(' AND ')} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
      params: pageParams,
    },
    reverse,
  };
}

/** The requested orders, then insertion order ascending as the tie-breaker that makes the order total. */
function sortKeys(query: UserListQuery): SortKey[] {
  const keys: SortKey[] = [];
  for (const order of query.orders) {
    const desc = order.direction === 'desc';
    // Sequences are unique, so nothing after an insertion-order key can change the order.
    if (order.attribute === null) return [...keys, { ...SEQUENCE, desc }];
    const info = USER_COLUMNS[order.attribute];
    keys.push({ column: info.column, desc, nullable: info.nullable });
  }
  return [...keys, SEQUENCE];
}

/**
 * Keyset condition "row comes strictly after the cursor row in this order":
 * k1 > c1 OR (k1 = c1 AND k2 > c2) OR ..., where "after" and "equal" follow the null
 * placement of each key. The cursor's values are known here, so null cases are resolved now.
 */
function strictlyAfter(keys: SortKey[], cursor: CursorRow, params: SqlValue[]): string {
  const alternatives: string[] = [];
  const equalSoFar: string[] = [];
  const equalParams: SqlValue[] = [];
  for (const key of keys) {
    const c = (cursor as Record<string, unknown>)[key.column] as SqlValue | null | undefined;
    const col = `u.${key.column}`;
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

const COMPARISON_SQL: Record<string, string> = {
  notEqual: '<>',
  lessThan: '<',
  lessThanEqual: '<=',
  greaterThan: '>',
  greaterThanEqual: '>=',
};

/**
 * SQL's three-valued logic gives the null rule of queries.md §5 for free: a comparison with a
 * NULL column is unknown, never true, and since no NOT is ever generated an unknown can never
 * turn into a match inside and/or either.
 */
function compileFilter(filter: UserFilter, params: SqlValue[]): string {
  switch (filter.method) {
    case 'and':
    case 'or': {
      if (filter.queries.length === 0) return filter.method === 'and' ? '1' : '0';
      const parts = filter.queries.map((q) => compileFilter(q, params));
      return `(${parts.join(filter.method === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'isNull':
      return `u.${USER_COLUMNS[filter.attribute].column} IS NULL`;
    case 'isNotNull':
      return `u.${USER_COLUMNS[filter.attribute].column} IS NOT NULL`;
    case 'between': {
      const info = USER_COLUMNS[filter.attribute];
      params.push(toSql(info.type, filter.values[0]), toSql(info.type, filter.values[1]));
      return `u.${info.column} BETWEEN ? AND ?`;
    }
    case 'equal': {
      const info = USER_COLUMNS[filter.attribute];
      if (filter.values.length === 0) return '0';
      for (const v of filter.values) params.push(toSql(info.type, v));
      return `u.${info.column} IN (${filter.values.map(() => '?').join(', ')})`;
    }
    case 'startsWith': {
      // A prefix is exactly a range in code-point order (BINARY collation on UTF-8 text), which
      // an index can seek, and which has no wildcards to escape.
      const info = USER_COLUMNS[filter.attribute];
      return anyOf(
        filter.values.map((v) => {
          const prefix = String(toSql(info.type, v));
          const upper = prefixUpperBound(prefix);
          if (upper !== null) {
            params.push(prefix, upper);
            return `(u.${info.column} >= ? AND u.${info.column} < ?)`;
          }
          if (prefix === '') return `u.${info.column} IS NOT NULL`;
          params.push(`${escapeLike(prefix)}%`);
          return `u.${info.column} LIKE ? ESCAPE '\\'`;
        }),
      );
    }
    case 'endsWith':
    case 'contains': {
      const info = USER_COLUMNS[filter.attribute];
      const method = filter.method;
      return anyOf(
        filter.values.map((v) => {
          const literal = escapeLike(String(toSql(info.type, v)));
          params.push(method === 'endsWith' ? `%${literal}` : `%${literal}%`);
          // Both sides are lower-cased already, so LIKE's ASCII case folding changes nothing.
          return `u.${info.column} LIKE ? ESCAPE '\\'`;
        }),
      );
    }
    default: {
      const info = USER_COLUMNS[filter.attribute];
      const op = COMPARISON_SQL[filter.method];
      // Appwrite ORs the values of every comparison, notEqual included.
      return anyOf(
        filter.values.map((v) => {
          params.push(toSql(info.type, v));
          return `u.${info.column} ${op} ?`;
        }),
      );
    }
  }
}

function anyOf(conditions: string[]): string {
  if (conditions.length === 0) return '0';
  return conditions.length === 1 ? conditions[0] : `(${conditions.join(' OR ')})`;
}

function compileSearch(term: string, projectId: string, params: SqlValue[]): string {
  const plan = planSearch(term);
  switch (plan.mode) {
    case 'none':
      return '0';
    case 'any': {
      // One index seek per part; an OR inside a single WHERE would make SQLite scan the project's words.
      const parts: string[] = [];
      if (plan.words.length > 0) {
        parts.push(`SELECT w.rid FROM user_search_words w WHERE w.project_id = ? AND w.word IN (${plan.words.map(() => '?').join(', ')})`);
        params.push(projectId, ...plan.words);
      }
      if (plan.prefix !== null) {
        // Words are letters, marks, digits and _, never U+10FFFF, so the bound always exists.
        parts.push('SELECT w.rid FROM user_search_words w WHERE w.project_id = ? AND w.word >= ? AND w.word < ?');
        params.push(projectId, plan.prefix, prefixUpperBound(plan.prefix) ?? `${plan.prefix}\u{10FFFF}`);
      }
      return `u.rid IN (${parts.join(' UNION ALL ')})`;
    }
    case 'phrase': {
      // The longest indexable word is the likeliest to be rare: look it up, then check adjacency.
      const anchor = plan.words.filter(isIndexableWord).sort((a, b) => b.length - a.length)[0];
      params.push(projectId, anchor, ` ${plan.words.join(' ')} `);
      return (
        `u.rid IN (SELECT w.rid FROM user_search_words w WHERE w.project_id = ? AND w.word = ?) ` +
        `AND instr(' ' || u.search_text || ' ', ?) > 0`
      );
    }
  }
}

function toSql(type: AttributeType, value: string | boolean): SqlValue {
  if (type === 'boolean') return value === true ? 1 : 0;
  if (type === 'string') return String(value).toLowerCase();
  return String(value);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** SQLite wants integers for LIMIT/OFFSET; beyond 2^53 a JS number would bind as a float. */
function clampInt(n: number): number {
  return Math.max(0, Math.min(Math.floor(n), Number.MAX_SAFE_INTEGER));
}
