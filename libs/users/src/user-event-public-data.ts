import type { UserEvent, UserEventDataMap, UserEventType } from './user.events';

/**
 * The public view of a user event's data: what the history endpoint answers and what downstream
 * consumers receive (libs/messaging). Every field of every event type is classified here, and the
 * table's type requires each one (a new event type or field does not compile until it is), so
 * nothing is shown by default; a field stored in data but unknown to the table is never shown.
 *
 * Withheld: the stored password hash (`password`), the algorithm and its options (`hash`,
 * `hashOptions`: salts, scrypt signer keys), session and token secret hashes (`secretHash`), a
 * session's provider access and refresh tokens, and the recovery codes (sealed or not). Also
 * withheld, though no secret: a session's `factors`, which the published schemas (v1) lack.
 */
export type FieldVisibility = 'public' | 'withheld';

type Classified<Data> = { readonly [Field in keyof Required<Data>]: FieldVisibility };

export const USER_EVENT_FIELDS: { readonly [Type in UserEventType]: Classified<UserEventDataMap[Type]> } = {
  UserCreated: { userId: 'public', name: 'public', email: 'public', phone: 'public', password: 'withheld', hash: 'withheld', hashOptions: 'withheld' },
  UserNameChanged: { name: 'public' },
  UserEmailChanged: { email: 'public' },
  UserPhoneChanged: { phone: 'public' },
  UserPasswordChanged: { password: 'withheld', hash: 'withheld', hashOptions: 'withheld' },
  UserPasswordRehashed: { password: 'withheld', hash: 'withheld', hashOptions: 'withheld' },
  UserStatusChanged: { status: 'public' },
  UserEmailVerificationChanged: { emailVerification: 'public' },
  UserPhoneVerificationChanged: { phoneVerification: 'public' },
  UserPrefsReplaced: { prefs: 'public' },
  SessionCreated: {
    sessionId: 'public',
    provider: 'public',
    providerUid: 'public',
    providerAccessToken: 'withheld',
    providerAccessTokenExpiry: 'public',
    providerRefreshToken: 'withheld',
    expire: 'public',
    ip: 'public',
    userAgent: 'public',
    secretHash: 'withheld',
    factors: 'withheld',
  },
  SessionDeleted: { sessionId: 'public' },
  TokenCreated: { tokenId: 'public', secretHash: 'withheld', expire: 'public' },
  UserLabelsReplaced: { labels: 'public' },
  UserMfaChanged: { mfa: 'public' },
  UserImpersonatorChanged: { impersonator: 'public' },
  UserEmailRemoved: {},
  UserPhoneRemoved: {},
  MfaRecoveryCodesIssued: { codes: 'withheld', regenerated: 'public' },
  TargetCreated: { targetId: 'public', providerType: 'public', identifier: 'public', providerId: 'public', name: 'public' },
  TargetUpdated: { targetId: 'public', providerType: 'public', identifier: 'public', providerId: 'public', name: 'public' },
  TargetDeleted: { targetId: 'public' },
  UserAccessed: {},
  UserDeleted: {},
  UserErased: {},
};

/** The public fields of an event's data, in the table's order. */
export function publicEventData(event: UserEvent): Record<string, unknown> {
  const data = event.data as Record<string, unknown>;
  const fields = USER_EVENT_FIELDS[event.type] as Readonly<Record<string, FieldVisibility>>;
  const shown: Record<string, unknown> = {};
  for (const [field, visibility] of Object.entries(fields)) if (visibility === 'public' && field in data) shown[field] = data[field];
  return shown;
}
