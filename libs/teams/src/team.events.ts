import type { EventSchema } from '@lib/event-sourcing';

/**
 * Events of the Team aggregate (stream `team-<project>:<teamId>`): part of the public contract.
 * Past tense; a schema change adds a version and an upcaster, never a new meaning.
 */
export interface TeamEventDataMap {
  TeamCreated: { teamId: string; name: string };
  TeamRenamed: { name: string };
  TeamPrefsReplaced: { prefs: Record<string, unknown> };
  /** The team's memberships end with it (projections and membership liveness follow it). */
  TeamDeleted: Record<string, never>;
}

export type TeamEventType = keyof TeamEventDataMap;

export type TeamEvent = {
  [K in TeamEventType]: { type: K; data: TeamEventDataMap[K]; occurredAt: string };
}[TeamEventType];

export const TEAM_EVENT_TYPES: readonly TeamEventType[] = ['TeamCreated', 'TeamRenamed', 'TeamPrefsReplaced', 'TeamDeleted'];

/** Every type at schema version 1 today; upcasters plug in here. */
export const TEAM_EVENT_SCHEMA: EventSchema<TeamEvent> = { types: TEAM_EVENT_TYPES, schemaVersion: 1, upcasters: {} };
