/**
 * Validation of one filter query of a collection (collection-queries.ts): utopia-php/database's
 * Query\Filter rules (the 1.8/1.9 method set) with this service's 1.3-style messages. A filter
 * that is valid but that no store here can run (a search on an attribute, exists, a regex we
 * cannot match the same way everywhere) is not an argument error: Appwrite only finds out in its
 * database layer, at execution, and answers `general_query_invalid`. Those are handed to
 * `refuse` and validation goes on, so a later invalid query still gets its 400 first.
 */
import { parseQueryDate } from '../dates';
import { phpString } from '../php';
import { queryNotValid, ucfirst } from './common';
import type { ParsedQuery } from './parse-query';
import { parseQueryRegex, RegexSyntaxError } from './regex-syntax';
import type { AttributeType, ComparisonMethod } from './user-list-query';

/** Appwrite's per-query cap on filter values. */
export const MAX_QUERY_VALUES = 100;

/** Integer attributes (a team's `total`) besides the types List Users knows. */
export type CollectionAttributeType = AttributeType | 'integer';
export type QueryValue = string | boolean | number;

/**
 * One filter, values typed for the attribute: strings (compared case-insensitively; array
 * elements exactly), booleans, integers, or datetimes normalised to `YYYY-MM-DDTHH:mm:ss.SSS+00:00`.
 * Stored nulls match nothing but isNull / isNotNull.
 */
export type CollectionFilter<A extends string = string> =
  | { method: ComparisonMethod; attribute: A; values: QueryValue[] }
  | { method: 'between' | 'notBetween'; attribute: A; values: [QueryValue, QueryValue] }
  | { method: 'isNull' | 'isNotNull'; attribute: A }
  | { method: 'and' | 'or'; queries: CollectionFilter<A>[] };

/** Stands in for a refused filter: the query is never run, so it only has to be well-formed. */
const REFUSED: CollectionFilter<never> = { method: 'and', queries: [] };

/** Methods of an attribute and at least one value. */
const SOME_VALUES: ReadonlySet<string> = new Set<ComparisonMethod>([
  'equal', 'notEqual', 'lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual', 'startsWith', 'endsWith', 'contains', 'containsAny', 'containsAll', 'notContains',
]);
/** Methods Appwrite 1.8 added with exactly one value (the older ones keep 1.3's "any of the values"). */
const ONE_VALUE: ReadonlySet<string> = new Set(['notSearch', 'notStartsWith', 'notEndsWith', 'regex']);
const CONTAINS_FAMILY: ReadonlySet<string> = new Set(['contains', 'containsAny', 'containsAll', 'notContains']);
const AFFIX_FAMILY: ReadonlySet<string> = new Set(['startsWith', 'endsWith', 'notStartsWith', 'notEndsWith']);
/** What an array attribute can be asked (Query\Filter); everything else "because it is an array". */
const ON_ARRAYS: ReadonlySet<string> = new Set([...CONTAINS_FAMILY, 'isNull', 'isNotNull']);

/** Every method this validator takes (the query's own validator dispatches the rest). */
export const FILTER_METHODS: ReadonlySet<string> = new Set([
  ...SOME_VALUES, ...ONE_VALUE, 'search', 'isNull', 'isNotNull', 'between', 'notBetween', 'exists', 'notExists', 'and', 'or',
]);

export interface FilterContext<A extends string> {
  types: Readonly<Record<A, CollectionAttributeType>>;
  /** Records why no store can serve the list; the first reason is the one answered. */
  refuse(reason: string): void;
  /** The filter a query nested in and/or stands for, or null when it is not a filter query. */
  nested(q: ParsedQuery): CollectionFilter<A> | null;
}

