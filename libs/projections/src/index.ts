export * from './projection';
export * from './projection-runner';
export * from './checkpoint-projection-sync';
export * from './projection-rebuilder';
