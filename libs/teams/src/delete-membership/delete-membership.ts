import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand, withoutClient } from '@lib/event-sourcing';
import { endpointController, RequestContext, Slice } from '@lib/http';
import { membershipStatus } from '../liveness';
import { membershipAggregate, MembershipState, membershipStreamId } from '../membership';
import type { MembershipEvent } from '../membership.events';
import { MembershipClaims } from '../membership-claims/membership-claims';
import { membershipIdPath, teamIdPath, teamsWrite } from '../team-params';
import { TeamDomainError } from '../teams.errors';

export const DELETE_MEMBERSHIP = teamsWrite('DELETE', {
  path: '/v1/teams/:teamId/memberships/:membershipId',
  sdkMethod: 'teams.deleteMembership',
  summary: 'Delete Team Membership',
  params: [teamIdPath, membershipIdPath],
  success: { status: 204, model: null },
});

export interface MembershipRemoval {
  teamId: string;
  /** Whether the membership still counts (liveness.ts). */
  live: boolean;
  at: string;
}

/** Pure: Appwrite's order: no such membership (404 team_invite_not_found), then another team's (404 team_membership_mismatch). */
export function decideDeleteMembership({ teamId, live, at }: MembershipRemoval, state: MembershipState): MembershipEvent[] {
  if (!live || state.lifecycle !== 'active' || !state.membership) throw new TeamDomainError('team_invite_not_found');
  if (state.membership.teamId !== teamId) throw new TeamDomainError('team_membership_mismatch');
  return [{ type: 'MembershipDeleted', occurredAt: at, data: {} }];
}

const deleteMembership = membershipAggregate(decideDeleteMembership);

export class DeleteMembershipCommand {
  constructor(readonly ctx: RequestContext, readonly teamId: string, readonly membershipId: string) {}
}

/** The team's count goes down with the read models; the (team, user) pair is released at once. */
@CommandHandler(DeleteMembershipCommand)
export class DeleteMembershipHandler implements ICommandHandler<DeleteMembershipCommand, void> {
  private readonly claims: MembershipClaims;
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    private readonly clock: Clock,
  ) {
    this.claims = new MembershipClaims(deps);
  }

  async execute({ ctx, teamId, membershipId }: DeleteMembershipCommand): Promise<void> {
    const at = this.clock.now();
    const { before } = await handleCommand(this.deps, deleteMembership, membershipStreamId(ctx.projectId, membershipId), async () => ({
      teamId,
      live: (await membershipStatus(this.deps.events, ctx.projectId, membershipId)).kind === 'live',
      at,
    }), withoutClient(ctx));
    const m = before.membership!;
    // A crash before this leaves a claim owned by a deleted membership, which counts as free anyway.
    await this.claims.release(ctx, ctx.projectId, m.teamId, m.userId, membershipId, at);
  }
}

export const deleteMembershipSlice: Slice = {
  endpoints: [DELETE_MEMBERSHIP],
  controllers: [endpointController(DELETE_MEMBERSHIP, ({ commands }, ctx, p) => commands.execute(new DeleteMembershipCommand(ctx, p.teamId, p.membershipId)))],
  providers: [DeleteMembershipHandler],
};
