/** The event-sourcing kernel: deciders, the one command handler, stream names, event schemas. No framework. */
export * from './decider';
export * from './streams';
export * from './event-schema';
export * from './projection-sync';
export * from './command-context';
export * from './revision-precondition';
export * from './handle-command';
