/** Public surface of the Appwrite-compatibility library. */
export * from './errors/appwrite-exception';
export * from './dates';
export * from './ids';
export * from './php';
export * from './validation/rules';
export * from './validation/params';
export * from './queries/query-error';
export * from './queries/parse-query';
export {
  MAX_QUERIES,
  MAX_QUERY_LENGTH,
  RANGE_DESCRIPTION,
  checkQueryStrings,
  toQueryList,
  toNonNegativeInteger,
} from './queries/common';
export * from './queries/user-list-query';
export * from './queries/user-queries';
export * from './queries/log-queries';
export * as Rules from './validation/rules';
export * from './queries/collection-queries';
export * from './queries/team-queries';
export * from './queries/collection-filters';
export * from './queries/regex-syntax';
export * from './queries/total-param';
export * from './validation/list-rules';
export * from './formats/response-format';
export * from './formats/response-filters';
export * from './formats/error-formats';
export * from './queries/in-memory-list';
export * from './session-value';
export * from './code-point-order';
