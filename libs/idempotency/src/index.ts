/** Idempotent requests: the store of keys and answers (port, SQLite and MongoDB adapters) and what is derived from a key. */
export * from './idempotency-store.port';
export * from './idempotency-key';
export { SqliteIdempotencyStore } from './sqlite/sqlite-idempotency-store';
export { MongoIdempotencyStore } from './mongodb/mongodb-idempotency-store';
