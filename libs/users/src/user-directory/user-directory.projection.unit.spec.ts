import { projectionSpec, recordedEvents, T0, T1 } from '@lib/event-sourcing/testing';
import { randomBytes } from 'node:crypto';
import { ReservationNames } from '../uniqueness/reservation-names';
import { userStreamId } from '../user';
import { userDirectoryProjection } from './user-directory.projection';

const U1 = userStreamId('p1', 'u1');
const created = { userId: 'u1', name: 'Ann', email: 'a@x.io', phone: null, password: null, hash: 'argon2', hashOptions: { type: 'argon2' } };

describe('user-directory projection', () => {
  const spec = projectionSpec(userDirectoryProjection);

  it('is the `users` projection', () => {
    expect(userDirectoryProjection.name).toBe('users');
  });

  it('puts the created user with the event\'s sort key as its insertion sequence, and its revision', () => {
    const e = recordedEvents(100)(U1, 'UserCreated', created);
    spec.given(e).then([
      {
        kind: 'put',
        user: {
          projectId: 'p1',
          sequence: e.sortKey,
          revision: 0,
          id: 'u1',
          createdAt: T0,
          updatedAt: T0,
          name: 'Ann',
          email: 'a@x.io',
          phone: null,
          status: true,
          emailVerification: false,
          phoneVerification: false,
          password: null,
          hash: 'argon2',
          hashOptions: { type: 'argon2' },
          passwordUpdate: null,
          registration: T0,
          prefs: {},
          labels: [],
          mfa: false,
          impersonator: false,
          accessedAt: null,
          targets: [],
        },
      },
    ]);
    expect(e.sortKey).toBe('100'.padStart(40, '0'));
  });

  it('a user created with a password has passwordUpdate set to its creation time', () => {
    const [change] = spec.given(recordedEvents()(U1, 'UserCreated', { ...created, password: '$argon2id$x' })).changes();
    expect(change).toMatchObject({ kind: 'put', user: { password: '$argon2id$x', passwordUpdate: T0 } });
  });

  it('patches changed fields with updatedAt and the revision, and email / phone changes reset their verification', () => {
    const at = { occurredAt: T1 };
    const event = recordedEvents();
    spec.given(event(U1, 'UserEmailChanged', { email: 'b@x.io' }, at)).then([
      { kind: 'patch', projectId: 'p1', userId: 'u1', patch: { email: 'b@x.io', emailVerification: false, updatedAt: T1, revision: 0 } },
    ]);
    spec.given(event(U1, 'UserPhoneChanged', { phone: '+1234' }, at)).then([
      { kind: 'patch', projectId: 'p1', userId: 'u1', patch: { phone: '+1234', phoneVerification: false, updatedAt: T1, revision: 1 } },
    ]);
    spec.given(event(U1, 'UserPasswordChanged', { password: 'h', hash: 'bcrypt', hashOptions: { cost: 8 } }, at)).then([
      { kind: 'patch', projectId: 'p1', userId: 'u1', patch: { password: 'h', hash: 'bcrypt', hashOptions: { cost: 8 }, passwordUpdate: T1, updatedAt: T1, revision: 2 } },
    ]);
    spec
      .given(
        event(U1, 'UserNameChanged', { name: 'Bo' }),
        event(U1, 'UserStatusChanged', { status: false }),
        event(U1, 'UserEmailVerificationChanged', { emailVerification: true }),
        event(U1, 'UserPhoneVerificationChanged', { phoneVerification: true }),
        event(U1, 'UserPrefsReplaced', { prefs: { theme: 'dark' } }),
      )
      .then([
        { kind: 'patch', projectId: 'p1', userId: 'u1', patch: { name: 'Bo', updatedAt: T0, revision: 3 } },
        { kind: 'patch', projectId: 'p1', userId: 'u1', patch: { status: false, updatedAt: T0, revision: 4 } },
        { kind: 'patch', projectId: 'p1', userId: 'u1', patch: { emailVerification: true, updatedAt: T0, revision: 5 } },
        { kind: 'patch', projectId: 'p1', userId: 'u1', patch: { phoneVerification: true, updatedAt: T0, revision: 6 } },
        { kind: 'patch', projectId: 'p1', userId: 'u1', patch: { prefs: { theme: 'dark' }, updatedAt: T0, revision: 7 } },
      ]);
  });

  it('deletes on UserDeleted; moves only the revision on sessions; ignores unknown types and foreign streams', () => {
    const event = recordedEvents();
    spec.given(event(U1, 'UserDeleted', {})).then([{ kind: 'delete', projectId: 'p1', userId: 'u1' }]);
    spec
      .given(
        event(U1, 'SessionCreated', { sessionId: 's', provider: 'email', providerUid: '', providerAccessToken: '', providerAccessTokenExpiry: null, providerRefreshToken: '', expire: null, ip: '', userAgent: '' }),
        event(U1, 'SessionDeleted', { sessionId: 's' }),
      )
      .then([
        { kind: 'patch', projectId: 'p1', userId: 'u1', patch: { revision: 1 } },
        { kind: 'patch', projectId: 'p1', userId: 'u1', patch: { revision: 2 } },
      ]);
    spec
      .given(
        event(U1, 'SomethingNew', { name: 'x' }),
        event(ReservationNames.fromMasterKey(randomBytes(32)).streamIdOf('p1', 'email', 'a@x.io'), 'UniqueValueClaimed', { owner: 'u1' }),
        event('project-p1', 'ProjectCreated', { projectId: 'p1', name: 'P' }),
      )
      .then([]);
  });

  it('takes project and user from the stream name, ids with colons included', () => {
    spec.given(recordedEvents()(userStreamId('p2', 'a:b'), 'UserDeleted', {})).then([{ kind: 'delete', projectId: 'p2', userId: 'a:b' }]);
  });

  it('applies target events to the user\'s targets, leaving the user\'s own fields alone', () => {
    const at = recordedEvents(200);
    const target = { targetId: 't1', providerType: 'email' as const, identifier: 'a@x.io', providerId: null, name: null };
    spec.given(at(U1, 'TargetCreated', target), at(U1, 'TargetDeleted', { targetId: 't1' })).then([
      { kind: 'patch', projectId: 'p1', userId: 'u1', patch: { revision: 0 }, targets: { kind: 'put', target, at: T0 } },
      { kind: 'patch', projectId: 'p1', userId: 'u1', patch: { revision: 1 }, targets: { kind: 'delete', targetId: 't1' } },
    ]);
  });
});
