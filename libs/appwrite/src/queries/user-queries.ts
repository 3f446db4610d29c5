/**
 * Validation of List Users queries (queries.md §1, §4, §5, §8), producing the storage-neutral
 * UserListQuery. Mirrors Appwrite 1.3.8's Queries validator: each query is parsed, classified by
 * method, then checked by that class's validator; the first failure is reported. Additions
 * recommended by the spec (contains, and/or, both `between` forms, ISO-only datetimes, query
 * limits) follow Appwrite 1.5's wording.
 */
import { parseQueryDate } from '../dates';
import { phpString } from '../php';
import { isKey, Rule, UID_DESCRIPTION } from '../validation/rules';
import {
  asInvalidQueries,
  methodNotValid,
  parseQueryElement,
  queriesRule,
  queryNotValid,
  RANGE_DESCRIPTION,
  toNonNegativeInteger,
  toQueryList,
  ucfirst,
} from './common';
import { ParsedQuery } from './parse-query';
import { QueryError } from './query-error';
import {
  ComparisonMethod,
  USER_ATTRIBUTE_TYPES,
  USER_QUERY_ATTRIBUTES,
  UserAttribute,
  UserFilter,
  UserListQuery,
  UserOrder,
} from './user-list-query';

export const DEFAULT_USER_LIST_LIMIT = 25;
/** Appwrite's per-query cap on filter values. */
export const MAX_QUERY_VALUES = 100;

const ATTRIBUTES: ReadonlySet<string> = new Set(USER_QUERY_ATTRIBUTES);

const COMPARISON_METHODS: ReadonlySet<string> = new Set<ComparisonMethod>([
  'equal',
  'notEqual',
  'lessThan',
  'lessThanEqual',
  'greaterThan',
  'greaterThanEqual',
  'startsWith',
  'endsWith',
  'contains',
]);

type Validated =
  | { kind: 'filter'; filter: UserFilter }
  | { kind: 'order'; order: UserOrder }
  | { kind: 'limit'; value: number }
  | { kind: 'offset'; value: number }
  | { kind: 'cursor'; cursor: { direction: 'after' | 'before'; userId: string } }
  | { kind: 'select'; attributes: string[] };

function isAttribute(name: string): name is UserAttribute {
  return ATTRIBUTES.has(name);
}

/** Appwrite's Filter::isValidAttribute. */
function filterAttribute(attribute: string): UserAttribute {
  if (attribute.includes('.')) {
    const top = attribute.split('.')[0];
    if (isAttribute(top)) queryNotValid(`Cannot query nested attribute on: ${top}`);
  }
  if (!isAttribute(attribute)) queryNotValid(`Attribute not found in schema: ${attribute}`);
  return attribute;
}

/** Per-value typing; datetimes are normalised so stores can compare them as strings. */
function typedValue(attribute: UserAttribute, value: unknown): string | boolean {
  const type = USER_ATTRIBUTE_TYPES[attribute];
  if (type === 'string' && typeof value === 'string') return value;
  if (type === 'boolean' && typeof value === 'boolean') return value;
  if (type === 'datetime' && typeof value === 'string') {
    const normalised = parseQueryDate(value);
    if (normalised !== null) return normalised;
  }
  return queryNotValid(`Query type does not match expected: ${type}`);
}

function checkValueCount(attribute: UserAttribute, values: unknown[]): void {
  if (values.length > MAX_QUERY_VALUES) {
    queryNotValid(`Query on attribute has greater than ${MAX_QUERY_VALUES} values: ${attribute}`);
  }
}

function validateComparison(q: ParsedQuery): UserFilter {
  const attribute = filterAttribute(q.attribute);
  checkValueCount(attribute, q.values);
  // Appwrite 1.3 lets an empty list through and then fails with a 500 in the database layer.
  if (q.values.length === 0) queryNotValid(`${ucfirst(q.method)} queries require at least one value.`);
  if (q.method === 'contains' && USER_ATTRIBUTE_TYPES[attribute] !== 'string') {
    queryNotValid(`Cannot query contains on attribute "${attribute}" because it is not an array or string.`);
  }
  const values = q.values.map((v) => typedValue(attribute, v));
  if (q.method === 'search') {
    // No full-text index exists on single user attributes; the `search` parameter is the way.
    throw new QueryError(`Searching by attribute "${attribute}" requires a fulltext index.`);
  }
  return { method: q.method as ComparisonMethod, attribute, values };
}

