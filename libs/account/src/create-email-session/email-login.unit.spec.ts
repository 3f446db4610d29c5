import { sessionCreated, T_GIVEN, T_WHEN, userCreated, userDeleted, userSpec } from '@lib/users/testing';
import type { SessionDetails, UserEvent } from '@lib/users';
import { decideEmailLogin, DUMMY_STORED_PASSWORD, EmailLogin, LoginRefusedError, needsRehash } from './email-login';

const PHC = '$argon2id$v=19$m=65536,t=4,p=3$c2FsdA$aGFzaA';
const BCRYPT = '$2y$10$abcdefghijklmnopqrstuu5Xv3OQ1i1jnd3T7G1Q/1o2DeYHgtHx6';
const NEW_HASH = { password: '$argon2id$v=19$m=65536,t=4,p=3$bmV3$bmV3aGFzaA', hash: 'argon2', hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 } };

const session: SessionDetails = {
  sessionId: 's1',
  provider: 'email',
  providerUid: 'ann@x.io',
  providerAccessToken: '',
  providerAccessTokenExpiry: null,
  providerRefreshToken: '',
  expire: '2025-01-01T00:00:01.000+00:00',
  ip: '8.8.8.8',
  userAgent: 'jest',
  secretHash: 'a'.repeat(64),
  factors: ['password'],
};
const login = (over: Partial<EmailLogin> = {}): EmailLogin => ({ email: 'ann@x.io', verifiedPassword: PHC, verifiedPasswordUpdate: T_GIVEN, session, rehashed: null, at: T_WHEN, ...over });
const refused = (reason: string, type = 'user_invalid_credentials') => (e: unknown) => e instanceof LoginRefusedError && e.reason === reason && e.type === type;
const spec = userSpec(decideEmailLogin);
const created = (over = {}) => userCreated({ password: PHC, ...over });
const blocked: UserEvent = { type: 'UserStatusChanged', occurredAt: T_GIVEN, data: { status: false } };

describe('email login (decide)', () => {
  it('records the session of a verified login', () => spec.given([created()]).when(login()).then([{ type: 'SessionCreated', occurredAt: T_WHEN, data: session }]));

  it('records the re-hash before the session when the password is stored again', () =>
    spec.given([created({ password: BCRYPT, hash: 'bcrypt', hashOptions: { type: 'bcrypt' } })])
      .when(login({ verifiedPassword: BCRYPT, rehashed: NEW_HASH }))
      .then([
        { type: 'UserPasswordRehashed', occurredAt: T_WHEN, data: NEW_HASH },
        { type: 'SessionCreated', occurredAt: T_WHEN, data: session },
      ]));

  it('stands when a concurrent login re-hashed the same password meanwhile, and keeps that re-hash', () =>
    spec.given([created({ password: BCRYPT, hash: 'bcrypt', hashOptions: { type: 'bcrypt' } }), { type: 'UserPasswordRehashed', occurredAt: T_WHEN, data: { ...NEW_HASH, password: PHC } }])
      .when(login({ verifiedPassword: BCRYPT, rehashed: NEW_HASH }))
      .then([{ type: 'SessionCreated', occurredAt: T_WHEN, data: session }]));

  it('refuses a blocked user with user_blocked', () => spec.given([created(), blocked]).when(login()).thenThrows(refused('blocked', 'user_blocked')));

  it('refuses, as invalid credentials, a user that changed since the password was checked', () => {
    spec.given([]).when(login()).thenThrows(refused('changed_meanwhile'));
    spec.given([created(), userDeleted()]).when(login()).thenThrows(refused('changed_meanwhile'));
    spec.given([created(), { type: 'UserPasswordChanged', occurredAt: T_WHEN, data: NEW_HASH }]).when(login()).thenThrows(refused('changed_meanwhile'));
    // Changed back to the very same hash string is still a password change.
    spec.given([created(), { type: 'UserPasswordChanged', occurredAt: T_WHEN, data: { password: PHC, hash: 'argon2', hashOptions: {} } }]).when(login()).thenThrows(refused('changed_meanwhile'));
    spec.given([created(), { type: 'UserEmailChanged', occurredAt: T_GIVEN, data: { email: 'new@x.io' } }]).when(login()).thenThrows(refused('changed_meanwhile'));
  });

  it('does not mind the user’s other sessions', () => spec.given([created(), sessionCreated('s0')]).when(login()).then([{ type: 'SessionCreated', occurredAt: T_WHEN, data: session }]));
});

describe('needsRehash', () => {
  it('keeps an Argon2id hash with the default parameters', () => {
    expect(needsRehash({ password: PHC, hash: 'argon2' })).toBe(false);
    expect(needsRehash(DUMMY_STORED_PASSWORD)).toBe(false);
  });

  it('re-hashes every other algorithm, weaker argon2 parameters and bcrypt strings stored as argon2', () => {
    for (const hash of ['bcrypt', 'md5', 'sha', 'phpass', 'scrypt', 'scryptMod']) expect(needsRehash({ password: 'x', hash })).toBe(true);
    expect(needsRehash({ password: '$argon2i$v=19$m=65536,t=4,p=3$c2FsdA$aGFzaA', hash: 'argon2' })).toBe(true);
    expect(needsRehash({ password: '$argon2id$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA', hash: 'argon2' })).toBe(true);
    expect(needsRehash({ password: BCRYPT, hash: 'argon2' })).toBe(true);
  });

  it('has nothing to re-hash without a password', () => expect(needsRehash({ password: null, hash: 'argon2' })).toBe(false));
});
