import type { EventStore, RecordedEvent } from '@lib/event-store';
import { toDomainEvent } from '@lib/event-sourcing';
import { userStreamId } from '@lib/users';
import { evolveMembership, initialMembershipState, MembershipFields, membershipStreamId } from './membership';
import { MEMBERSHIP_EVENT_SCHEMA, MembershipEvent } from './membership.events';
import { teamStreamId } from './team';

/**
 * Whether a membership still counts is decided by the order of the log, the same order the
 * read models follow: a membership is live while its own stream says so and it was created
 * after the current creation of its team and of its user (so a deletion of either, or a
 * deletion and re-creation under the same id, ends it). Nothing has to be appended to the
 * membership for that: deleting a user or a team ends its memberships in one event.
 */
export type MembershipStatus =
  /** No MembershipCreated yet (unknown id, or a creation still under way). */
  | { kind: 'absent' }
  | { kind: 'live'; membership: MembershipFields }
  | { kind: 'dead' };

/** The log position where the entity's current life began (its last creation), or null if it is not alive. */
export function currentLifeStart(recorded: readonly RecordedEvent[], created: string, deleted: string): string | null {
  let since: string | null = null;
  for (const e of recorded) {
    if (e.type === created) since = e.position;
    else if (e.type === deleted) since = null;
  }
  return since;
}

export async function membershipStatus(events: EventStore, projectId: string, membershipId: string): Promise<MembershipStatus> {
  const recorded = await events.readStream(membershipStreamId(projectId, membershipId));
  let state = initialMembershipState();
  let createdAt: string | null = null;
  for (const r of recorded) {
    const e = toDomainEvent<MembershipEvent>(MEMBERSHIP_EVENT_SCHEMA, r);
    if (!e) continue;
    if (e.type === 'MembershipCreated') createdAt = r.position;
    state = evolveMembership(state, e);
  }
  if (state.lifecycle === 'absent' || createdAt === null) return { kind: 'absent' };
  if (state.lifecycle === 'deleted' || !state.membership) return { kind: 'dead' };
  const m = state.membership;
  const [team, user] = await Promise.all([
    events.readStream(teamStreamId(projectId, m.teamId)).then((r) => currentLifeStart(r, 'TeamCreated', 'TeamDeleted')),
    events.readStream(userStreamId(projectId, m.userId)).then((r) => currentLifeStart(r, 'UserCreated', 'UserDeleted')),
  ]);
  const before = (since: string | null) => since !== null && events.comparePositions(since, createdAt) < 0;
  return before(team) && before(user) ? { kind: 'live', membership: m } : { kind: 'dead' };
}
