/** Plumbing every read model shares: checkpoints, idempotency by revision, rebuilds, per adapter. */
export * from './read-model';
export * from './positions';
export * from './projection-runner';
export * from './projection-rebuilder';
export * from './checkpoint-projection-sync';
export * from './sqlite/sqlite-storage';
export * from './sqlite/sqlite-read-models';
export * from './mongodb/mongodb-storage';
export * from './mongodb/mongodb-read-models';
export * from './read-model-definition';
export * from './sqlite/statement-cache';
export * from './prefix-upper-bound';
export * from './sqlite/sqlite-list-query';
export * from './sqlite/sqlite-regex';
export * from './mongodb/mongodb-list-query';
export * from './mongodb/mongodb-list-run';
