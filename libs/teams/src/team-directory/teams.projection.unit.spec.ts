import { projectionSpec, recordedEvents, T0 } from '@lib/event-sourcing/testing';
import { userStreamId } from '@lib/users';
import { membershipStreamId } from '../membership';
import { teamStreamId } from '../team';
import { teamsProjection } from './teams.projection';

const P = 'p';
const team = teamStreamId(P, 't1');
const member = membershipStreamId(P, 'm1');
const user = userStreamId(P, 'u1');
const created = { membershipId: 'm1', teamId: 't1', userId: 'u1', roles: ['owner'], confirm: true };
const userCreated = { userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: null, password: null, hash: 'argon2', hashOptions: {} };

describe('teams projection', () => {
  it('turns team events into team records, membership events into members, user lifecycles into liveness', () => {
    const ev = recordedEvents();
    const teamCreated = ev(team, 'TeamCreated', { teamId: 't1', name: 'VIP' });
    projectionSpec(teamsProjection)
      .given(
        teamCreated,
        ev(team, 'TeamRenamed', { name: 'V' }),
        ev(team, 'TeamPrefsReplaced', { prefs: { a: 1 } }),
        ev(user, 'UserCreated', userCreated),
        ev(user, 'UserNameChanged', { name: 'x' }),
        ev(member, 'MembershipCreated', created),
        ev(member, 'MembershipRolesChanged', { roles: [] }),
        ev(member, 'MembershipDeleted', {}),
        ev(user, 'UserDeleted', {}),
        ev(team, 'TeamDeleted', {}),
        ev('unique-p:email:x', 'UniqueValueClaimed', { owner: 'u1', claimedAt: T0 }),
        ev('membershipclaim-p:t1:u1', 'MembershipClaimed', { owner: 'm1', claimedAt: T0 }),
      )
      .then([
        { kind: 'team.put', team: { projectId: P, id: 't1', name: 'VIP', createdAt: T0, updatedAt: T0, prefs: {}, total: 0, sequence: teamCreated.sortKey } },
        { kind: 'team.patch', projectId: P, teamId: 't1', patch: { name: 'V', updatedAt: T0 } },
        { kind: 'team.patch', projectId: P, teamId: 't1', patch: { prefs: { a: 1 }, updatedAt: T0 } },
        { kind: 'user.alive', projectId: P, userId: 'u1' },
        { kind: 'member.add', projectId: P, membershipId: 'm1', teamId: 't1', userId: 'u1', confirm: true, at: T0 },
        { kind: 'member.remove', projectId: P, membershipId: 'm1', at: T0 },
        { kind: 'user.gone', projectId: P, userId: 'u1', at: T0 },
        { kind: 'team.delete', projectId: P, teamId: 't1' },
      ]);
  });
});
