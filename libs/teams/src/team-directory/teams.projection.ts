import type { RecordedEvent } from '@lib/event-store';
import { toDomainEvent } from '@lib/event-sourcing';
import type { Projection } from '@lib/read-models';
import { parseUserStreamId, USER_EVENT_SCHEMA, UserEvent } from '@lib/users';
import { parseMembershipStreamId } from '../membership';
import { MEMBERSHIP_EVENT_SCHEMA, MembershipEvent } from '../membership.events';
import { parseTeamStreamId } from '../team';
import { TEAM_EVENT_SCHEMA, TeamEvent } from '../team.events';
import type { TeamsChange } from './teams.port';

/** Teams with their member count, from team, membership and user events. */
export const teamsProjection: Projection<TeamsChange> = {
  name: 'teams',
  project(recorded: RecordedEvent): TeamsChange[] {
    const team = parseTeamStreamId(recorded.streamId);
    if (team) return fromTeamEvent(team.projectId, team.teamId, recorded);
    const membership = parseMembershipStreamId(recorded.streamId);
    if (membership) {
      const e = toDomainEvent<MembershipEvent>(MEMBERSHIP_EVENT_SCHEMA, recorded);
      if (e?.type === 'MembershipCreated') {
        const { membershipId, teamId, userId, confirm } = e.data;
        return [{ kind: 'member.add', projectId: membership.projectId, membershipId, teamId, userId, confirm, at: e.occurredAt }];
      }
      if (e?.type === 'MembershipDeleted') return [{ kind: 'member.remove', projectId: membership.projectId, membershipId: membership.membershipId, at: e.occurredAt }];
      return [];
    }
    const user = parseUserStreamId(recorded.streamId);
    const e = user && toDomainEvent<UserEvent>(USER_EVENT_SCHEMA, recorded);
    if (!user || !e) return [];
    if (e.type === 'UserCreated') return [{ kind: 'user.alive', projectId: user.projectId, userId: user.userId }];
    if (e.type === 'UserDeleted') return [{ kind: 'user.gone', projectId: user.projectId, userId: user.userId, at: e.occurredAt }];
    return [];
  },
};

function fromTeamEvent(projectId: string, teamId: string, recorded: RecordedEvent): TeamsChange[] {
  const e = toDomainEvent<TeamEvent>(TEAM_EVENT_SCHEMA, recorded);
  if (!e) return [];
  const at = e.occurredAt;
  switch (e.type) {
    case 'TeamCreated':
      return [{ kind: 'team.put', team: { projectId, id: e.data.teamId, name: e.data.name, createdAt: at, updatedAt: at, prefs: {}, total: 0, sequence: recorded.sortKey } }];
    case 'TeamRenamed':
      return [{ kind: 'team.patch', projectId, teamId, patch: { name: e.data.name, updatedAt: at } }];
    case 'TeamPrefsReplaced':
      return [{ kind: 'team.patch', projectId, teamId, patch: { prefs: e.data.prefs, updatedAt: at } }];
    case 'TeamDeleted':
      return [{ kind: 'team.delete', projectId, teamId }];
  }
}
