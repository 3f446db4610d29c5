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

const create = (over: Partial<NewUser> = {}): NewUser => ({ userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: null, password: { password: PHC, ...ARGON }, defaultHash: ARGON, targetIds: { email: 'te', phone: 'tp' }, at: T0, ...over });
const created = (over: Partial<Extract<UserEvent, { type: 'UserCreated' }>['data']> = {}): UserEvent => ({
  type: 'UserCreated',
  occurredAt: T0,
  data: { userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: null, password: PHC, ...ARGON, ...over },
});
const emailTarget = (at = T0): UserEvent => ({ type: 'TargetCreated', occurredAt: at, data: { targetId: 'te', providerType: 'email', identifier: 'ann@x.io', providerId: null, name: null } });
const isError = (type: string) => (e: unknown) => e instanceof UserDomainError && e.type === type;
const session = (sessionId: string) => sessionCreated(sessionId, T0);

describe('User decider', () => {
  describe('CreateUser', () => {
    it('creates a user with its stored password hash, and its email as a target', () => spec.given([]).when(create()).then([created(), emailTarget()]));
    it('records the default algorithm for a user without password', () =>
      spec.given([]).when(create({ password: null })).then([created({ password: null }), emailTarget()]));
    it('makes an sms target of the phone, and no target without email or phone', () => {
      spec.given([]).when(create({ email: null, phone: '+15550001111' })).then([
        created({ email: null, phone: '+15550001111' }),
        { type: 'TargetCreated', occurredAt: T0, data: { targetId: 'tp', providerType: 'sms', identifier: '+15550001111', providerId: null, name: null } },
      ]);
      spec.given([]).when(create({ email: null })).then([created({ email: null })]);
    });
    it('refuses an id that is taken', () => spec.given([created()]).when(create()).thenThrows(isError('user_already_exists')));
    it('allows the id of a deleted user again', () =>
      spec.given([created(), { type: 'UserDeleted', occurredAt: T1, data: {} }]).when(create({ at: T1 })).then([{ ...created(), occurredAt: T1 }, emailTarget(T1)]));
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

  describe('targets', () => {
    it('keeps the targets in step: created, updated (creation time kept), deleted; gone with the user', () => {
      const updated: UserEvent = { type: 'TargetUpdated', occurredAt: T1, data: { targetId: 'te', providerType: 'email', identifier: 'b@x.io', providerId: null, name: 'Work' } };
      const user = foldUser([created(), emailTarget(), updated]).user!;
      expect(user.targets).toEqual([{ id: 'te', createdAt: T0, updatedAt: T1, name: 'Work', providerId: null, providerType: 'email', identifier: 'b@x.io', expired: false }]);
      expect(user.updatedAt).toBe(T0);
      expect(foldUser([created(), emailTarget(), { type: 'TargetDeleted', occurredAt: T1, data: { targetId: 'te' } }]).user!.targets).toEqual([]);
      expect(foldUser([created(), emailTarget(), { type: 'UserDeleted', occurredAt: T1, data: {} }, created()]).user!.targets).toEqual([]);
    });
    it('removing the email leaves no email and no verification', () => {
      const user = foldUser([created(), { type: 'UserEmailVerificationChanged', occurredAt: T1, data: { emailVerification: true } }, { type: 'UserEmailRemoved', occurredAt: T1, data: {} }]).user!;
      expect([user.email, user.emailVerification]).toEqual([null, false]);
    });
  });
});
