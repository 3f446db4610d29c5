/** Test support of the Users context: record builders, the reference List Users, and the read models' contracts. */
export * from './user-fixtures';
export * from './reference-user-list';
export { ALL, LIST_PROJECT, listFixture } from './user-list.fixture';
export * from './user-directory.contract';
export * from './sessions.contract';
export * from './logs.contract';
export * from './user-events';
export * from './user-history';
export * from './user-event-examples';
