/**
 * Personal data in the event log, and its erasure (crypto-shredding): per-person data keys in
 * their own store, wrapped by the master key; an event-store decorator that seals the personal
 * fields of every event on append and opens them on every read, "[erased]" once the key is gone.
 */
export * from './sealing';
export * from './master-key';
export * from './data-key-store.port';
export * from './data-keys';
export * from './personal-data-policy';
export * from './personal-data-event-store';
export * from './log-sealing';
export * from './sqlite/sqlite-data-key-store';
export * from './mongodb/mongodb-data-key-store';
