/**
 * Validation of a collection's `queries` (queries.md §1, §4, §5, §8) over its own queryable
 * attributes: List Users (user-queries.ts), List Teams and List Team / User Memberships
 * (team-queries.ts). Mirrors Appwrite's Queries validator: each query is parsed, classified by
 * method, then checked by that class's validator (filters: collection-filters.ts); the first
 * failure is reported, with Appwrite 1.3.8's messages. Additions recommended by the spec
 * (contains, and/or, both `between` forms, ISO-only datetimes, query limits) follow Appwrite
 * 1.5's wording, the methods of 1.8/1.9 utopia-php/database's. Appwrite's Base validator adds
 * `$id`, `$createdAt` and `$updatedAt` to every collection's allowed attributes; the schema
 * lists them explicitly.
 */
import { AppwriteException } from '../errors/appwrite-exception';
import { phpString } from '../php';
import { isKey, Rule, UID_DESCRIPTION } from '../validation/rules';
import { CollectionAttributeType, CollectionFilter, FILTER_METHODS, filterValidator } from './collection-filters';
import { asInvalidQueries, methodNotValid, parseQueryElement, queriesRule, queryNotValid, RANGE_DESCRIPTION, toNonNegativeInteger, toQueryList } from './common';
import type { ParsedQuery } from './parse-query';

export { MAX_QUERY_VALUES } from './collection-filters';
export type { CollectionAttributeType, CollectionFilter, QueryValue } from './collection-filters';

/** The default page size of every collection list (List Users, Teams, Memberships). */
export const DEFAULT_USER_LIST_LIMIT = 25;

export interface CollectionOrder<A extends string = string> {
  /** `null` = insertion order; always null for `random`. */
  attribute: A | null;
  /** `random` (orderRandom): a fresh random order, which leaves nothing for later orders to decide. */
  direction: 'asc' | 'desc' | 'random';
}

/** A validated list request, storage-neutral (like UserListQuery, with the cursor's `id`). */
export interface CollectionListQuery<A extends string = string> {
  filters: CollectionFilter<A>[];
  orders: CollectionOrder<A>[];
  limit: number;
  offset: number;
  /** Keyset pagination relative to an existing document (the caller checks it exists). */
  cursor?: { direction: 'after' | 'before'; id: string };
  /** Attribute names to fill; undefined or containing '*' = all. */
  select?: string[];
  /** The `search` parameter, already validated (added by the caller). */
  search?: string;
  /** The `total` parameter (added by the caller): false = answer 0 without counting. Absent = true. */
  includeTotal?: boolean;
  /** Why no store can run this query: answered as 400 `general_query_invalid` (see assertServable). */
  cannotServe?: string;
}

type Validated<A extends string> =
  | { kind: 'filter'; filter: CollectionFilter<A> }
  | { kind: 'order'; order: CollectionOrder<A> }
  | { kind: 'limit' | 'offset'; value: number }
  | { kind: 'cursor'; cursor: { direction: 'after' | 'before'; id: string } }
  | { kind: 'select'; attributes: string[] };

/** The queries rule of one collection, its validation function and the raw builder. */
export interface CollectionQueries<A extends string> {
  rule: Rule;
  /** Throws 400 `general_argument_invalid` (`Invalid queries: …`) on any invalid query. */
  validate(queries: unknown): CollectionListQuery<A>;
  /** The validation itself: throws a QueryError (for rules built on another result type). */
  build(queries: unknown): CollectionListQuery<A>;
}

/**
 * Answers a query no store can run (see `cannotServe`): 400 `general_query_invalid` with the
 * reason, as Appwrite does when its database layer refuses a query. Handlers call it after
 * their own lookups (user, team, cursor), since Appwrite only finds out when it runs the query.
 */
export function assertServable(query: { cannotServe?: string }): void {
  if (query.cannotServe !== undefined) throw new AppwriteException('general_query_invalid', query.cannotServe);
}

/** Appwrite's database layer cannot walk a random order from a cursor either (it drops the cursor); we say so. */
export const RANDOM_CURSOR_REFUSAL = 'Cursor pagination is not supported with orderRandom queries.';

