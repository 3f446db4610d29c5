import type { TeamListQuery } from '@lib/appwrite';
import type { ListResult } from '@lib/read-models';

/** A team as the teams read model keeps it. */
export interface TeamRecord {
  projectId: string;
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  prefs: Record<string, unknown>;
  /** Confirmed memberships whose user is alive. */
  total: number;
  /** Sort key of the TeamCreated event: insertion order, the tie-breaker of every order. */
  sequence: string;
}

/**
 * What the teams projection asks its storage to do. Besides the teams, the storage keeps the
 * members it counts and the ids of live users: a membership only counts if, at its place in the
 * log, its team and its user are alive (the same rule as liveness.ts), and it stops counting
 * when either is deleted. A count that changes moves the team's `$updatedAt`, as in Appwrite.
 */
export type TeamsChange =
  | { kind: 'team.put'; team: TeamRecord }
  | { kind: 'team.patch'; projectId: string; teamId: string; patch: { name?: string; prefs?: Record<string, unknown>; updatedAt: string } }
  | { kind: 'team.delete'; projectId: string; teamId: string }
  | { kind: 'member.add'; projectId: string; membershipId: string; teamId: string; userId: string; confirm: boolean; at: string }
  | { kind: 'member.remove'; projectId: string; membershipId: string; at: string }
  | { kind: 'user.alive'; projectId: string; userId: string }
  | { kind: 'user.gone'; projectId: string; userId: string; at: string };

export const TEAMS_CHANGE_KINDS: ReadonlySet<string> = new Set<TeamsChange['kind']>(['team.put', 'team.patch', 'team.delete', 'member.add', 'member.remove', 'user.alive', 'user.gone']);

/** The teams of every project, as Get Team, Get Team Preferences and List Teams read them. */
export abstract class TeamDirectory {
  abstract get(projectId: string, teamId: string): Promise<TeamRecord | null>;
  /** A validated List Teams query; `total` ignores limit, offset and cursor, capped at 5000. The cursor team must exist (caller checks). */
  abstract list(projectId: string, query: TeamListQuery): Promise<ListResult<TeamRecord>>;
}
