export * from './event-store.port';
export * from './sqlite/sqlite-event-store';
export * from './sqlite/wal-checkpointer';
export * from './recent-cache';
export * from './time-ordered-id';

/** The EventStoreDB adapter, loaded only when selected (its gRPC client is heavy). */
export function openEventStoreDb(connection: string | import('./eventstoredb/eventstoredb-event-store').EventStoreDbClientLike): import('./event-store.port').EventStore {
  const { EventStoreDbEventStore } = require('./eventstoredb/eventstoredb-event-store') as typeof import('./eventstoredb/eventstoredb-event-store');
  return new EventStoreDbEventStore(connection);
}
