/**
 * The validated, storage-neutral form of a List Users request. The query parser
 * (string and JSON syntax) produces it; every read-store adapter executes it and
 * must give identical results (one contract suite runs against all of them).
 */

/** Attributes of the users collection that queries may name. */
export const USER_QUERY_ATTRIBUTES = [
  '$id',
  '$createdAt',
  '$updatedAt',
  'name',
  'email',
  'phone',
  'status',
  'emailVerification',
  'phoneVerification',
  'passwordUpdate',
  'registration',
  // Appwrite 1.5 (labels), 1.9 (impersonator, accessedAt).
  'labels',
  'impersonator',
  'accessedAt',
] as const;
export type UserAttribute = (typeof USER_QUERY_ATTRIBUTES)[number];

/** `string[]`: an array attribute (labels), queried by its elements (case-sensitive, as Appwrite's JSON columns compare). */
export type AttributeType = 'string' | 'boolean' | 'datetime' | 'string[]';
export const USER_ATTRIBUTE_TYPES: Record<UserAttribute, AttributeType> = {
  $id: 'string',
  $createdAt: 'datetime',
  $updatedAt: 'datetime',
  name: 'string',
  email: 'string',
  phone: 'string',
  status: 'boolean',
  emailVerification: 'boolean',
  phoneVerification: 'boolean',
  passwordUpdate: 'datetime',
  registration: 'datetime',
  labels: 'string[]',
  impersonator: 'boolean',
  accessedAt: 'datetime',
};

export type ComparisonMethod =
  | 'equal'
  | 'notEqual'
  | 'lessThan'
  | 'lessThanEqual'
  | 'greaterThan'
  | 'greaterThanEqual'
  | 'startsWith'
  | 'endsWith'
  | 'contains'
  // Appwrite 1.8 (containsAny, containsAll: 1.9).
  | 'notContains'
  | 'notStartsWith'
  | 'notEndsWith'
  | 'containsAny'
  | 'containsAll'
  /** One pattern, in the engine-neutral syntax of regex-syntax.ts. */
  | 'regex';

/**
 * One filter. Values are already typed for the attribute:
 * - string attributes: strings (compare case-insensitively, Unicode lower-case);
 * - boolean attributes: booleans;
 * - datetime attributes: strings normalised to `YYYY-MM-DDTHH:mm:ss.SSS+00:00` (UTC),
 *   which sort lexicographically in time order.
 * Stored nulls never match anything but isNull / isNotNull (SQL semantics).
 */
export type UserFilter =
  | { method: ComparisonMethod; attribute: UserAttribute; values: Array<string | boolean> }
  | { method: 'between' | 'notBetween'; attribute: UserAttribute; values: [string | boolean, string | boolean] }
  | { method: 'isNull' | 'isNotNull'; attribute: UserAttribute }
  | { method: 'and' | 'or'; queries: UserFilter[] };

export interface UserOrder {
  /** `null` = insertion order (Appwrite's internal sequence); always null for `random`. */
  attribute: UserAttribute | null;
  /** `random` (orderRandom): a fresh random order, which leaves nothing for later orders to decide. */
  direction: 'asc' | 'desc' | 'random';
}

export interface UserListQuery {
  /** AND-ed. */
  filters: UserFilter[];
  /** Applied in sequence (first = primary); ties always broken by insertion order ascending. */
  orders: UserOrder[];
  limit: number;
  offset: number;
  /** Keyset pagination relative to an existing user (the caller checks it exists). */
  cursor?: { direction: 'after' | 'before'; userId: string };
  /** Attribute names to fill; undefined or containing '*' = all. */
  select?: string[];
  /** The `search` parameter (full-text approximation of queries.md §6), already validated. */
  search?: string;
  /** The `total` parameter: false = answer 0 without counting. Absent = true. */
  includeTotal?: boolean;
  /**
   * Why no store can run this query (a search on an attribute, exists, a bad regex...): the
   * handler answers 400 `general_query_invalid` with it, after its own lookups, as Appwrite's
   * database layer does at execution time. Adapters are never given such a query.
   */
  cannotServe?: string;
}

/** Appwrite caps the `total` of a list at this many matches. */
export const LIST_TOTAL_CAP = 5000;
