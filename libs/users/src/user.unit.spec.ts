import { sessionCreated } from '../test/user-events';
import { deciderSpec } from '@lib/event-sourcing/testing';
import { decideCreateUser, NewUser } from './create-user/create-user';
import { foldUser, userAggregate } from './user';
import { UserDomainError } from './user.errors';
import { UserEvent } from './user.events';

const spec = deciderSpec(userAggregate(decideCreateUser).decider);
const T0 = '2024-01-01T00:00:00.000+00:00';
const T1 = '2024-01-01T00:00:01.000+00:00';
const ARGON = { hash: 'argon2', hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 } };
const PHC = '$argon2id$v=19$m=65536,t=4,p=3$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';

const create = (over: Partial<NewUser> = {}): NewUser => ({ userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: null, password: { password: PHC, ...ARGON }, defaultHash: ARGON, at: T0, ...over });
const created = (over: Partial<Extract<UserEvent, { type: 'UserCreated' }>['data']> = {}): UserEvent => ({
  type: 'UserCreated',
  occurredAt: T0,
  data: { userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: null, password: PHC, ...ARGON, ...over },
});
const isError = (type: string) => (e: unknown) => e instanceof UserDomainError && e.type === type;
const session = (sessionId: string) => sessionCreated(sessionId, T0);

describe('User decider', () => {
  describe('CreateUser', () => {
    it('creates a user with its stored password hash', () => spec.given([]).when(create()).then([created()]));
    it('records the default algorithm for a user without password', () =>
      spec.given([]).when(create({ password: null })).then([created({ password: null })]));
    it('refuses an id that is taken', () => spec.given([created()]).when(create()).thenThrows(isError('user_already_exists')));
    it('allows the id of a deleted user again', () =>
      spec.given([created(), { type: 'UserDeleted', occurredAt: T1, data: {} }]).when(create({ at: T1 })).then([{ ...created(), occurredAt: T1 }]));
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
    it('a re-hash on login changes the stored hash and options, not passwordUpdate', () => {
      const user = foldUser([
        created({ password: '$2y$10$abcdefghijklmnopqrstuu5Xv3OQ1i1jnd3T7G1Q/1o2DeYHgtHx6', hash: 'bcrypt', hashOptions: { type: 'bcrypt' } }),
        { type: 'UserPasswordRehashed', occurredAt: T1, data: { password: PHC, ...ARGON } },
      ]).user;
      expect(user).toMatchObject({ password: PHC, ...ARGON, passwordUpdate: T0, updatedAt: T1 });
    });
  });
});