export function filterValidator<A extends string>(ctx: FilterContext<A>): (q: ParsedQuery) => CollectionFilter<A> {
  const { types } = ctx;
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
    if ((type === 'string' || type === 'string[]') && typeof value === 'string') return value;
    if (type === 'boolean' && typeof value === 'boolean') return value;
    if (type === 'integer' && typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (type === 'datetime' && typeof value === 'string') {
      const normalised = parseQueryDate(value);
      if (normalised !== null) return normalised;
    }
    return queryNotValid(`Query type does not match expected: ${type === 'string[]' ? 'string' : type}`);
  };

  const checkValueCount = (attribute: A, values: unknown[]) => {
    if (values.length > MAX_QUERY_VALUES) queryNotValid(`Query on attribute has greater than ${MAX_QUERY_VALUES} values: ${attribute}`);
  };

  /** Which methods an attribute's type allows, in Query\Filter's words. */
  const checkMethodFits = (method: string, attribute: A) => {
    const type = types[attribute];
    if (type === 'string[]') {
      if (!ON_ARRAYS.has(method)) queryNotValid(`Cannot query ${method} on attribute "${attribute}" because it is an array.`);
      return;
    }
    if (CONTAINS_FAMILY.has(method) && type !== 'string') {
      queryNotValid(`Cannot query ${method === 'notContains' ? 'notContains' : 'contains'} on attribute "${attribute}" because it is not an array or string.`);
    }
    // Prefixes of numbers have no index-friendly form in either store; 1.3 would compare the digits.
    // A pattern only makes sense on text (a date's text is a storage detail).
    if ((AFFIX_FAMILY.has(method) && type === 'integer') || (method === 'regex' && type !== 'string')) {
      queryNotValid(`Cannot query ${method} on attribute "${attribute}" because it is not a string.`);
    }
  };

  const validateComparison = (q: ParsedQuery): CollectionFilter<A> => {
    const attribute = filterAttribute(q.attribute);
    checkValueCount(attribute, q.values);
    // Appwrite 1.3 lets an empty list through and then fails with a 500 in the database layer.
    if (q.values.length === 0) queryNotValid(`${ucfirst(q.method)} queries require ${ONE_VALUE.has(q.method) ? 'exactly' : 'at least'} one value.`);
    if (ONE_VALUE.has(q.method) && q.values.length !== 1) queryNotValid(`${ucfirst(q.method)} queries require exactly one value.`);
    checkMethodFits(q.method, attribute);
    const values = q.values.map((v) => typedValue(attribute, v));
    // No full-text index exists on single attributes (Appwrite's only one is on `search`): the `search` parameter is the way.
    if (q.method === 'search' || q.method === 'notSearch') {
      ctx.refuse(`Searching by attribute "${attribute}" requires a fulltext index.`);
      return REFUSED;
    }
    if (q.method === 'regex') {
      try {
        parseQueryRegex(values[0] as string);
      } catch (err) {
        if (!(err instanceof RegexSyntaxError)) throw err;
        ctx.refuse(err.message);
        return REFUSED;
      }
    }
    return { method: q.method as ComparisonMethod, attribute, values };
  };

  const validateBetween = (q: ParsedQuery, method: 'between' | 'notBetween'): CollectionFilter<A> => {
    const attribute = filterAttribute(q.attribute);
    let values = q.values;
    checkValueCount(attribute, values);
    // `between("a", [x, y])` of the 1.3 SDKs parses to [[x, y], null]: accepted as the 3-parameter form.
    if (values.length >= 1 && Array.isArray(values[0]) && values.slice(1).every((v) => v === null)) values = values[0] as unknown[];
    if (values.length !== 2) queryNotValid(`${ucfirst(method)} queries require exactly two values.`);
    checkMethodFits(method, attribute);
    return { method, attribute, values: [typedValue(attribute, values[0]), typedValue(attribute, values[1])] };
  };

  /**
   * exists / notExists name attributes in their values (`Query.exists(["name"])`; Appwrite reads
   * them there too). A SQL store has no "absent" distinct from null: Appwrite's own SQL adapter
   * throws "Exists queries are not supported by this database", and so does every store here.
   */
  const validateExists = (q: ParsedQuery): CollectionFilter<A> => {
    if (q.values.length === 0) queryNotValid(`${ucfirst(q.method)} queries require at least one value.`);
    if (q.attribute !== '') filterAttribute(q.attribute);
    for (const value of q.values) {
      if (typeof value !== 'string') queryNotValid(`Attribute not found in schema: ${phpString(value)}`);
      filterAttribute(value);
    }
    ctx.refuse('Exists queries are not supported by this database');
    return REFUSED;
  };

  const isParsedQuery = (v: unknown): v is ParsedQuery => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const o = v as Record<string, unknown>;
    return typeof o.method === 'string' && typeof o.attribute === 'string' && Array.isArray(o.values);
  };

  const validateLogical = (q: ParsedQuery, method: 'and' | 'or'): CollectionFilter<A> => {
    // Nested queries are validated in full first, so their own errors win (Appwrite 1.5 order).
    const nested = q.values.map((v) => (isParsedQuery(v) ? ctx.nested(v) : null));
    const filters: CollectionFilter<A>[] = [];
    for (const n of nested) {
      if (n === null) queryNotValid(`${ucfirst(method)} queries can only contain filter queries`);
      filters.push(n);
    }
    if (filters.length < 2) queryNotValid(`${ucfirst(method)} queries require at least two queries`);
    return { method, queries: filters };
  };

  return (q: ParsedQuery): CollectionFilter<A> => {
    switch (q.method) {
      case 'and':
      case 'or':
        return validateLogical(q, q.method);
      case 'isNull':
      case 'isNotNull':
        return { method: q.method, attribute: filterAttribute(q.attribute) };
      case 'between':
      case 'notBetween':
        return validateBetween(q, q.method);
      case 'exists':
      case 'notExists':
        return validateExists(q);
      default:
        return validateComparison(q);
    }
  };
}
