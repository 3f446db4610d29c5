export * from './publisher-fixtures';
export * from './json-schema-lite';
