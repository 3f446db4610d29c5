import { AppwriteException } from '@lib/appwrite';
import { ErrorMapper, schema } from '@lib/http';
import { MembershipClaimTakenError } from './membership-claims/membership-claim';
import { TeamDomainError } from './teams.errors';

/** Teams' rule violations carry Appwrite's error type (and, where 1.3.8 has one, its message). */
export const teamsErrorMapper: ErrorMapper = (error) => {
  if (error instanceof TeamDomainError) return new AppwriteException(error.type, error.detail);
  if (error instanceof MembershipClaimTakenError) return new AppwriteException('team_invite_already_exists');
  return null;
};

const { str, date, bool, int, obj, list } = schema;

/** The response models of the Teams API (Team, Membership and their lists) in the newest format, as OpenAPI schemas. */
export const TEAMS_RESPONSE_SCHEMAS: Record<string, unknown> = {
  team: obj({ $id: str, $createdAt: date, $updatedAt: date, name: str, total: int, prefs: { $ref: '#/components/schemas/preferences' } }),
  teamList: list('teams', 'team'),
  membership: obj({
    $id: str, $createdAt: date, $updatedAt: date, userId: str, userName: str, userEmail: str, userPhone: str, teamId: str, teamName: str,
    invited: date, joined: date, confirm: bool, mfa: bool, userAccessedAt: date, roles: { type: 'array', items: str },
  }),
  membershipList: list('memberships', 'membership'),
  preferences: { type: 'object', additionalProperties: true },
};

/** API-key scopes of the Teams API. */
export const TEAMS_SCOPES = ['teams.read', 'teams.write'] as const;
