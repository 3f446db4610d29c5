import type { RecordedEvent } from '@lib/event-store';
import { toDomainEvent } from '@lib/event-sourcing';
import type { Projection } from '@lib/read-models';
import { parseUserStreamId, USER_EVENT_SCHEMA, UserEvent } from '@lib/users';
import { parseMembershipStreamId } from '../membership';
import { MEMBERSHIP_EVENT_SCHEMA, MembershipEvent } from '../membership.events';
import { parseTeamStreamId } from '../team';
import { TEAM_EVENT_SCHEMA, TeamEvent } from '../team.events';
import type { MembershipsChange } from './memberships.port';

/** Memberships, and the user and team fields they are shown with, from membership, team and user events. */
export const membershipsProjection: Projection<MembershipsChange> = {
  name: 'memberships',
  project(recorded: RecordedEvent): MembershipsChange[] {
    const m = parseMembershipStreamId(recorded.streamId);
    if (m) {
      const e = toDomainEvent<MembershipEvent>(MEMBERSHIP_EVENT_SCHEMA, recorded);
      if (!e) return [];
      const { projectId, membershipId } = m;
      switch (e.type) {
        case 'MembershipCreated': {
          const { teamId, userId, roles, confirm } = e.data;
          const at = e.occurredAt;
          return [{ kind: 'membership.put', membership: { projectId, id: e.data.membershipId, teamId, userId, roles, invited: at, joined: confirm ? at : null, confirm, createdAt: at, updatedAt: at, sequence: recorded.sortKey } }];
        }
        case 'MembershipRolesChanged':
          return [{ kind: 'membership.patch', projectId, membershipId, roles: e.data.roles, updatedAt: e.occurredAt }];
        case 'MembershipDeleted':
          return [{ kind: 'membership.delete', projectId, membershipId }];
      }
    }
    const t = parseTeamStreamId(recorded.streamId);
    if (t) {
      const e = toDomainEvent<TeamEvent>(TEAM_EVENT_SCHEMA, recorded);
      if (e?.type === 'TeamCreated') return [{ kind: 'team.put', projectId: t.projectId, teamId: t.teamId, name: e.data.name }];
      if (e?.type === 'TeamRenamed') return [{ kind: 'team.rename', projectId: t.projectId, teamId: t.teamId, name: e.data.name }];
      if (e?.type === 'TeamDeleted') return [{ kind: 'team.delete', projectId: t.projectId, teamId: t.teamId }];
      return [];
    }
    const u = parseUserStreamId(recorded.streamId);
    const e = u && toDomainEvent<UserEvent>(USER_EVENT_SCHEMA, recorded);
    if (!u || !e) return [];
    const { projectId, userId } = u;
    switch (e.type) {
      case 'UserCreated':
        // A new user has MFA off (Appwrite's default); UserMfaChanged turns it on.
        return [{ kind: 'user.put', projectId, userId, name: e.data.name, email: e.data.email, phone: e.data.phone, mfa: false }];
      case 'UserNameChanged':
        return [{ kind: 'user.patch', projectId, userId, name: e.data.name }];
      case 'UserEmailChanged':
        return [{ kind: 'user.patch', projectId, userId, email: e.data.email }];
      case 'UserEmailRemoved':
        return [{ kind: 'user.patch', projectId, userId, email: null }];
      case 'UserPhoneChanged':
        return [{ kind: 'user.patch', projectId, userId, phone: e.data.phone }];
      case 'UserPhoneRemoved':
        return [{ kind: 'user.patch', projectId, userId, phone: null }];
      case 'UserMfaChanged':
        return [{ kind: 'user.patch', projectId, userId, mfa: e.data.mfa }];
      case 'UserAccessed':
        return [{ kind: 'user.patch', projectId, userId, accessedAt: e.occurredAt }];
      case 'UserDeleted':
        return [{ kind: 'user.delete', projectId, userId }];
      default:
        return [];
    }
  },
};
