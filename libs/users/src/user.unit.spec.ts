import { deciderSpec } from './shared/decider.testing';
import { UserCommand, userDecider, foldUser } from './user';
import { UserDomainError } from './user.errors';
import { UserEvent } from './user.events';

const spec = deciderSpec(userDecider);
const T0 = '2024-01-01T00:00:00.000+00:00';
const T1 = '2024-01-01T00:00:01.000+00:00';
const ARGON = { hash: 'argon2', hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 } };
const PHC = '$argon2id$v=19$m=65536,t=4,p=3$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';

const create = (over: Partial<Extract<UserCommand, { type: 'CreateUser' }>['data']> = {}): UserCommand => ({
  type: 'CreateUser',
  data: { userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: null, password: { password: PHC, ...ARGON }, defaultHash: ARGON, at: T0, ...over },
});
const created = (over: Partial<Extract<UserEvent, { type: 'UserCreated' }>['data']> = {}): UserEvent => ({
  type: 'UserCreated',
  occurredAt: T0,
  data: { userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: null, password: PHC, ...ARGON, ...over },
});
const isError = (type: string) => (e: unknown) => e instanceof UserDomainError && e.type === type;
const session = (sessionId: string): UserEvent => ({
  type: 'SessionCreated',
  occurredAt: T0,
  data: {
    sessionId,
    provider: 'email',
    providerUid: 'ann@x.io',
    providerAccessToken: '',
    providerAccessTokenExpiry: null,
    providerRefreshToken: '',
    expire: null,
    ip: '127.0.0.1',
    userAgent: 'jest',
  },
});

describe('User decider', () => {
  describe('CreateUser', () => {
    it('creates a user with its stored password hash', () => spec.given([]).when(create()).then([created()]));
    it('records the default algorithm for a user without password', () =>
      spec.given([]).when(create({ password: null })).then([created({ password: null })]));
    it('refuses an id that is taken', () => spec.given([created()]).when(create()).thenThrows(isError('user_already_exists')));
    it('allows the id of a deleted user again', () =>
      spec.given([created(), { type: 'UserDeleted', occurredAt: T1, data: {} }]).when(create({ at: T1 })).then([{ ...created(), occurredAt: T1 }]));
  });

  describe('updates', () => {
    it('every update needs an existing user', () => {
      spec.given([]).when({ type: 'ChangeUserName', data: { name: 'B', at: T1 } }).thenThrows(isError('user_not_found'));
      spec
        .given([created(), { type: 'UserDeleted', occurredAt: T1, data: {} }])
        .when({ type: 'ChangeUserStatus', data: { status: false, at: T1 } })
        .thenThrows(isError('user_not_found'));
    });
    it('changes the name', () =>
      spec.given([created()]).when({ type: 'ChangeUserName', data: { name: 'Bea', at: T1 } }).then([{ type: 'UserNameChanged', occurredAt: T1, data: { name: 'Bea' } }]));
    it('records an email change even when the email is the same (it resets verification)', () =>
      spec.given([created()]).when({ type: 'ChangeUserEmail', data: { email: 'ann@x.io', at: T1 } }).then([{ type: 'UserEmailChanged', occurredAt: T1, data: { email: 'ann@x.io' } }]));
    it('records every other update', () => {
      const given = spec.given([created()]);
      given.when({ type: 'ChangeUserStatus', data: { status: false, at: T1 } }).then([{ type: 'UserStatusChanged', occurredAt: T1, data: { status: false } }]);
      given.when({ type: 'ChangeUserPhone', data: { phone: '+123', at: T1 } }).then([{ type: 'UserPhoneChanged', occurredAt: T1, data: { phone: '+123' } }]);
      given.when({ type: 'ReplaceUserPrefs', data: { prefs: { a: 1 }, at: T1 } }).then([{ type: 'UserPrefsReplaced', occurredAt: T1, data: { prefs: { a: 1 } } }]);
      given.when({ type: 'ChangeEmailVerification', data: { emailVerification: true, at: T1 } }).then([{ type: 'UserEmailVerificationChanged', occurredAt: T1, data: { emailVerification: true } }]);
      given.when({ type: 'ChangePhoneVerification', data: { phoneVerification: true, at: T1 } }).then([{ type: 'UserPhoneVerificationChanged', occurredAt: T1, data: { phoneVerification: true } }]);
      given.when({ type: 'ChangeUserPassword', data: { password: { password: 'h', ...ARGON }, at: T1 } }).then([{ type: 'UserPasswordChanged', occurredAt: T1, data: { password: 'h', ...ARGON } }]);
    });
  });

  describe('sessions', () => {
    it('deletes a session of the user', () =>
      spec.given([created(), session('s1')]).when({ type: 'DeleteSession', data: { sessionId: 's1', at: T1 } }).then([{ type: 'SessionDeleted', occurredAt: T1, data: { sessionId: 's1' } }]));
    it('refuses an unknown or already deleted session', () => {
      spec.given([created()]).when({ type: 'DeleteSession', data: { sessionId: 's1', at: T1 } }).thenThrows(isError('user_session_not_found'));
      spec
        .given([created(), session('s1'), { type: 'SessionDeleted', occurredAt: T1, data: { sessionId: 's1' } }])
        .when({ type: 'DeleteSession', data: { sessionId: 's1', at: T1 } })
        .thenThrows(isError('user_session_not_found'));
    });
    it('deletes all sessions, one event each, and nothing when there are none', () => {
      spec.given([created(), session('s1'), session('s2')]).when({ type: 'DeleteSessions', data: { at: T1 } }).then([
        { type: 'SessionDeleted', occurredAt: T1, data: { sessionId: 's1' } },
        { type: 'SessionDeleted', occurredAt: T1, data: { sessionId: 's2' } },
      ]);
      spec.given([created()]).when({ type: 'DeleteSessions', data: { at: T1 } }).then([]);
    });
  });

  describe('DeleteUser', () => {
    it('deletes an existing user once', () => {
      spec.given([created()]).when({ type: 'DeleteUser', data: { at: T1 } }).then([{ type: 'UserDeleted', occurredAt: T1, data: {} }]);
      spec.given([created(), { type: 'UserDeleted', occurredAt: T1, data: {} }]).when({ type: 'DeleteUser', data: { at: T1 } }).thenThrows(isError('user_not_found'));
    });
  });

  describe('evolve', () => {
    it('folds the record as Appwrite stores it', () => {
      const state = foldUser([
        created(),
        { type: 'UserEmailVerificationChanged', occurredAt: T1, data: { emailVerification: true } },
        { type: 'UserEmailChanged', occurredAt: T1, data: { email: 'b@x.io' } },
        session('s1'),
      ]);
      expect(state.lifecycle).toBe('active');
      expect(state.user).toMatchObject({ email: 'b@x.io', emailVerification: false, createdAt: T0, updatedAt: T1, registration: T0, passwordUpdate: T0, status: true, prefs: {} });
      expect(state.sessionIds).toEqual(['s1']);
    });
    it('has no password update date without a password', () => {
      expect(foldUser([created({ password: null })]).user?.passwordUpdate).toBeNull();
    });
  });
});
