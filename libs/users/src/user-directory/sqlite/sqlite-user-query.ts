import type { UserAttribute, UserListQuery } from '@lib/appwrite';
import { CompiledSqlList, compileSqlList, SqlColumn, SqlListTable, SqlValue } from '@lib/read-models';
import { isIndexableWord, planSearch, prefixUpperBound } from '../search-plan';

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

const USERS: SqlListTable<UserAttribute> = { table: 'users', alias: 'u', columns: USER_COLUMNS };

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
  return compileSqlList(USERS, scope, query, cursor, (term, params) => compileSqlWordSearch({ words: 'user_search_words', alias: 'u' }, term, projectId, params));
}

/**
 * The search parameter (queries.md §6, planned by search-plan.ts) over a search-words side
 * table `(project_id, word, rid)` and the `search_text` column of the table aliased `alias`.
 * Shared with every read model that searches the same way (teams, memberships).
 */
export function compileSqlWordSearch(spec: { words: string; alias: string }, term: string, projectId: string, params: SqlValue[]): string {
  const plan = planSearch(term);
  switch (plan.mode) {
    case 'none':
      return '0';
    case 'any': {
      // One index seek per part; an OR inside a single WHERE would make SQLite scan the project's words.
      const parts: string[] = [];
      if (plan.words.length > 0) {
        parts.push(`SELECT w.rid FROM ${spec.words} w WHERE w.project_id = ? AND w.word IN (${plan.words.map(() => '?').join(', ')})`);
        params.push(projectId, ...plan.words);
      }
      if (plan.prefix !== null) {
        // Words are letters, marks, digits and _, never U+10FFFF, so the bound always exists.
        parts.push(`SELECT w.rid FROM ${spec.words} w WHERE w.project_id = ? AND w.word >= ? AND w.word < ?`);
        params.push(projectId, plan.prefix, prefixUpperBound(plan.prefix) ?? `${plan.prefix}\u{10FFFF}`);
      }
      return `${spec.alias}.rid IN (${parts.join(' UNION ALL ')})`;
    }
    case 'phrase': {
      // The longest indexable word is the likeliest to be rare: look it up, then check adjacency.
      const anchor = plan.words.filter(isIndexableWord).sort((a, b) => b.length - a.length)[0];
      params.push(projectId, anchor, ` ${plan.words.join(' ')} `);
      return (
        `${spec.alias}.rid IN (SELECT w.rid FROM ${spec.words} w WHERE w.project_id = ? AND w.word = ?) ` +
        `AND instr(' ' || ${spec.alias}.search_text || ' ', ?) > 0`
      );
    }
  }
}
