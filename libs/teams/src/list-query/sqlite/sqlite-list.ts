import type { CollectionListQuery } from '@lib/appwrite';
import * as shared from '@lib/read-models';
import { compileSqlWordSearch } from '@lib/users';

/*
 * A validated list query (teams, memberships) as SQL over one table aliased `t`: the shared list
 * compiler (libs/read-models sqlite-list-query.ts) with the search parameter looking words up in
 * a side table `(project_id, word, rid)`, the way List Users searches.
 */

export type { SqlColumn, SqlValue, CompiledSqlList } from '@lib/read-models';

export interface SqlListTable<A extends string> {
  table: string;
  /** The search-words side table. */
  words: string;
  columns: Readonly<Record<A, shared.SqlColumn>>;
}

/** `scope`: conditions confining the rows (project first), e.g. `t.project_id = ?`. */
export function compileSqlList<A extends string>(
  spec: SqlListTable<A>,
  projectId: string,
  scope: { where: string[]; params: shared.SqlValue[] },
  query: CollectionListQuery<A>,
  cursor: Record<string, unknown> | null,
): shared.CompiledSqlList {
  const search = { words: spec.words, alias: 't' };
  return shared.compileSqlList({ table: spec.table, alias: 't', columns: spec.columns }, scope, query, cursor, (term, params) =>
    compileSqlWordSearch(search, term, projectId, params),
  );
}
