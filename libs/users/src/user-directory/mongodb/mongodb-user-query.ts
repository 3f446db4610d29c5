import type { Document } from 'mongodb';
import type { UserAttribute, UserFilter, UserListQuery } from '@lib/appwrite';
import {
  CompiledMongoList,
  compileMongoConditions,
  compileMongoFilter,
  compileMongoList,
  escapeRegex,
  MATCH_NOTHING,
  MongoField,
  mongoAnyOf,
  MongoSortKey,
  mongoSortKeys,
} from '@lib/read-models';
import { isIndexableWord, planSearch } from '../search-plan';

/*
 * List Users as MongoDB query documents: the users fields for the shared list compiler
 * (libs/read-models mongodb-list-query.ts, which explains the mapping of queries.md §5), and
 * the search parameter over the multikey `words` array and the padded `searchText`.
 */

export { escapeRegex, MATCH_NOTHING, mongoAnd as and, mongoStrictlyAfter as strictlyAfter } from '@lib/read-models';
export type UserFieldInfo = MongoField;
export type SortKey = MongoSortKey;
export type CompiledUserList = CompiledMongoList;

export const USER_FIELDS: Record<UserAttribute, UserFieldInfo> = {
  $id: { field: 'idLc', type: 'string', nullable: false },
  $createdAt: { field: 'createdAt', type: 'datetime', nullable: false },
  $updatedAt: { field: 'updatedAt', type: 'datetime', nullable: false },
  name: { field: 'nameLc', type: 'string', nullable: false },
  email: { field: 'emailLc', type: 'string', nullable: true },
  phone: { field: 'phoneLc', type: 'string', nullable: true },
  status: { field: 'status', type: 'boolean', nullable: false },
  emailVerification: { field: 'emailVerification', type: 'boolean', nullable: false },
  phoneVerification: { field: 'phoneVerification', type: 'boolean', nullable: false },
  passwordUpdate: { field: 'passwordUpdate', type: 'datetime', nullable: true },
  registration: { field: 'registration', type: 'datetime', nullable: false },
  // Filtered on the array's elements; sorted by its JSON text, as Appwrite's MariaDB sorts its JSON column (and the SQLite store does).
  labels: { field: 'labels', type: 'string[]', nullable: false, sortField: 'labelsJson' },
  impersonator: { field: 'impersonator', type: 'boolean', nullable: false },
  accessedAt: { field: 'accessedAt', type: 'datetime', nullable: true },
};

/** The cursor user's document (only the sort fields are read). */
export type CursorDoc = Readonly<Record<string, unknown>>;

/** The project stays a top-level equality, matched against the leading field of every users index. */
export function compileUserList(projectId: string, query: UserListQuery, cursor: CursorDoc | null): CompiledUserList {
  return compileMongoList(USER_FIELDS, { projectId }, query, cursor, compileSearch);
}

/** The filters (AND-ed) and the search term as one condition, without the project. */
export function compileConditions(query: Pick<UserListQuery, 'filters' | 'search'>): Document {
  return compileMongoConditions(USER_FIELDS, query, compileSearch);
}

export function sortKeys(query: Pick<UserListQuery, 'orders'>): SortKey[] {
  return mongoSortKeys(USER_FIELDS, query);
}

export function compileUserFilter(filter: UserFilter): Document {
  return compileMongoFilter(USER_FIELDS, filter);
}

/**
 * The search parameter (queries.md §6) over the `words` array (the distinct searchable words of
 * the document, multikey-indexed) and `searchText` (all its words, in order, space-separated and
 * space-padded), exactly as planned by search-plan.ts. Shared with every read model that
 * searches the same way (teams, memberships).
 */
export function compileSearch(term: string): Document {
  const plan = planSearch(term);
  switch (plan.mode) {
    case 'none':
      return { ...MATCH_NOTHING };
    case 'any': {
      const parts: Document[] = [];
      if (plan.words.length > 0) parts.push({ words: plan.words.length === 1 ? plan.words[0] : { $in: plan.words } });
      // An anchored regex on an array matches if any element matches, and MongoDB bounds the
      // index scan with it (a $gte/$lt pair on an array field could be met by two different elements).
      if (plan.prefix !== null) parts.push({ words: { $regex: `^${escapeRegex(plan.prefix)}` } });
      return mongoAnyOf(parts);
    }
    case 'phrase': {
      // The longest indexable word is the likeliest to be rare: look it up, then check adjacency.
      const anchor = plan.words.filter(isIndexableWord).sort((a, b) => b.length - a.length)[0];
      return { words: anchor, searchText: { $regex: escapeRegex(` ${plan.words.join(' ')} `) } };
    }
  }
}

/** The padded word string `searchText` that phrase searches look into. */
export function searchTextOf(words: readonly string[]): string {
  return ` ${words.join(' ')} `;
}
