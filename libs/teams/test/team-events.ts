import { TeamDomainError, TeamErrorType } from '../src/teams.errors';
import type { TeamEvent } from '../src/team.events';
import type { MembershipEvent } from '../src/membership.events';

/** Domain events for the Teams deciders' given/when/then specs. */
export const T0 = '2024-01-01T00:00:00.000+00:00';
export const T_WHEN = '2024-02-01T00:00:00.000+00:00';

export const teamCreated = (teamId = 't1', name = 'Team', at = T0): TeamEvent => ({ type: 'TeamCreated', occurredAt: at, data: { teamId, name } });
export const teamDeleted = (at = T0): TeamEvent => ({ type: 'TeamDeleted', occurredAt: at, data: {} });
export const membershipCreated = (membershipId = 'm1', teamId = 't1', userId = 'u1', roles = ['owner'], at = T0): MembershipEvent => ({
  type: 'MembershipCreated',
  occurredAt: at,
  data: { membershipId, teamId, userId, roles, confirm: true },
});
export const membershipDeleted = (at = T0): MembershipEvent => ({ type: 'MembershipDeleted', occurredAt: at, data: {} });

export const isTeamError = (type: TeamErrorType) => (err: unknown) => err instanceof TeamDomainError && err.type === type;
