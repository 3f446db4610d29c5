import { Aggregate, parseStreamName, streamName } from '@lib/event-sourcing';
import { TeamDomainError } from './teams.errors';
import { TEAM_EVENT_SCHEMA, TeamEvent } from './team.events';

export interface TeamFields {
  id: string;
  createdAt: string;
  updatedAt: string;
  name: string;
  prefs: Record<string, unknown>;
}

/** Everything the aggregate knows about one team id (across deletions and re-creations). */
export interface TeamState {
  lifecycle: 'absent' | 'active' | 'deleted';
  team: TeamFields | null;
}

export const teamStreamId = (projectId: string, teamId: string) => streamName('team', projectId, teamId);

export function parseTeamStreamId(streamId: string): { projectId: string; teamId: string } | null {
  const parts = parseStreamName('team', streamId, 2);
  return parts ? { projectId: parts[0], teamId: parts[1] } : null;
}

export const initialTeamState = (): TeamState => ({ lifecycle: 'absent', team: null });

export function requireActiveTeam(state: TeamState): TeamFields {
  if (state.lifecycle !== 'active' || !state.team) throw new TeamDomainError('team_not_found');
  return state.team;
}

export function evolveTeam(state: TeamState, event: TeamEvent): TeamState {
  const at = event.occurredAt;
  switch (event.type) {
    case 'TeamCreated':
      return { lifecycle: 'active', team: { id: event.data.teamId, createdAt: at, updatedAt: at, name: event.data.name, prefs: {} } };
    case 'TeamRenamed':
      return state.team ? { ...state, team: { ...state.team, name: event.data.name, updatedAt: at } } : state;
    case 'TeamPrefsReplaced':
      return state.team ? { ...state, team: { ...state.team, prefs: event.data.prefs, updatedAt: at } } : state;
    case 'TeamDeleted':
      return { lifecycle: 'deleted', team: null };
  }
}

/** The Team aggregate for one use case: its decide over the shared state and events. */
export function teamAggregate<C>(decide: (command: C, state: TeamState) => TeamEvent[]): Aggregate<C, TeamEvent, TeamState> {
  return { decider: { decide, evolve: evolveTeam, initialState: initialTeamState }, schema: TEAM_EVENT_SCHEMA };
}

export const TEAM_STREAM = teamAggregate<never>(() => []);
