export * from './read-store.port';
export * from './positions';
export * from './search/search-plan';
export * from './sqlite/sqlite-read-store';
