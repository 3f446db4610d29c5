/** The Teams context: the Team and Membership aggregates, their use cases, read models and HTTP registration. */
export * from './team';
export * from './team.events';
export * from './membership';
export * from './membership.events';
export * from './teams.errors';
export { membershipClaimStreamId } from './membership-claims/membership-claim';
export { membershipStatus, type MembershipStatus } from './liveness';
export { TeamsModule, TEAMS_ENDPOINTS } from './teams.module';
export { teamsErrorMapper, TEAMS_RESPONSE_SCHEMAS, TEAMS_SCOPES } from './teams.http';
export { TEAMS_BODY_ALLOWANCES } from './teams.body-limits';
export { TEAMS_SLICES } from './teams.slices';
export { TeamDirectory, type TeamRecord } from './team-directory/teams.port';
export { MembershipDirectory, type MembershipRecord, type MembershipView } from './membership-directory/memberships.port';
export { TEAMS } from './team-directory/teams.read-model';
export { MEMBERSHIPS } from './membership-directory/memberships.read-model';

import { MEMBERSHIPS } from './membership-directory/memberships.read-model';
import { TEAMS } from './team-directory/teams.read-model';

/** The read models of the Teams context. */
export const TEAMS_READ_MODELS = [TEAMS, MEMBERSHIPS];

import type { HttpContext } from '@lib/http';
import { TEAMS_BODY_ALLOWANCES } from './teams.body-limits';
import { teamsErrorMapper, TEAMS_RESPONSE_SCHEMAS } from './teams.http';
import { TEAMS_ENDPOINTS, TeamsModule } from './teams.module';

/** The Teams context as the gateway mounts it. */
export const TEAMS_CONTEXT: HttpContext = { name: 'teams', module: TeamsModule, endpoints: TEAMS_ENDPOINTS, schemas: TEAMS_RESPONSE_SCHEMAS, bodyAllowances: TEAMS_BODY_ALLOWANCES, errorMapper: teamsErrorMapper };
