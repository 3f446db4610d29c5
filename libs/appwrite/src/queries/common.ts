/**
 * Pieces shared by the List Users and List User Logs query validators.
 */
import { AppwriteException } from '../errors/appwrite-exception';
import type { Rule } from '../validation/rules';
import { isPhpIntegerString, mbStrlen, phpString } from '../php';
import { ParsedQuery, parseQuery } from './parse-query';
import { QueryError } from './query-error';

/** Documented by Appwrite but not enforced by 1.3; enforced here (queries.md §1). */
export const MAX_QUERIES = 100;
export const MAX_QUERY_LENGTH = 4096;

/** Appwrite prints PHP_INT_MAX through number_format (a float), hence the odd last digit. */
export const RANGE_DESCRIPTION = 'Value must be a valid range between 0 and 9,223,372,036,854,775,808';

/**
 * The array-level checks of the `queries` parameter. A lone string is accepted as a one-element
 * list (Appwrite 1.3 crashes on it; users-api.md §1 recommends this); absent/null means none.
 */
export function toQueryList(queries: unknown): unknown[] {
  if (queries === undefined || queries === null) return [];
  if (typeof queries === 'string') return [queries];
  if (!Array.isArray(queries)) throw new QueryError('Queries must be an array');
  if (queries.length > MAX_QUERIES) throw new QueryError(`Too many queries (max ${MAX_QUERIES})`);
  return queries;
}

/** Element-level checks that do not need parsing. */
export function checkQueryElement(element: unknown): string {
  // Appwrite hands each element to `Query::parse(string)`; a non-string fails there and is
  // reported with PHP's string form of the value.
  if (typeof element !== 'string') throw new QueryError(`Invalid query: ${phpString(element)}`);
  if (element.length > MAX_QUERY_LENGTH && mbStrlen(element) > MAX_QUERY_LENGTH) {
    throw new QueryError(`Query too long (max ${MAX_QUERY_LENGTH} chars)`);
  }
  return element;
}

/** Validates the array shape and every element's type and length (no parsing). */
export function checkQueryStrings(queries: unknown): string[] {
  return toQueryList(queries).map(checkQueryElement);
}

export function parseQueryElement(element: unknown): ParsedQuery {
  return parseQuery(checkQueryElement(element));
}

/**
 * Appwrite's Range(0, PHP_INT_MAX) with integer format: numbers and numeric strings whose
 * `+ 0` is a PHP int. Numbers are accepted when integral, since JS cannot tell `25.0` from `25`;
 * values beyond 2^53 are rejected because they cannot be represented exactly.
 */
export function toNonNegativeInteger(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string' && isPhpIntegerString(value)) {
    n = Number(value.trim());
  } else {
    return null;
  }
  if (!Number.isSafeInteger(n) || n < 0) return null;
  return n === 0 ? 0 : n;
}

export function queryNotValid(detail: string): never {
  throw new QueryError(`Query not valid: ${detail}`);
}

export function methodNotValid(method: string): never {
  throw new QueryError(`Query method not valid: ${method}`);
}

/** Runs a query-level validation and reports its failure as the `queries` param's 400. */
export function asInvalidQueries<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof QueryError) {
      throw new AppwriteException('general_argument_invalid', `Invalid queries: ${err.message}`);
    }
    throw err;
  }
}

/** The detail of a failed validation, or null when it passes (for Rule.check / explain). */
export function queryFailure(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (err) {
    if (err instanceof QueryError) return err.message;
    throw err;
  }
}

export function ucfirst(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}

/**
 * A `queries` param rule that validates in parameter order (so a bad query is reported before a
 * bad `search`) and hands the handler the built query: each request's list is parsed once, the
 * result kept for `coerce` (and the failure for `explain`) keyed by the list itself.
 */
export function queriesRule<T>(build: (queries: unknown) => T): Rule {
  const outcomes = new WeakMap<object, { ok: true; value: T } | { ok: false; message: string }>();
  const outcome = (value: unknown) => {
    const key = typeof value === 'object' && value !== null ? value : null;
    const known = key && outcomes.get(key);
    if (known) return known;
    let result: { ok: true; value: T } | { ok: false; message: string };
    try {
      result = { ok: true, value: build(value) };
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      result = { ok: false, message: err.message };
    }
    if (key) outcomes.set(key, result);
    return result;
  };
  return {
    description: 'Invalid query',
    check: (value) => outcome(value).ok,
    explain: (value) => {
      const o = outcome(value);
      return o.ok ? 'Invalid query' : o.message;
    },
    coerce: (value) => {
      const o = outcome(value);
      if (!o.ok) throw new Error('coerce called on invalid queries');
      return o.value;
    },
    // The array's limits; what a query may say is the query language's, beyond any schema.
    schema: { maxItems: MAX_QUERIES, items: { maxLength: MAX_QUERY_LENGTH } },
  };
}