function validateBetween(q: ParsedQuery): UserFilter {
  const attribute = filterAttribute(q.attribute);
  let values = q.values;
  checkValueCount(attribute, values);
  // The 1.3 SDKs send `between("a", [x, y])`, which parses to [[x, y], null]; accept it as
  // the three-parameter form.
  if (values.length >= 1 && Array.isArray(values[0]) && values.slice(1).every((v) => v === null)) {
    values = values[0] as unknown[];
  }
  if (values.length !== 2) queryNotValid('Between queries require exactly two values.');
  return {
    method: 'between',
    attribute,
    values: [typedValue(attribute, values[0]), typedValue(attribute, values[1])],
  };
}

function isParsedQuery(v: unknown): v is ParsedQuery {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.method === 'string' && typeof o.attribute === 'string' && Array.isArray(o.values);
}

function validateLogical(q: ParsedQuery, method: 'and' | 'or'): UserFilter {
  // Nested queries are validated in full first, so their own errors win (Appwrite 1.5 order).
  const nested = q.values.map((v) => (isParsedQuery(v) ? validateUserQuery(v) : null));
  const filters: UserFilter[] = [];
  for (const n of nested) {
    if (n === null || n.kind !== 'filter') queryNotValid(`${ucfirst(method)} queries can only contain filter queries`);
    filters.push(n.filter);
  }
  if (filters.length < 2) queryNotValid(`${ucfirst(method)} queries require at least two queries`);
  return { method, queries: filters };
}

function validateFilter(q: ParsedQuery): UserFilter {
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
}

function validateSelect(q: ParsedQuery): string[] {
  const attributes: string[] = [];
  for (const value of q.values) {
    if (typeof value !== 'string') queryNotValid(`Attribute not found in schema: ${phpString(value)}`);
    if (value === '*') {
      attributes.push(value);
      continue;
    }
    attributes.push(filterAttribute(value));
  }
  return attributes;
}

function validateOrder(q: ParsedQuery, direction: 'asc' | 'desc'): UserOrder {
  // "" = insertion order; unlike filters, no special message for dotted names.
  if (q.attribute === '') return { attribute: null, direction };
  if (!isAttribute(q.attribute)) queryNotValid(`Attribute not found in schema: ${q.attribute}`);
  return { attribute: q.attribute, direction };
}

function validateRange(q: ParsedQuery, name: 'limit' | 'offset'): number {
  const n = toNonNegativeInteger(q.values[0]);
  if (n === null) queryNotValid(`Invalid ${name}: ${RANGE_DESCRIPTION}`);
  return n;
}

function validateCursor(q: ParsedQuery): string {
  const id = q.values[0];
  if (!isKey(id)) queryNotValid(`Invalid cursor: ${UID_DESCRIPTION}`);
  return id;
}

/** Classifies and validates one parsed query (also used for queries nested in and/or). */
function validateUserQuery(q: ParsedQuery): Validated {
  switch (q.method) {
    case 'select':
      return { kind: 'select', attributes: validateSelect(q) };
    case 'limit':
      return { kind: 'limit', value: validateRange(q, 'limit') };
    case 'offset':
      return { kind: 'offset', value: validateRange(q, 'offset') };
    case 'cursorAfter':
      return { kind: 'cursor', cursor: { direction: 'after', userId: validateCursor(q) } };
    case 'cursorBefore':
      return { kind: 'cursor', cursor: { direction: 'before', userId: validateCursor(q) } };
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

function buildUserListQuery(queries: unknown): UserListQuery {
  const result: UserListQuery = { filters: [], orders: [], limit: DEFAULT_USER_LIST_LIMIT, offset: 0 };
  let limit: number | undefined;
  let offset: number | undefined;
  let select: string[] | undefined;

  for (const element of toQueryList(queries)) {
    const v = validateUserQuery(parseQueryElement(element));
    switch (v.kind) {
      case 'filter':
        result.filters.push(v.filter);
        break;
      case 'order':
        result.orders.push(v.order);
        break;
      // Only the first limit / offset / cursor counts; later ones are validated and ignored.
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
