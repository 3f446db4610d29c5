import { Aggregate, parseStreamName, streamName } from '@lib/event-sourcing';
import { MEMBERSHIP_EVENT_SCHEMA, MembershipEvent } from './membership.events';

export interface MembershipFields {
  id: string;
  teamId: string;
  userId: string;
  roles: string[];
  invited: string;
  /** null while the invitation is pending. */
  joined: string | null;
  confirm: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * One membership id. Its stream alone does not say whether the membership still counts: it also
 * ends when its team or its user is deleted (see liveness.ts).
 */
export interface MembershipState {
  lifecycle: 'absent' | 'active' | 'deleted';
  membership: MembershipFields | null;
}

export const membershipStreamId = (projectId: string, membershipId: string) => streamName('membership', projectId, membershipId);

export function parseMembershipStreamId(streamId: string): { projectId: string; membershipId: string } | null {
  const parts = parseStreamName('membership', streamId, 2);
  return parts ? { projectId: parts[0], membershipId: parts[1] } : null;
}

export const initialMembershipState = (): MembershipState => ({ lifecycle: 'absent', membership: null });

export function evolveMembership(state: MembershipState, event: MembershipEvent): MembershipState {
  const at = event.occurredAt;
  switch (event.type) {
    case 'MembershipCreated': {
      const { membershipId, teamId, userId, roles, confirm } = event.data;
      return { lifecycle: 'active', membership: { id: membershipId, teamId, userId, roles, invited: at, joined: confirm ? at : null, confirm, createdAt: at, updatedAt: at } };
    }
    case 'MembershipRolesChanged':
      return state.membership ? { ...state, membership: { ...state.membership, roles: event.data.roles, updatedAt: at } } : state;
    case 'MembershipDeleted':
      return { lifecycle: 'deleted', membership: null };
  }
}

export function membershipAggregate<C>(decide: (command: C, state: MembershipState) => MembershipEvent[]): Aggregate<C, MembershipEvent, MembershipState> {
  return { decider: { decide, evolve: evolveMembership, initialState: initialMembershipState }, schema: MEMBERSHIP_EVENT_SCHEMA };
}

export const MEMBERSHIP_STREAM = membershipAggregate<never>(() => []);