/** `defaultLimit`: the page size when no limit query is given. */
export function collectionQueries<A extends string>(types: Readonly<Record<A, CollectionAttributeType>>, options: { defaultLimit?: number } = {}): CollectionQueries<A> {
  const isAttribute = (name: string): name is A => Object.prototype.hasOwnProperty.call(types, name);
  /** The first reason a query of the list being built cannot be served (reset per list). */
  let refusal: string | undefined;

  const validateFilter = filterValidator<A>({
    types,
    refuse: (reason) => {
      refusal ??= reason;
    },
    nested: (q) => {
      const v = validateOne(q);
      return v.kind === 'filter' ? v.filter : null;
    },
  });

  /** Select names are checked like filter attributes (nested names included). */
  const filterAttribute = (attribute: string): A => {
    if (attribute.includes('.')) {
      const top = attribute.split('.')[0];
      if (isAttribute(top)) queryNotValid(`Cannot query nested attribute on: ${top}`);
    }
    if (!isAttribute(attribute)) queryNotValid(`Attribute not found in schema: ${attribute}`);
    return attribute;
  };

  const validateSelect = (q: ParsedQuery): string[] =>
    q.values.map((value) => {
      if (typeof value !== 'string') queryNotValid(`Attribute not found in schema: ${phpString(value)}`);
      return value === '*' ? value : filterAttribute(value);
    });

  const validateOrder = (q: ParsedQuery, direction: 'asc' | 'desc' | 'random'): CollectionOrder<A> => {
    // orderRandom takes no attribute; one that is sent anyway is ignored, as Appwrite does.
    if (direction === 'random') return { attribute: null, direction };
    // "" = insertion order; unlike filters, no special message for dotted names.
    if (q.attribute === '') return { attribute: null, direction };
    if (!isAttribute(q.attribute)) queryNotValid(`Attribute not found in schema: ${q.attribute}`);
    return { attribute: q.attribute, direction };
  };

  const validateRange = (q: ParsedQuery, name: 'limit' | 'offset'): number => {
    const n = toNonNegativeInteger(q.values[0]);
    if (n === null) queryNotValid(`Invalid ${name}: ${RANGE_DESCRIPTION}`);
    return n;
  };

  const validateCursor = (q: ParsedQuery): string => {
    const id = q.values[0];
    if (!isKey(id)) queryNotValid(`Invalid cursor: ${UID_DESCRIPTION}`);
    return id;
  };

  /** Classifies and validates one parsed query (also used for queries nested in and/or). */
  function validateOne(q: ParsedQuery): Validated<A> {
    switch (q.method) {
      case 'select':
        return { kind: 'select', attributes: validateSelect(q) };
      case 'limit':
      case 'offset':
        return { kind: q.method, value: validateRange(q, q.method) };
      case 'cursorAfter':
        return { kind: 'cursor', cursor: { direction: 'after', id: validateCursor(q) } };
      case 'cursorBefore':
        return { kind: 'cursor', cursor: { direction: 'before', id: validateCursor(q) } };
      case 'orderAsc':
        return { kind: 'order', order: validateOrder(q, 'asc') };
      case 'orderDesc':
        return { kind: 'order', order: validateOrder(q, 'desc') };
      case 'orderRandom':
        return { kind: 'order', order: validateOrder(q, 'random') };
      default:
        if (FILTER_METHODS.has(q.method)) return { kind: 'filter', filter: validateFilter(q) };
        return methodNotValid(q.method);
    }
  }

  const build = (queries: unknown): CollectionListQuery<A> => {
    refusal = undefined;
    const result: CollectionListQuery<A> = { filters: [], orders: [], limit: options.defaultLimit ?? DEFAULT_USER_LIST_LIMIT, offset: 0 };
    let limit: number | undefined;
    let offset: number | undefined;
    let select: string[] | undefined;
    for (const element of toQueryList(queries)) {
      const v = validateOne(parseQueryElement(element));
      switch (v.kind) {
        case 'filter':
          result.filters.push(v.filter);
          break;
        case 'order':
          result.orders.push(v.order);
          break;
        // First limit / offset / cursor wins; later ones are validated and ignored.
        case 'limit':
          limit ??= v.value;
          break;
        case 'offset':
          offset ??= v.value;
          break;
        case 'cursor':
          result.cursor ??= v.cursor;
          break;
        case 'select':
          // Appwrite merges every select query into one projection.
          select = [...(select ?? []), ...v.attributes];
          break;
      }
    }
    if (limit !== undefined) result.limit = limit;
    if (offset !== undefined) result.offset = offset;
    // `select([])` selects nothing in particular, i.e. everything (Appwrite projects `*`).
    if (select !== undefined && select.length > 0) result.select = [...new Set(select)];
    if (result.cursor && result.orders.some((o) => o.direction === 'random')) refusal ??= RANDOM_CURSOR_REFUSAL;
    if (refusal !== undefined) result.cannotServe = refusal;
    return result;
  };

  return { rule: queriesRule(build), validate: (queries) => asInvalidQueries(() => build(queries)), build };
}
