import type { UserEventDataMap, UserEventType } from '../src/user.events';

const PHC = '$argon2id$v=19$m=65536,t=4,p=3$c29tZXNhbHRzb21lc2FsdA$Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy';
const HASH_OPTIONS = { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 };

/** Values of the examples that specs look for. */
export const USER_EVENT_EXAMPLE_VALUES = { PHC } as const;

/** One realistic example of each user event's data (every required field). */
export const USER_EVENT_EXAMPLES: { readonly [K in UserEventType]: UserEventDataMap[K] } = {
  UserCreated: { userId: 'ada', name: 'Ada', email: 'ada@example.com', phone: null, password: PHC, hash: 'argon2', hashOptions: HASH_OPTIONS },
  UserNameChanged: { name: 'Ada Lovelace' },
  UserEmailChanged: { email: 'ada@lovelace.org' },
  UserPhoneChanged: { phone: '+4915112345678' },
  UserPasswordChanged: { password: PHC, hash: 'argon2', hashOptions: HASH_OPTIONS },
  UserPasswordRehashed: { password: PHC, hash: 'argon2', hashOptions: HASH_OPTIONS },
  UserStatusChanged: { status: false },
  UserEmailVerificationChanged: { emailVerification: true },
  UserPhoneVerificationChanged: { phoneVerification: true },
  UserPrefsReplaced: { prefs: { theme: 'dark', nested: { a: [1, 2] } } },
  SessionCreated: {
    sessionId: 's1',
    provider: 'github',
    providerUid: 'octo',
    providerAccessToken: 'gho_secretAccessToken',
    providerAccessTokenExpiry: '2030-01-01T00:00:00.000+00:00',
    providerRefreshToken: 'ghr_secretRefreshToken',
    expire: '2030-01-02T00:00:00.000+00:00',
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
  },
  SessionDeleted: { sessionId: 's1' },
  TokenCreated: { tokenId: 't1', secretHash: 'c0ffee00secretTokenHash', expire: '2030-01-01T00:15:00.000+00:00' },
  UserLabelsReplaced: { labels: ['vip', 'beta2'] },
  UserMfaChanged: { mfa: true },
  UserImpersonatorChanged: { impersonator: true },
  UserEmailRemoved: {},
  UserPhoneRemoved: {},
  MfaRecoveryCodesIssued: { codes: { alg: 'A256GCM', iv: 'c2VhbGVkSXY=', data: 'c2VhbGVkUmVjb3ZlcnlDb2Rlcw==', tag: 'c2VhbGVkVGFn' }, regenerated: false },
  TargetCreated: { targetId: 'tg1', providerType: 'email', identifier: 'ada@example.com', providerId: null, name: null },
  TargetUpdated: { targetId: 'tg1', providerType: 'sms', identifier: '+4915112345678', providerId: 'p1', name: 'Phone' },
  TargetDeleted: { targetId: 'tg1' },
  UserAccessed: {},
  UserDeleted: {},
  UserErased: {},
};

