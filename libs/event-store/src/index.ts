export * from './event-store.port';
export * from './sqlite/sqlite-event-store';

/** The EventStoreDB adapter, loaded only when selected (its gRPC client is heavy). */
export function openEventStoreDb(connectionString: string): import('./event-store.port').EventStore {
  const { EventStoreDbEventStore } = require('./eventstoredb/eventstoredb-event-store') as typeof import('./eventstoredb/eventstoredb-event-store');
  return new EventStoreDbEventStore(connectionString);
}
