import { deciderSpec } from '@lib/event-sourcing/testing';
import { isTeamError, membershipCreated, membershipDeleted, T_WHEN } from '../../test/team-events';
import { decideDeleteMembership } from '../delete-membership/delete-membership';
import { evolveMembership, initialMembershipState, MembershipState } from '../membership';
import type { MembershipEvent } from '../membership.events';
import { decideChangeMembershipRoles } from '../update-membership-roles/update-membership-roles';
import { decideCreateMembership } from './create-membership';

const specOf = <C>(decide: (c: C, s: MembershipState) => MembershipEvent[]) => deciderSpec({ decide, evolve: evolveMembership, initialState: initialMembershipState });

describe('Memberships: decide', () => {
  const create = specOf(decideCreateMembership);
  const roles = specOf(decideChangeMembershipRoles);
  const remove = specOf(decideDeleteMembership);

  it('creates a confirmed membership of a fresh id', () =>
    create
      .given([])
      .when({ membershipId: 'm1', teamId: 't1', userId: 'u1', roles: ['owner'], confirm: true, at: T_WHEN })
      .then([{ type: 'MembershipCreated', occurredAt: T_WHEN, data: { membershipId: 'm1', teamId: 't1', userId: 'u1', roles: ['owner'], confirm: true } }]));

  it('never writes a membership id twice', () =>
    create.given([membershipCreated()]).when({ membershipId: 'm1', teamId: 't1', userId: 'u1', roles: [], confirm: true, at: T_WHEN }).thenThrows(isTeamError('team_invite_already_exists')));

  it('changes the roles of a live membership of the team', () => {
    roles.given([membershipCreated()]).when({ teamId: 't1', roles: ['admin'], live: true, at: T_WHEN }).then([{ type: 'MembershipRolesChanged', occurredAt: T_WHEN, data: { roles: ['admin'] } }]);
    roles.given([membershipCreated()]).when({ teamId: 't1', roles: [], live: true, at: T_WHEN }).then([{ type: 'MembershipRolesChanged', occurredAt: T_WHEN, data: { roles: [] } }]);
  });

  it('finds no membership to change when it is unknown, deleted, ended with its team or user, or of another team', () => {
    const notFound = isTeamError('membership_not_found');
    roles.given([]).when({ teamId: 't1', roles: [], live: false, at: T_WHEN }).thenThrows(notFound);
    roles.given([membershipCreated(), membershipDeleted()]).when({ teamId: 't1', roles: [], live: false, at: T_WHEN }).thenThrows(notFound);
    roles.given([membershipCreated()]).when({ teamId: 't1', roles: [], live: false, at: T_WHEN }).thenThrows(notFound);
    roles.given([membershipCreated()]).when({ teamId: 't2', roles: [], live: true, at: T_WHEN }).thenThrows(notFound);
  });

  it('deletes a live membership of the team once', () => {
    remove.given([membershipCreated()]).when({ teamId: 't1', live: true, at: T_WHEN }).then([{ type: 'MembershipDeleted', occurredAt: T_WHEN, data: {} }]);
    remove.given([membershipCreated(), membershipDeleted()]).when({ teamId: 't1', live: false, at: T_WHEN }).thenThrows(isTeamError('team_invite_not_found'));
  });

  it('refuses, in Appwrite\'s order, an unknown or ended membership, then one of another team', () => {
    remove.given([]).when({ teamId: 't1', live: false, at: T_WHEN }).thenThrows(isTeamError('team_invite_not_found'));
    remove.given([membershipCreated()]).when({ teamId: 't1', live: false, at: T_WHEN }).thenThrows(isTeamError('team_invite_not_found'));
    remove.given([membershipCreated()]).when({ teamId: 't2', live: true, at: T_WHEN }).thenThrows(isTeamError('team_membership_mismatch'));
  });

  it('folds a membership: invited and joined at creation, roles changed, deleted', () => {
    const events: MembershipEvent[] = [membershipCreated('m1', 't1', 'u1', ['owner']), { type: 'MembershipRolesChanged', occurredAt: T_WHEN, data: { roles: ['a'] } }];
    const at = membershipCreated().occurredAt;
    expect(events.reduce(evolveMembership, initialMembershipState())).toEqual({
      lifecycle: 'active',
      membership: { id: 'm1', teamId: 't1', userId: 'u1', roles: ['a'], invited: at, joined: at, confirm: true, createdAt: at, updatedAt: T_WHEN },
    });
    expect([...events, membershipDeleted()].reduce(evolveMembership, initialMembershipState())).toEqual({ lifecycle: 'deleted', membership: null });
  });
});
