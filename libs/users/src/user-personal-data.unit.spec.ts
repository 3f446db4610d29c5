import { USER_EVENT_EXAMPLES } from '@lib/users/testing';
import { userStreamId } from './user';
import { USER_EVENT_TYPES, type UserEventType } from './user.events';
import { USER_PERSONAL_DATA, USER_PERSONAL_FIELDS } from './user-personal-data';

/**
 * Every field of every user event is either personal (USER_PERSONAL_FIELDS: sealed with the
 * user's key) or named here as not personal, with the reason. A new event type, or a new field
 * of one (its example must then have it), fails this spec until it is classified.
 */
const NOT_PERSONAL: { readonly [K in UserEventType]: Readonly<Record<string, string>> } = {
  UserCreated: { userId: 'the id: stays, so that the erased stream can be told apart', hash: 'the algorithm name', hashOptions: 'algorithm parameters' },
  UserNameChanged: {},
  UserEmailChanged: {},
  UserPhoneChanged: {},
  UserPasswordChanged: { hash: 'the algorithm name', hashOptions: 'algorithm parameters' },
  UserPasswordRehashed: { hash: 'the algorithm name', hashOptions: 'algorithm parameters' },
  UserStatusChanged: { status: 'a flag' },
  UserEmailVerificationChanged: { emailVerification: 'a flag' },
  UserPhoneVerificationChanged: { phoneVerification: 'a flag' },
  UserPrefsReplaced: {},
  SessionCreated: {
    sessionId: 'a random id',
    provider: 'the provider name (email, server, …)',
    providerAccessTokenExpiry: 'a date',
    expire: 'a date',
    secretHash: 'a hash of a random secret, not of anything about the person',
    factors: 'factor names (password, server, …)',
  },
  SessionDeleted: { sessionId: 'a random id' },
  TokenCreated: { tokenId: 'a random id', secretHash: 'a hash of a random secret', expire: 'a date' },
  UserLabelsReplaced: { labels: 'roles the project gives (at most 36 letters and digits each), read by its access rules; not a person\'s data' },
  UserMfaChanged: { mfa: 'a flag' },
  UserImpersonatorChanged: { impersonator: 'a flag' },
  UserEmailRemoved: {},
  UserPhoneRemoved: {},
  MfaRecoveryCodesIssued: { regenerated: 'a flag' },
  TargetCreated: { targetId: 'a random id', providerType: 'email, sms or push', providerId: 'a provider id of the project' },
  TargetUpdated: { targetId: 'a random id', providerType: 'email, sms or push', providerId: 'a provider id of the project' },
  TargetDeleted: { targetId: 'a random id' },
  UserAccessed: {},
  UserDeleted: {},
  UserErased: {},
};

/** Optional fields the examples (which hold every required one) leave out. */
const OPTIONAL_FIELDS: Partial<Record<UserEventType, string[]>> = { SessionCreated: ['secretHash', 'factors'] };

describe('the personal fields of user events', () => {
  it.each(USER_EVENT_TYPES.map((t) => [t] as const))('%s: every field is either personal or named as not personal, never both', (type) => {
    const fields = [...Object.keys(USER_EVENT_EXAMPLES[type]), ...(OPTIONAL_FIELDS[type] ?? [])].sort();
    const personal: readonly string[] = USER_PERSONAL_FIELDS[type];
    const notPersonal = Object.keys(NOT_PERSONAL[type]);
    expect(personal.filter((f) => notPersonal.includes(f))).toEqual([]);
    expect([...personal, ...notPersonal].sort()).toEqual(fields);
  });

  it('lists exactly the user event types', () => {
    expect(Object.keys(USER_PERSONAL_FIELDS).sort()).toEqual([...USER_EVENT_TYPES].sort());
  });

  it('holds the email, phone, name, prefs, password hash, session client and provider identity, and target addresses', () => {
    expect(USER_PERSONAL_FIELDS.UserCreated).toEqual(expect.arrayContaining(['email', 'phone', 'name', 'password']));
    expect(USER_PERSONAL_FIELDS.UserPrefsReplaced).toEqual(['prefs']);
    expect(USER_PERSONAL_FIELDS.SessionCreated).toEqual(expect.arrayContaining(['ip', 'userAgent', 'providerUid', 'providerAccessToken', 'providerRefreshToken']));
    expect(USER_PERSONAL_FIELDS.TargetUpdated).toEqual(expect.arrayContaining(['identifier', 'name']));
  });

  it('seals a user stream with its own key, nothing else, and never the erasure event', () => {
    expect(USER_PERSONAL_DATA.subjectOf(userStreamId('p', 'ada'))).toBe(userStreamId('p', 'ada'));
    expect(USER_PERSONAL_DATA.subjectOf('unique-p:email:abc')).toBeNull();
    expect(USER_PERSONAL_DATA.subjectOf('project-p')).toBeNull();
    expect(USER_PERSONAL_DATA.isErasure('UserErased')).toBe(true);
    expect(USER_PERSONAL_DATA.isErasure('UserDeleted')).toBe(false);
    expect(USER_PERSONAL_DATA.fieldsOf('SomethingNew')).toEqual([]);
    expect(USER_PERSONAL_DATA.fieldsOf('constructor')).toEqual([]);
  });
});
