/**
 * Validation of a collection's `queries` (queries.md §1, §4, §5, §8) over its own queryable
 * attributes: List Users (user-queries.ts), List Teams and List Team Memberships
 * (team-queries.ts). Mirrors Appwrite 1.3.8's Queries validator: each query is parsed,
 * classified by method, then checked by that class's validator; the first failure is reported.
 * Additions recommended by the spec (contains, and/or, both `between` forms, ISO-only datetimes,
 * query limits) follow Appwrite 1.5's wording. Appwrite 1.3's Base validator adds `$id`,
 * `$createdAt` and `$updatedAt` to every collection's allowed attributes; the schema lists them
 * explicitly.
 */
import { parseQueryDate } from '../dates';
import { phpString } from '../php';
import { isKey, Rule, UID_DESCRIPTION } from '../validation/rules';
import { asInvalidQueries, methodNotValid, parseQueryElement, queriesRule, queryNotValid, RANGE_DESCRIPTION, toNonNegativeInteger, toQueryList, ucfirst } from './common';
import type { ParsedQuery } from './parse-query';
import { QueryError } from './query-error';
import type { AttributeType, ComparisonMethod } from './user-list-query';

/** The default page size of every collection list (List Users, Teams, Memberships). */
export const DEFAULT_USER_LIST_LIMIT = 25;
/** Appwrite's per-query cap on filter values. */
export const MAX_QUERY_VALUES = 100;

/** Integer attributes (a team's `total`) besides the types List Users knows. */
export type CollectionAttributeType = AttributeType | 'integer';
export type QueryValue = string | boolean | number;

/**
 * One filter, values typed for the attribute: strings (compared case-insensitively), booleans,
 * integers, or datetimes normalised to `YYYY-MM-DDTHH:mm:ss.SSS+00:00`.
 */
export type CollectionFilter<A extends string = string> =
  | { method: ComparisonMethod; attribute: A; values: QueryValue[] }
  | { method: 'between'; attribute: A; values: [QueryValue, QueryValue] }
  | { method: 'isNull' | 'isNotNull'; attribute: A }
  | { method: 'and' | 'or'; queries: CollectionFilter<A>[] };

export interface CollectionOrder<A extends string = string> {
  /** `null` = insertion order. */
  attribute: A | null;
  direction: 'asc' | 'desc';
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
}

const COMPARISON_METHODS: ReadonlySet<string> = new Set<ComparisonMethod>(['equal', 'notEqual', 'lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual', 'startsWith', 'endsWith', 'contains']);

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

