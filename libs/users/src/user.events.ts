import type { EventSchema } from '@lib/event-sourcing';

/**
 * Events of the User aggregate: the public contract of this service. Names are past tense;
 * a schema change adds a version and an upcaster, it never changes what an emitted version means.
 * No event ever carries a plaintext password: only the stored hash and its options.
 */

export interface StoredPassword {
  /** The hash string as stored (PHC string, bcrypt string, hex digest, base64...). */
  password: string;
  /** Algorithm name as Appwrite reports it: argon2, bcrypt, md5, sha, phpass, scrypt, scryptMod. */
  hash: string;
  hashOptions: Record<string, unknown>;
}

export interface SessionDetails {
  sessionId: string;
  provider: string;
  providerUid: string;
  providerAccessToken: string;
  providerAccessTokenExpiry: string | null;
  providerRefreshToken: string;
  /** Expiry time, or null when sessions do not expire. */
  expire: string | null;
  ip: string;
  userAgent: string;
  /**
   * hex SHA-256 of the session secret (never the secret). Absent on sessions recorded before
   * logins existed: those authenticate nobody.
   */
  secretHash?: string;
  /** Authentication factors the session was made with (`password`, `server`, …). */
  factors?: string[];
}

/** Where a messaging target delivers: Appwrite's provider types. */
export type TargetProviderType = 'email' | 'sms' | 'push';

export interface TargetDetails {
  targetId: string;
  providerType: TargetProviderType;
  /** The address: an email, an E.164 phone or a push token. */
  identifier: string;
  providerId: string | null;
  name: string | null;
}

/**
 * Recovery codes sealed with the deployment's key (AES-256-GCM, base64 fields): Get MFA Recovery
 * Codes must show them again, and an event must never hold a secret in clear.
 */
export interface SealedSecret {
  alg: 'A256GCM';
  iv: string;
  data: string;
  tag: string;
}

export interface UserEventDataMap {
  UserCreated: {
    userId: string;
    name: string;
    email: string | null;
    phone: string | null;
    /** null: the user has no password; hash/hashOptions are still recorded (argon2 defaults). */
    password: string | null;
    hash: string;
    hashOptions: Record<string, unknown>;
  };
  UserNameChanged: { name: string };
  /** Also means the email is no longer verified. */
  UserEmailChanged: { email: string };
  /** Also means the phone is no longer verified. */
  UserPhoneChanged: { phone: string };
  UserPasswordChanged: StoredPassword;
  /** The same password stored again with the default algorithm after a login (not a password change: `passwordUpdate` stays). */
  UserPasswordRehashed: StoredPassword;
  UserStatusChanged: { status: boolean };
  UserEmailVerificationChanged: { emailVerification: boolean };
  UserPhoneVerificationChanged: { phoneVerification: boolean };
  UserPrefsReplaced: { prefs: Record<string, unknown> };
  SessionCreated: SessionDetails;
  SessionDeleted: { sessionId: string };
  /** A token for a custom login flow (Appwrite 1.5 `users.createToken`): only the secret's hex SHA-256 is kept. */
  TokenCreated: { tokenId: string; secretHash: string; expire: string };
  /** The whole label set after the change (de-duplicated, in the order given). */
  UserLabelsReplaced: { labels: string[] };
  UserMfaChanged: { mfa: boolean };
  UserImpersonatorChanged: { impersonator: boolean };
  /** `PATCH …/email` with "" (formats 1.5.0 and newer): the user has no email, hence no email target. */
  UserEmailRemoved: Record<string, never>;
  UserPhoneRemoved: Record<string, never>;
  /** Six codes, sealed; `regenerated` says they replace earlier ones. */
  MfaRecoveryCodesIssued: { codes: SealedSecret; regenerated: boolean };
  /** A messaging target of the user; the user's email and phone are targets too, made in step with them. */
  TargetCreated: TargetDetails;
  /** The target's fields after the change; a new identifier also means it is no longer expired. */
  TargetUpdated: TargetDetails;
  TargetDeleted: { targetId: string };
  /** The user made a request of their own (a session or JWT); recorded at most once a day, as Appwrite does. */
  UserAccessed: Record<string, never>;
  UserDeleted: Record<string, never>;
  /**
   * The user's data key was destroyed (after its deletion): every personal field of its earlier
   * events reads "[erased]" from now on. Holds no personal data, nor the request's ip or agent.
   */
  UserErased: Record<string, never>;
}

export type UserEventType = keyof UserEventDataMap;

/** A domain event as the decider sees it: its data plus when it happened. */
export type UserEvent = {
  [K in UserEventType]: { type: K; data: UserEventDataMap[K]; occurredAt: string };
}[UserEventType];

export const USER_EVENT_TYPES: readonly UserEventType[] = [
  'UserCreated',
  'UserNameChanged',
  'UserEmailChanged',
  'UserPhoneChanged',
  'UserPasswordChanged',
  'UserPasswordRehashed',
  'UserStatusChanged',
  'UserEmailVerificationChanged',
  'UserPhoneVerificationChanged',
  'UserPrefsReplaced',
  'SessionCreated',
  'SessionDeleted',
  'TokenCreated',
  'UserLabelsReplaced',
  'UserMfaChanged',
  'UserImpersonatorChanged',
  'UserEmailRemoved',
  'UserPhoneRemoved',
  'MfaRecoveryCodesIssued',
  'TargetCreated',
  'TargetUpdated',
  'TargetDeleted',
  'UserAccessed',
  'UserDeleted',
  'UserErased',
];

/** How user events are stored: every type at schema version 1 today; upcasters plug in here. */
export const USER_EVENT_SCHEMA: EventSchema<UserEvent> = { types: USER_EVENT_TYPES, schemaVersion: 1, upcasters: {} };
