/**
 * Rule violations of the Users domain. `type` is Appwrite's error type, which is the
 * vocabulary clients already know; the gateway adds the HTTP status and message.
 */
export type UserErrorType =
  | 'user_not_found'
  | 'user_already_exists'
  | 'user_email_already_exists'
  | 'user_phone_already_exists'
  | 'user_session_not_found'
  | 'user_recovery_codes_not_found'
  | 'user_recovery_codes_already_exists'
  | 'user_authenticator_not_found'
  | 'user_target_not_found'
  | 'user_target_already_exists'
  | 'user_identity_not_found'
  | 'user_passkey_not_found'
  | 'user_challenge_not_found'
  | 'general_invalid_email'
  | 'general_invalid_phone'
  | 'provider_not_found';

export class UserDomainError extends Error {
  constructor(readonly type: UserErrorType) {
    super(type);
    this.name = 'UserDomainError';
  }
}
