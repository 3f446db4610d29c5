import { Aggregate, Decider, EventSchema, streamName } from '@lib/event-sourcing';

/**
 * The claim on "user U is a member of team T", one stream per (team, user): EventStoreDB cannot
 * append to two streams atomically, so a membership claims its pair with an expected revision
 * (only one racer wins) before it is written. A claim blocks others only while its owner counts:
 * a live membership holds it; a deleted one, or one whose team or user was deleted since (see
 * liveness.ts), frees it at once; an owner never written (a crash between claim and write)
 * holds it until its lease runs out.
 */
export type MembershipClaimEvent =
  | { type: 'MembershipClaimed'; data: { owner: string; claimedAt: string }; occurredAt: string }
  | { type: 'MembershipClaimReleased'; data: { owner: string }; occurredAt: string };

export const membershipClaimStreamId = (projectId: string, teamId: string, userId: string) => streamName('membershipclaim', projectId, teamId, userId);

export interface MembershipClaimState {
  owner: string | null;
  claimedAt: string | null;
}

/** What the current owner's membership is now (read by the handler). */
export type OwnerStatus = 'live' | 'dead' | 'pending';

export type MembershipClaimCommand =
  | { type: 'ClaimMembership'; data: { owner: string; at: string; ownerStatus: OwnerStatus; leaseMs: number } }
  | { type: 'ReleaseMembershipClaim'; data: { owner: string; at: string } };

export class MembershipClaimTakenError extends Error {
  constructor(readonly owner: string) {
    super('membership already claimed');
    this.name = 'MembershipClaimTakenError';
  }
}

export const membershipClaimDecider: Decider<MembershipClaimCommand, MembershipClaimEvent, MembershipClaimState> = {
  initialState: () => ({ owner: null, claimedAt: null }),
  decide(command, state) {
    if (command.type === 'ReleaseMembershipClaim') {
      // Only the owner releases: a late release never frees a claim someone else took over.
      return state.owner === command.data.owner ? [{ type: 'MembershipClaimReleased', data: { owner: command.data.owner }, occurredAt: command.data.at }] : [];
    }
    const { owner, at, ownerStatus, leaseMs } = command.data;
    if (state.owner === owner) return [];
    if (state.owner !== null) {
      const leaseRunning = Date.parse(at) - Date.parse(state.claimedAt!) < leaseMs;
      if (ownerStatus === 'live' || (ownerStatus === 'pending' && leaseRunning)) throw new MembershipClaimTakenError(state.owner);
    }
    return [{ type: 'MembershipClaimed', data: { owner, claimedAt: at }, occurredAt: at }];
  },
  evolve(state, event) {
    switch (event.type) {
      case 'MembershipClaimed':
        return { owner: event.data.owner, claimedAt: event.data.claimedAt };
      case 'MembershipClaimReleased':
        return state.owner === event.data.owner ? { owner: null, claimedAt: null } : state;
    }
  },
};

export const MEMBERSHIP_CLAIM_SCHEMA: EventSchema<MembershipClaimEvent> = { types: ['MembershipClaimed', 'MembershipClaimReleased'], schemaVersion: 1 };
export const MEMBERSHIP_CLAIM: Aggregate<MembershipClaimCommand, MembershipClaimEvent, MembershipClaimState> = { decider: membershipClaimDecider, schema: MEMBERSHIP_CLAIM_SCHEMA };
