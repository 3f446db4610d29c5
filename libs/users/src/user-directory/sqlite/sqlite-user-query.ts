import type { UserAttribute, UserListQuery } from '@lib/appwrite';
import { CompiledSqlList, compileSqlList, PlannedSqlList, planSqlList, SqlColumn, SqlGatheredRows, SqlIndexedTable, SqlSearchMode, SqlValue } from '@lib/read-models';
import { isIndexableWord, planSearch, prefixUpperBound, type SearchPlan } from '../search-plan';

/*
 * List Users in SQLite: the users table for the shared list compiler (libs/read-models
 * sqlite-list-query.ts), and the search parameter over the search-words side table.
 */

export const USER_COLUMNS: Record<UserAttribute, SqlColumn> = {
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
  // Filtered through user_labels; sorted by the JSON text, as Appwrite's MariaDB sorts its JSON column.
  labels: { column: 'labels', type: 'string[]', nullable: false, elements: { table: 'user_labels', column: 'label' } },
  impersonator: { column: 'impersonator', type: 'boolean', nullable: false },
  accessedAt: { column: 'accessed_at', type: 'datetime', nullable: true },
};

/**
 * The list indexes: every sort column ascending, `(project_id, column, sort_seq)`, so one index
 * serves an order, its tie-breaker and a cursor's seek. Descending orders keep the ascending
 * tie-breaker, which a backward walk of that index does not give: SQLite then sorts each run of
 * equal values on the way, which costs nothing where runs are short (ids, unique emails and
 * phones, timestamps). Names (many users have none) and labels (most have none) have long runs,
 * hence a `(project_id, column DESC, sort_seq)` index too; booleans are walked one value at a
 * time (sqlite-list-plan.ts), and a nullable column's null run on its own.
 */
const DESCENDING = new Set(['name_lc', 'labels']);
export const USER_LIST_INDEXES: Record<string, { asc: string; desc?: string }> = Object.fromEntries(
  Object.values(USER_COLUMNS).map(({ column }) => [column, { asc: `users_by_${column}`, ...(DESCENDING.has(column) ? { desc: `users_by_${column}_desc` } : {}) }]),
);

const USERS: SqlIndexedTable<UserAttribute> = { table: 'users', alias: 'u', columns: USER_COLUMNS, tieBreaker: 'sort_seq', scope: 'project_id', scopeIndex: 'users_by_sequence', rowScopeIndex: 'users_by_rid', indexes: USER_LIST_INDEXES };

/**
 * The orders whose index also carries `created_at`, after the tie-breaker: a walk of one of them
 * checks a creation window (`greaterThan("$createdAt", …)` and the like, the range filter most
 * often paired with an alphabetical order) on the index entry and reads only the rows that
 * match. A range on one column and an order on another cannot share one b-tree, and where the
 * two are correlated (ids or emails numbered in creation order: `user1…` sorts before `user5…`)
 * the walk passes most of the table before the page fills; reading each row it passes made that
 * walk several times slower than the index alone. `created_at` never changes, so this adds no
 * index write to an update; the timestamp and boolean orders stay without it (their indexes
 * would grow by half for a pairing seldom used).
 */
export const CARRIES_CREATED_AT: ReadonlySet<string> = new Set(['id_lc', 'name_lc', 'email_lc', 'phone_lc']);

/**
 * The orders whose index also carries `search_text`, last: the orders a search is most often
 * listed in (the default one, by creation, and by name). When its matches outnumber the count
 * cap, a search walks the order's index and checks each entry's words; on these indexes it
 * checks them on the entry, where elsewhere it reads every row it passes (matches bunched at
 * the far end of the order, a first name searched in descending name order, cost a read of
 * most of the table: 244 ms on 100,000 users, 46 ms on the entries).
 */
export const CARRIES_SEARCH_TEXT: ReadonlySet<string> = new Set(['sort_seq', 'name_lc']);

/** The DDL of those indexes. */
export function userListIndexDdl(): string {
  const searchText = (column: string) => (CARRIES_SEARCH_TEXT.has(column) ? ', search_text' : '');
  const lines = [`CREATE INDEX IF NOT EXISTS users_by_sequence ON users (project_id, sort_seq${searchText('sort_seq')});`, 'CREATE INDEX IF NOT EXISTS users_by_rid ON users (rid, project_id);'];
  for (const [column, ix] of Object.entries(USER_LIST_INDEXES)) {
    const tail = (CARRIES_CREATED_AT.has(column) ? 'sort_seq, created_at' : 'sort_seq') + searchText(column);
    lines.push(`CREATE INDEX IF NOT EXISTS ${ix.asc} ON users (project_id, ${column}, ${tail});`);
    if (ix.desc) lines.push(`CREATE INDEX IF NOT EXISTS ${ix.desc} ON users (project_id, ${column} DESC, ${tail});`);
  }
  return lines.join('\n');
}

/**
 * `sequence` (40 decimal digits, zero-padded) in the same text order but a few characters long:
 * the number of significant digits as one character, then those digits. It ends every index
 * entry, so the indexes shrink by about half. Anything else (no sort key of an event store) is
 * kept whole behind a character above every length, in its own text order.
 */
export function compactSequence(sequence: string): string {
  if (!/^\d{40}$/.test(sequence)) return `~${sequence}`;
  const digits = sequence.replace(/^0+/, '');
  return String.fromCharCode(0x30 + digits.length) + digits;
}

