/**
 * Validation of List User Logs queries (queries.md §7): only `limit` and `offset`, in either
 * syntax, with the same range rules as List Users but a default limit of 5000.
 */
import { Rule } from '../validation/rules';
import {
  asInvalidQueries,
  methodNotValid,
  parseQueryElement,
  queriesRule,
  queryNotValid,
  RANGE_DESCRIPTION,
  toNonNegativeInteger,
  toQueryList,
} from './common';

export const DEFAULT_LOG_LIST_LIMIT = 5000;

export interface LogListQuery {
  limit: number;
  offset: number;
}

function buildLogListQuery(queries: unknown): LogListQuery {
  let limit: number | undefined;
  let offset: number | undefined;
  for (const element of toQueryList(queries)) {
    const q = parseQueryElement(element);
    if (q.method !== 'limit' && q.method !== 'offset') methodNotValid(q.method);
    const n = toNonNegativeInteger(q.values[0]);
    if (n === null) queryNotValid(`Invalid ${q.method}: ${RANGE_DESCRIPTION}`);
    // First one wins; later ones are still validated.
    if (q.method === 'limit') limit ??= n;
    else offset ??= n;
  }
  return { limit: limit ?? DEFAULT_LOG_LIST_LIMIT, offset: offset ?? 0 };
}

/** Throws 400 `general_argument_invalid` (`Invalid queries: …`) on any invalid query. */
export function validateLogQueries(queries: unknown): LogListQuery {
  return asInvalidQueries(() => buildLogListQuery(queries));
}

/** Param-rule form, so `queries` is checked in parameter order; its value is the LogListQuery. */
export const LogQueries: Rule = queriesRule(buildLogListQuery);
