import { DEFAULT_ARGON2_PARAMS, DEFAULT_HASH_ALGORITHM } from '@lib/passwords';
import { userAggregate, UserState, type SessionDetails, type StoredPassword, type UserEvent } from '@lib/users';

/** Appwrite's default session length (`Auth::TOKEN_EXPIRATION_LOGIN_LONG`): one year. */
export const SESSION_LENGTH_SECONDS = 31_536_000;

/** Why a login was refused: the Appwrite error, and for the server's log only, the cause. */
export type LoginFailure = 'unknown_email' | 'no_password' | 'wrong_password' | 'changed_meanwhile' | 'blocked';

export class LoginRefusedError extends Error {
  readonly type: 'user_invalid_credentials' | 'user_blocked';
  constructor(readonly reason: LoginFailure) {
    super(reason);
    this.name = 'LoginRefusedError';
    this.type = reason === 'blocked' ? 'user_blocked' : 'user_invalid_credentials';
  }
}

/**
 * Verified when the email is unknown or the user has no password, so that every refusal costs one
 * default Argon2id verification (m=65536, t=4, p=3) like a real user's. Its password is random
 * and was thrown away: nothing verifies against it.
 */
export const DUMMY_STORED_PASSWORD = Object.freeze({
  password: '$argon2id$v=19$m=65536,t=4,p=3$iB0DbBqUMLZGXjG1Q8J1dA$rV/rLTSj8ENJfPkpd/CrDlWVUuB7N/eFhCvEcdxmNss',
  hash: DEFAULT_HASH_ALGORITHM,
  hashOptions: Object.freeze({ type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 }) as Record<string, unknown>,
});

const DEFAULT_PHC_PREFIX = `$argon2id$v=19$m=${DEFAULT_ARGON2_PARAMS.memoryCost},t=${DEFAULT_ARGON2_PARAMS.timeCost},p=${DEFAULT_ARGON2_PARAMS.parallelism}$`;

/**
 * Whether a verified password should be stored again with our default: every hash but an
 * Argon2id PHC string with the default parameters. (Appwrite 1.3.8 re-hashes only when `hash` is
 * not `argon2`; we also upgrade argon2 imports with weaker parameters and bcrypt strings stored
 * under `argon2`.)
 */
export function needsRehash(stored: { password: string | null; hash: string }): boolean {
  if (stored.password === null) return false;
  return stored.hash !== DEFAULT_HASH_ALGORITHM || !stored.password.startsWith(DEFAULT_PHC_PREFIX);
}

/** A login whose password was verified against `verifiedPassword`: what to record. */
export interface EmailLogin {
  email: string;
  /** The stored hash string the password was checked against. */
  verifiedPassword: string;
  /** The user's `passwordUpdate` then: a re-hash keeps it, a real password change does not. */
  verifiedPasswordUpdate: string | null;
  session: SessionDetails;
  /** The new default hash of the password, when it is re-hashed on this login. */
  rehashed: StoredPassword | null;
  at: string;
}

/**
 * Pure: the session (and the re-hash) of a verified login. The user is read again here, at the
 * revision that is appended to: a user deleted, blocked, re-addressed or given a new password
 * since the password was checked is refused, never logged in on stale facts. A hash that only
 * changed by a re-hash (a concurrent login of the same user: `passwordUpdate` unchanged) is the
 * same password: the login stands, and the other login's re-hash is kept.
 */
export function decideEmailLogin({ email, verifiedPassword, verifiedPasswordUpdate, session, rehashed, at }: EmailLogin, state: UserState): UserEvent[] {
  const user = state.lifecycle === 'active' ? state.user : null;
  if (!user || user.email !== email || user.password === null || user.passwordUpdate !== verifiedPasswordUpdate) throw new LoginRefusedError('changed_meanwhile');
  if (!user.status) throw new LoginRefusedError('blocked');
  const events: UserEvent[] = [];
  if (rehashed && user.password === verifiedPassword) events.push({ type: 'UserPasswordRehashed', occurredAt: at, data: { ...rehashed } });
  events.push({ type: 'SessionCreated', occurredAt: at, data: session });
  return events;
}

export const EMAIL_LOGIN = userAggregate(decideEmailLogin);
