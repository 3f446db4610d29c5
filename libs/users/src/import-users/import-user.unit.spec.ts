import { isUserError, userCreated, userDeleted, userSpec } from '@lib/users/testing';
import { decideCreateUser, NewUser } from '../create-user/create-user';
import { foldUser } from '../user';
import type { UserEvent } from '../user.events';
import { decideImportUser, ImportedFields } from './import-user';

const T0 = '2024-01-01T00:00:00.000+00:00';
const ARGON = { hash: 'argon2', hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 } };
const newUser = (over: Partial<NewUser> = {}): NewUser => ({
  userId: 'u1',
  name: 'Ann',
  email: 'ann@x.io',
  phone: '+15550001111',
  password: { password: '$2y$08$PDbMtV18J1KOBI9tIYabBuyUwBrtXPGhLxCy9pWP6xkldVOKLrLKy', hash: 'bcrypt', hashOptions: { type: 'bcrypt' } },
  defaultHash: ARGON,
  targetIds: { email: 'te', phone: 'tp' },
  at: T0,
  ...over,
});
const at = (type: UserEvent['type'], data: object): UserEvent => ({ type, occurredAt: T0, data } as UserEvent);
const importSpec = (fields: ImportedFields) => userSpec(decideImportUser(fields));

describe('decideImportUser', () => {
  it('is Create User when the line sets nothing else, or only what a new user has anyway', () => {
    const created = decideCreateUser(newUser(), foldUser([]));
    importSpec({}).given([]).when(newUser()).then(created);
    importSpec({ labels: [], prefs: {}, status: true, emailVerification: false, phoneVerification: false, mfa: false, impersonator: false }).given([]).when(newUser()).then(created);
  });

  it('adds the events of each update route, in the line params\' order, at the creation time', () => {
    const fields: ImportedFields = { labels: ['vip', 'vip', 'beta'], prefs: { theme: 'dark' }, status: false, emailVerification: true, phoneVerification: true, mfa: true, impersonator: true };
    importSpec(fields)
      .given([])
      .when(newUser())
      .then([
        ...decideCreateUser(newUser(), foldUser([])),
        // As the labels route stores them: repeats dropped.
        at('UserLabelsReplaced', { labels: ['vip', 'beta'] }),
        at('UserPrefsReplaced', { prefs: { theme: 'dark' } }),
        at('UserStatusChanged', { status: false }),
        at('UserEmailVerificationChanged', { emailVerification: true }),
        at('UserPhoneVerificationChanged', { phoneVerification: true }),
        at('UserMfaChanged', { mfa: true }),
        at('UserImpersonatorChanged', { impersonator: true }),
      ]);
  });

  it('leaves a user whose fold is the line', () => {
    const events = decideImportUser({ labels: ['vip'], status: false, emailVerification: true })(newUser(), foldUser([]));
    expect(foldUser(events).user).toMatchObject({ id: 'u1', email: 'ann@x.io', phone: '+15550001111', labels: ['vip'], status: false, emailVerification: true, phoneVerification: false, hash: 'bcrypt', hashOptions: { type: 'bcrypt' } });
  });

  it('refuses a live user\'s id, as Create User does, and takes a deleted user\'s', () => {
    importSpec({ status: false }).given([userCreated()]).when(newUser()).thenThrows(isUserError('user_already_exists'));
    expect(decideImportUser({ status: false })(newUser(), foldUser([userCreated(), userDeleted()])).map((e) => e.type)).toEqual(['UserCreated', 'TargetCreated', 'TargetCreated', 'UserStatusChanged']);
  });
});
