/** Test support of the read-model plumbing: the store contract, its test read model, and per-adapter stores for specs. */
export * from './test-stores';
export * from './mongodb-test-env';
export * from './notes.read-model';
export * from './read-model-store.contract';
