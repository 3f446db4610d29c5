/**
 * Validation of List Users queries: the collection validation (collection-queries.ts) over the
 * users attributes, producing the storage-neutral UserListQuery (whose cursor names `userId`).
 */
import type { Rule } from '../validation/rules';
import { asInvalidQueries, queriesRule } from './common';
import { collectionQueries } from './collection-queries';
import { USER_ATTRIBUTE_TYPES, UserAttribute, UserFilter, UserListQuery } from './user-list-query';

export { DEFAULT_USER_LIST_LIMIT, MAX_QUERY_VALUES } from './collection-queries';

const users = collectionQueries<UserAttribute>(USER_ATTRIBUTE_TYPES);

function buildUserListQuery(queries: unknown): UserListQuery {
  const { filters, orders, limit, offset, cursor, select, cannotServe } = users.build(queries);
  // Users have no integer attributes, so every value is a string or a boolean.
  const result: UserListQuery = { filters: filters as UserFilter[], orders, limit, offset };
  if (cursor !== undefined) result.cursor = { direction: cursor.direction, userId: cursor.id };
  if (select !== undefined) result.select = select;
  if (cannotServe !== undefined) result.cannotServe = cannotServe;
  return result;
}

/**
 * Validates the `queries` parameter of List Users. Throws 400 `general_argument_invalid` with
 * the exact `Invalid queries: …` message. The result has no `search` (the caller validates that
 * parameter with Text(256) and adds it) and its cursor is unchecked against storage (the caller
 * answers `general_cursor_not_found`).
 */
export function validateUserQueries(queries: unknown): UserListQuery {
  return asInvalidQueries(() => buildUserListQuery(queries));
}

/** The same validation as a param rule (errors in parameter order); its value is the UserListQuery. */
export const UserQueries: Rule = queriesRule(buildUserListQuery);
