/** Test support of the Teams context: domain events for decider specs, and the read models' contracts. */
export * from './team-events';
export * from './teams.contract';
export * from './memberships.contract';
