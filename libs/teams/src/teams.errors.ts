/**
 * Rule violations of the Teams domain, by Appwrite's error type; `detail` is the message Appwrite
 * 1.3.8 gives instead of the type's default, when it gives one.
 */
export type TeamErrorType =
  | 'team_not_found'
  | 'team_already_exists'
  | 'team_invite_already_exists'
  | 'team_invite_not_found'
  | 'team_membership_mismatch'
  | 'membership_not_found'
  | 'user_not_found'
  | 'user_already_exists'
  | 'general_argument_invalid';

export class TeamDomainError extends Error {
  constructor(
    readonly type: TeamErrorType,
    readonly detail?: string,
  ) {
    super(detail ?? type);
    this.name = 'TeamDomainError';
  }
}
