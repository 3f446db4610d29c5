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
] as const;
export type UserAttribute = (typeof USER_QUERY_ATTRIBUTES)[number];

export type AttributeType = 'string' | 'boolean' | 'datetime';
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
  | 'contains';

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
  | { method: 'between'; attribute: UserAttribute; values: [string | boolean, string | boolean] }
  | { method: 'isNull' | 'isNotNull'; attribute: UserAttribute }
  | { method: 'and' | 'or'; queries: UserFilter[] };

export interface UserOrder {
  /** `null` = insertion order (Appwrite's internal sequence). */
  attribute: UserAttribute | null;
  direction: 'asc' | 'desc';
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
}

/** Appwrite caps the `total` of a list at this many matches. */
export const LIST_TOTAL_CAP = 5000;
