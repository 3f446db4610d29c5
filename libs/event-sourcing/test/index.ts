export * from './decider-spec';
export * from './recorded-events';
export * from './projection-spec';