export function collectionQueries<A extends string>(types: Readonly<Record<A, CollectionAttributeType>>): CollectionQueries<A> {
  const isAttribute = (name: string): name is A => Object.prototype.hasOwnProperty.call(types, name);

  /** Appwrite's Filter::isValidAttribute. */
  const filterAttribute = (attribute: string): A => {
    if (attribute.includes('.')) {
      const top = attribute.split('.')[0];
      if (isAttribute(top)) queryNotValid(`Cannot query nested attribute on: ${top}`);
    }
    if (!isAttribute(attribute)) queryNotValid(`Attribute not found in schema: ${attribute}`);
    return attribute;
  };

  /** Per-value typing; datetimes are normalised so stores can compare them as strings. */
  const typedValue = (attribute: A, value: unknown): QueryValue => {
    const type = types[attribute];
    if (type === 'string' && typeof value === 'string') return value;
    if (type === 'boolean' && typeof value === 'boolean') return value;
    if (type === 'integer' && typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (type === 'datetime' && typeof value === 'string') {
      const normalised = parseQueryDate(value);
      if (normalised !== null) return normalised;
    }
    return queryNotValid(`Query type does not match expected: ${type}`);
  };

  const checkValueCount = (attribute: A, values: unknown[]) => {
    if (values.length > MAX_QUERY_VALUES) queryNotValid(`Query on attribute has greater than ${MAX_QUERY_VALUES} values: ${attribute}`);
  };

  const validateComparison = (q: ParsedQuery): CollectionFilter<A> => {
    const attribute = filterAttribute(q.attribute);
    checkValueCount(attribute, q.values);
    // Appwrite 1.3 lets an empty list through and then fails with a 500 in the database layer.
    if (q.values.length === 0) queryNotValid(`${ucfirst(q.method)} queries require at least one value.`);
    if (q.method === 'contains' && types[attribute] !== 'string') {
      queryNotValid(`Cannot query contains on attribute "${attribute}" because it is not an array or string.`);
    }
    // Prefixes of numbers have no index-friendly form in either store; 1.3 would compare the digits.
    if ((q.method === 'startsWith' || q.method === 'endsWith') && types[attribute] === 'integer') {
      queryNotValid(`Cannot query ${q.method} on attribute "${attribute}" because it is not a string.`);
    }
    const values = q.values.map((v) => typedValue(attribute, v));
    // No full-text index exists on single attributes; the `search` parameter is the way.
    if (q.method === 'search') throw new QueryError(`Searching by attribute "${attribute}" requires a fulltext index.`);
    return { method: q.method as ComparisonMethod, attribute, values };
  };

  const validateBetween = (q: ParsedQuery): CollectionFilter<A> => {
    const attribute = filterAttribute(q.attribute);
    let values = q.values;
    checkValueCount(attribute, values);
    // `between("a", [x, y])` of the 1.3 SDKs parses to [[x, y], null]: accepted as the 3-parameter form.
    if (values.length >= 1 && Array.isArray(values[0]) && values.slice(1).every((v) => v === null)) values = values[0] as unknown[];
    if (values.length !== 2) queryNotValid('Between queries require exactly two values.');
    return { method: 'between', attribute, values: [typedValue(attribute, values[0]), typedValue(attribute, values[1])] };
  };

  const isParsedQuery = (v: unknown): v is ParsedQuery => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const o = v as Record<string, unknown>;
    return typeof o.method === 'string' && typeof o.attribute === 'string' && Array.isArray(o.values);
  };

  const validateLogical = (q: ParsedQuery, method: 'and' | 'or'): CollectionFilter<A> => {
    // Nested queries are validated in full first, so their own errors win (Appwrite 1.5 order).
    const nested = q.values.map((v) => (isParsedQuery(v) ? validateOne(v) : null));
    const filters: CollectionFilter<A>[] = [];
    for (const n of nested) {
      if (n === null || n.kind !== 'filter') queryNotValid(`${ucfirst(method)} queries can only contain filter queries`);
      filters.push(n.filter);
    }
    if (filters.length < 2) queryNotValid(`${ucfirst(method)} queries require at least two queries`);
    return { method, queries: filters };
  };

  const validateFilter = (q: ParsedQuery): CollectionFilter<A> => {
    switch (q.method) {
      case 'and':
      case 'or':
        return validateLogical(q, q.method);
      case 'isNull':
      case 'isNotNull':
        return { method: q.method, attribute: filterAttribute(q.attribute) };
      case 'between':
        return validateBetween(q);
      default:
        return validateComparison(q);
    }
  };

  const validateSelect = (q: ParsedQuery): string[] =>
    q.values.map((value) => {
      if (typeof value !== 'string') queryNotValid(`Attribute not found in schema: ${phpString(value)}`);
      return value === '*' ? value : filterAttribute(value);
    });

  const validateOrder = (q: ParsedQuery, direction: 'asc' | 'desc'): CollectionOrder<A> => {
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
      case 'search':
      case 'isNull':
      case 'isNotNull':
      case 'between':
      case 'and':
      case 'or':
        return { kind: 'filter', filter: validateFilter(q) };
      default:
        if (COMPARISON_METHODS.has(q.method)) return { kind: 'filter', filter: validateFilter(q) };
        return methodNotValid(q.method);
    }
  }

  const build = (queries: unknown): CollectionListQuery<A> => {
    const result: CollectionListQuery<A> = { filters: [], orders: [], limit: DEFAULT_USER_LIST_LIMIT, offset: 0 };
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
    return result;
  };

  return { rule: queriesRule(build), validate: (queries) => asInvalidQueries(() => build(queries)), build };
}
