import type { EventSchema } from '@lib/event-sourcing';

/**
 * Events of the Membership aggregate (stream `membership-<project>:<membershipId>`): part of
 * the public contract. `invited` (and `joined`, once confirmed) is the event's time.
 */
export interface MembershipEventDataMap {
  /** With an API key the invitee joins at once: `confirm` true. */
  MembershipCreated: { membershipId: string; teamId: string; userId: string; roles: string[]; confirm: boolean };
  MembershipRolesChanged: { roles: string[] };
  MembershipDeleted: Record<string, never>;
}

export type MembershipEventType = keyof MembershipEventDataMap;

export type MembershipEvent = {
  [K in MembershipEventType]: { type: K; data: MembershipEventDataMap[K]; occurredAt: string };
}[MembershipEventType];

export const MEMBERSHIP_EVENT_TYPES: readonly MembershipEventType[] = ['MembershipCreated', 'MembershipRolesChanged', 'MembershipDeleted'];

export const MEMBERSHIP_EVENT_SCHEMA: EventSchema<MembershipEvent> = { types: MEMBERSHIP_EVENT_TYPES, schemaVersion: 1, upcasters: {} };
