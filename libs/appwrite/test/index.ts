export * from './user-query-fixtures';
