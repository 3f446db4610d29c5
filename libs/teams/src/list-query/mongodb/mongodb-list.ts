import type { Document } from 'mongodb';
import type { CollectionListQuery } from '@lib/appwrite';
import { CompiledMongoList, compileMongoList as compileList, MongoField } from '@lib/read-models';
import { compileMongoWordSearch } from '@lib/users';

/*
 * A validated list query (teams, memberships) as plain MongoDB `find` documents: the shared list
 * compiler (libs/read-models mongodb-list-query.ts) with the search parameter looking into
 * `words` (multikey) and `searchText`, the way List Users searches.
 */

export type { CompiledMongoList, MongoField } from '@lib/read-models';
export { searchTextOf } from '@lib/users';

/** `scope`: top-level equalities confining the documents (the project first), e.g. `{ projectId, teamId }`. */
export function compileMongoList<A extends string>(fields: Readonly<Record<A, MongoField>>, scope: Document, query: CollectionListQuery<A>, cursor: Document | null): CompiledMongoList {
  return compileList(fields, scope, query, cursor, compileMongoWordSearch);
}
