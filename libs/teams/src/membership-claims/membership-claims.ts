import { CommandContext, CommandDeps, handleCommand, Undo, withoutClient } from '@lib/event-sourcing';
import { membershipStatus } from '../liveness';
import { MEMBERSHIP_CLAIM, membershipClaimStreamId, OwnerStatus } from './membership-claim';

/** How long a claim whose owner was never written blocks others. */
export const MEMBERSHIP_CLAIM_LEASE_MS = 30_000;

/** Claims and releases (team, user) pairs through their reservation streams. */
export class MembershipClaims {
  constructor(private readonly deps: CommandDeps) {}

  /** Claims the pair for membership `owner`; returns how to release it. Throws MembershipClaimTakenError. */
  async claim(ctx: CommandContext, projectId: string, teamId: string, userId: string, owner: string, at: string): Promise<Undo> {
    await handleCommand(
      { events: this.deps.events },
      MEMBERSHIP_CLAIM,
      membershipClaimStreamId(projectId, teamId, userId),
      async (state) => ({
        type: 'ClaimMembership' as const,
        data: { owner, at, ownerStatus: state.owner === null || state.owner === owner ? ('dead' as const) : await this.statusOf(projectId, state.owner), leaseMs: MEMBERSHIP_CLAIM_LEASE_MS },
      }),
      withoutClient(ctx),
    );
    return () => this.release(ctx, projectId, teamId, userId, owner, at);
  }

  /** Frees the pair if `owner` holds it (a no-op otherwise). */
  async release(ctx: CommandContext, projectId: string, teamId: string, userId: string, owner: string, at: string): Promise<void> {
    await handleCommand({ events: this.deps.events }, MEMBERSHIP_CLAIM, membershipClaimStreamId(projectId, teamId, userId), { type: 'ReleaseMembershipClaim', data: { owner, at } }, withoutClient(ctx));
  }

  private async statusOf(projectId: string, membershipId: string): Promise<OwnerStatus> {
    const status = await membershipStatus(this.deps.events, projectId, membershipId);
    return status.kind === 'absent' ? 'pending' : status.kind;
  }
}
