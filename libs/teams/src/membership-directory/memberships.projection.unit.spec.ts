import { projectionSpec, recordedEvents, T0 } from '@lib/event-sourcing/testing';
import { userStreamId } from '@lib/users';
import { membershipStreamId } from '../membership';
import { teamStreamId } from '../team';
import { membershipsProjection } from './memberships.projection';

const P = 'p';
const team = teamStreamId(P, 't1');
const member = membershipStreamId(P, 'm1');
const user = userStreamId(P, 'u1');
const created = { membershipId: 'm1', teamId: 't1', userId: 'u1', roles: ['owner'], confirm: true };
const userCreated = { userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: '+14155550100', password: null, hash: 'argon2', hashOptions: {} };

describe('memberships projection', () => {
  it('turns membership events into records, user and team events into the fields they are shown with', () => {
    const ev = recordedEvents();
    const membershipCreated = ev(member, 'MembershipCreated', created);
    projectionSpec(membershipsProjection)
      .given(
        ev(team, 'TeamCreated', { teamId: 't1', name: 'VIP' }),
        ev(team, 'TeamRenamed', { name: 'V' }),
        ev(team, 'TeamPrefsReplaced', { prefs: {} }),
        ev(user, 'UserCreated', userCreated),
        ev(user, 'UserNameChanged', { name: 'Bea' }),
        ev(user, 'UserEmailChanged', { email: 'bea@x.io' }),
        ev(user, 'UserStatusChanged', { status: false }),
        membershipCreated,
        ev(member, 'MembershipRolesChanged', { roles: ['admin'] }),
        ev(member, 'MembershipDeleted', {}),
        ev(user, 'UserDeleted', {}),
        ev(team, 'TeamDeleted', {}),
      )
      .then([
        { kind: 'team.put', projectId: P, teamId: 't1', name: 'VIP' },
        { kind: 'team.rename', projectId: P, teamId: 't1', name: 'V' },
        { kind: 'user.put', projectId: P, userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: '+14155550100', mfa: false },
        { kind: 'user.patch', projectId: P, userId: 'u1', name: 'Bea' },
        { kind: 'user.patch', projectId: P, userId: 'u1', email: 'bea@x.io' },
        {
          kind: 'membership.put',
          membership: { projectId: P, id: 'm1', teamId: 't1', userId: 'u1', roles: ['owner'], invited: T0, joined: T0, confirm: true, createdAt: T0, updatedAt: T0, sequence: membershipCreated.sortKey },
        },
        { kind: 'membership.patch', projectId: P, membershipId: 'm1', roles: ['admin'], updatedAt: T0 },
        { kind: 'membership.delete', projectId: P, membershipId: 'm1' },
        { kind: 'user.delete', projectId: P, userId: 'u1' },
        { kind: 'team.delete', projectId: P, teamId: 't1' },
      ]);
  });

  it('follows the user\'s phone, MFA and email removal; other user events change nothing shown', () => {
    const ev = recordedEvents();
    projectionSpec(membershipsProjection)
      .given(
        ev(user, 'UserCreated', { ...userCreated, email: null, phone: null }),
        ev(user, 'UserPhoneChanged', { phone: '+14155550199' }),
        ev(user, 'UserPhoneVerificationChanged', { phoneVerification: true }),
        ev(user, 'UserMfaChanged', { mfa: true }),
        ev(user, 'UserLabelsReplaced', { labels: ['vip'] }),
        ev(user, 'UserPhoneRemoved', {}),
        ev(user, 'UserEmailRemoved', {}),
        ev(user, 'UserMfaChanged', { mfa: false }),
      )
      .then([
        { kind: 'user.put', projectId: P, userId: 'u1', name: 'Ann', email: null, phone: null, mfa: false },
        { kind: 'user.patch', projectId: P, userId: 'u1', phone: '+14155550199' },
        { kind: 'user.patch', projectId: P, userId: 'u1', mfa: true },
        { kind: 'user.patch', projectId: P, userId: 'u1', phone: null },
        { kind: 'user.patch', projectId: P, userId: 'u1', email: null },
        { kind: 'user.patch', projectId: P, userId: 'u1', mfa: false },
      ]);
  });

  it('records a pending invitation without a join time', () => {
    const ev = recordedEvents();
    expect(membershipsProjection.project(ev(member, 'MembershipCreated', { ...created, confirm: false }))).toMatchObject([{ membership: { confirm: false, joined: null, invited: T0 } }]);
  });
});
