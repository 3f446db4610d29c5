import { deciderSpec } from '@lib/event-sourcing/testing';
import { MembershipClaimTakenError, membershipClaimDecider, OwnerStatus } from './membership-claim';

const spec = deciderSpec(membershipClaimDecider);
const T0 = '2024-01-01T00:00:00.000+00:00';
const T10s = '2024-01-01T00:00:10.000+00:00';
const T1m = '2024-01-01T00:01:00.000+00:00';
const claim = (owner: string, at: string, ownerStatus: OwnerStatus = 'dead') => ({ type: 'ClaimMembership' as const, data: { owner, at, ownerStatus, leaseMs: 30_000 } });
const claimed = (owner: string, at: string) => ({ type: 'MembershipClaimed' as const, data: { owner, claimedAt: at }, occurredAt: at });
const released = (owner: string, at: string) => ({ type: 'MembershipClaimReleased' as const, data: { owner }, occurredAt: at });
const takenBy = (owner: string) => (e: unknown) => e instanceof MembershipClaimTakenError && e.owner === owner;

describe('membership claims (one per team and user)', () => {
  it('claims a free pair, and a released one', () => {
    spec.given([]).when(claim('m1', T0)).then([claimed('m1', T0)]);
    spec.given([claimed('m1', T0), released('m1', T0)]).when(claim('m2', T10s)).then([claimed('m2', T10s)]);
  });
  it('is idempotent for its owner', () => spec.given([claimed('m1', T0)]).when(claim('m1', T10s)).then([]));
  it('refuses a pair whose owner is a live membership, however old the claim', () =>
    spec.given([claimed('m1', T0)]).when(claim('m2', T1m, 'live')).thenThrows(takenBy('m1')));
  it('refuses a fresh claim whose owner is still being written', () => spec.given([claimed('m1', T0)]).when(claim('m2', T10s, 'pending')).thenThrows(takenBy('m1')));
  it('takes over a claim whose owner was never written once the lease ran out', () => spec.given([claimed('m1', T0)]).when(claim('m2', T1m, 'pending')).then([claimed('m2', T1m)]));
  it('takes over at once from a dead owner (deleted, or its user or team deleted since)', () => spec.given([claimed('m1', T0)]).when(claim('m2', T10s, 'dead')).then([claimed('m2', T10s)]));
  it('is released by its owner only', () => {
    spec.given([claimed('m1', T0)]).when({ type: 'ReleaseMembershipClaim', data: { owner: 'm2', at: T10s } }).then([]);
    spec.given([claimed('m1', T0)]).when({ type: 'ReleaseMembershipClaim', data: { owner: 'm1', at: T10s } }).then([released('m1', T10s)]);
    spec.given([]).when({ type: 'ReleaseMembershipClaim', data: { owner: 'm1', at: T10s } }).then([]);
  });
});