/** The cursor user's row, as selected from `users` (only the sort columns are read). */
export type CursorRow = object;

export type CompiledUserList = CompiledSqlList;

/**
 * Compiles a validated List Users query.
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
  // With a search, the word lookups already confine the rows to the project and are far more
  // selective than the project: the unary + keeps SQLite (which has no statistics here) from
  // walking the whole project through an index and probing the word list for every user, so a
  // search costs O(matching users) instead of O(project size).
  const scope = { where: [query.search !== undefined ? '+u.project_id = ?' : 'u.project_id = ?'], params: [projectId] };
  return compileSqlList(USERS, scope, query, cursor, (term, params) => compileSqlWordSearch(WORDS, term, projectId, params));
}

const WORDS = { words: 'user_search_words', alias: 'u' };

/** List Users as the two plans of sqlite-list-plan.ts, chosen between by the capped count when it runs. */
export function planUserList(projectId: string, query: UserListQuery, cursor: CursorRow | null): PlannedSqlList {
  return planSqlList(USERS, projectId, query, cursor as Record<string, unknown> | null, {
    compile: (term, params, mode) => compileSqlWordSearch(WORDS, term, projectId, params, mode),
    gather: (term) => gatherSqlWordSearch(WORDS, term, projectId),
  });
}

/**
 * The search parameter (queries.md §6, planned by search-plan.ts) over a search-words side
 * table `(project_id, word, rid)` and the `search_text` column of the table aliased `alias`.
 * Shared with every read model that searches the same way (teams, memberships).
 */
export function compileSqlWordSearch(spec: { words: string; alias: string }, term: string, projectId: string, params: SqlValue[], mode: SqlSearchMode = 'list'): string {
  const plan = planSearch(term);
  if (plan.mode !== 'none' && mode === 'probe') return probeWords(spec, plan, params);
  const gathered = gatherWords(spec, plan, projectId);
  if (gathered === null) return '0';
  params.push(...gathered.params);
  const inGathered = `${spec.alias}.rid IN (${gathered.rows})`;
  if (gathered.check === null) return inGathered;
  params.push(...gathered.check.params);
  return `${inGathered} AND ${gathered.check.sql}`;
}

/**
 * The search as the row ids its words gather (`rows`, a SELECT of `rid`, duplicates possible)
 * and what each gathered row must pass besides (`check`, on the table aliased `alias`): what a
 * count can be driven by, one id at a time, where `rid IN (…)` gathers every id before the
 * first is counted. Null when nothing can match.
 */
export function gatherSqlWordSearch(spec: { words: string; alias: string }, term: string, projectId: string): SqlGatheredRows | null {
  return gatherWords(spec, planSearch(term), projectId);
}

function gatherWords(spec: { words: string; alias: string }, plan: SearchPlan, projectId: string): SqlGatheredRows | null {
  switch (plan.mode) {
    case 'none':
      return null;
    case 'any': {
      // One index seek per part; an OR inside a single WHERE would make SQLite scan the project's words.
      const parts: string[] = [];
      const params: SqlValue[] = [];
      if (plan.words.length > 0) {
        parts.push(`SELECT w.rid FROM ${spec.words} w WHERE w.project_id = ? AND w.word IN (${plan.words.map(() => '?').join(', ')})`);
        params.push(projectId, ...plan.words);
      }
      if (plan.prefix !== null) {
        // Words are letters, marks, digits and _, never U+10FFFF, so the bound always exists.
        parts.push(`SELECT w.rid FROM ${spec.words} w WHERE w.project_id = ? AND w.word >= ? AND w.word < ?`);
        params.push(projectId, plan.prefix, prefixUpperBound(plan.prefix) ?? `${plan.prefix}\u{10FFFF}`);
      }
      return { rows: parts.join(' UNION ALL '), params, check: null };
    }
    case 'phrase': {
      // The longest indexable word is the likeliest to be rare: look it up, then check adjacency.
      const anchor = plan.words.filter(isIndexableWord).sort((a, b) => b.length - a.length)[0];
      return {
        rows: `SELECT w.rid FROM ${spec.words} w WHERE w.project_id = ? AND w.word = ?`,
        params: [projectId, anchor],
        check: { sql: `instr(' ' || ${spec.alias}.search_text || ' ', ?) > 0`, params: [` ${plan.words.join(' ')} `] },
      };
    }
  }
}

/**
 * The same search as a check of one row, for a walk of another index: on its `search_text`
 * (its words joined by single spaces), which the walk reads anyway, instead of a subquery on the
 * words table. Words are letters, marks, digits and `_`; `_` is escaped for LIKE, and LIKE's
 * ASCII case folding changes nothing on lower-cased text.
 */
function probeWords(spec: { alias: string }, plan: Exclude<SearchPlan, { mode: 'none' }>, params: SqlValue[]): string {
  const text = `' ' || ${spec.alias}.search_text || ' '`;
  if (plan.mode === 'phrase') {
    params.push(` ${plan.words.join(' ')} `);
    return `instr(${text}, ?) > 0`;
  }
  const parts = plan.words.map((word) => {
    params.push(` ${word} `);
    return `instr(${text}, ?) > 0`;
  });
  if (plan.prefix !== null) {
    params.push(`% ${plan.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    parts.push(`${text} LIKE ? ESCAPE '\\'`);
  }
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}
