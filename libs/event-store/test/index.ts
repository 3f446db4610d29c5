export * from './fake-eventstoredb-client';
export * from './event-store.contract';
export * from './scan-files';
