export * from './fake-eventstoredb-client';
export * from './event-store.contract';
