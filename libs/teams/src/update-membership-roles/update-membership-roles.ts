import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand, loadStream, withoutClient } from '@lib/event-sourcing';
import { endpointController, RequestContext, Slice } from '@lib/http';
import { GetMembershipQuery } from '../get-membership/get-membership';
import { membershipStatus } from '../liveness';
import { membershipAggregate, MembershipState, membershipStreamId } from '../membership';
import type { MembershipEvent } from '../membership.events';
import { requireActiveTeam, TEAM_STREAM, teamStreamId } from '../team';
import { membershipIdPath, rolesBody, teamIdPath, teamsWrite } from '../team-params';
import { TeamDomainError } from '../teams.errors';

/** Appwrite 1.3's `updateMembershipRoles` (1.5+ SDKs call it `updateMembership`). */
export const UPDATE_MEMBERSHIP_ROLES = teamsWrite('PATCH', {
  path: '/v1/teams/:teamId/memberships/:membershipId',
  sdkMethod: 'teams.updateMembershipRoles',
  summary: 'Update Membership Roles',
  params: [teamIdPath, membershipIdPath, rolesBody("An array of strings. Use this param to set the user's roles in the team. A role can be any string. Maximum of 100 roles are allowed, each 32 characters long.", { required: true })],
  success: { status: 200, model: 'membership' },
});

export interface RolesChange {
  teamId: string;
  roles: string[];
  /** Whether the membership still counts (its team and user alive since it was made; liveness.ts). */
  live: boolean;
  at: string;
}

/** Pure: the roles of a live membership of this team are replaced. */
export function decideChangeMembershipRoles({ teamId, roles, live, at }: RolesChange, state: MembershipState): MembershipEvent[] {
  if (!live || state.lifecycle !== 'active' || state.membership?.teamId !== teamId) throw new TeamDomainError('membership_not_found');
  return [{ type: 'MembershipRolesChanged', occurredAt: at, data: { roles } }];
}

const changeRoles = membershipAggregate(decideChangeMembershipRoles);

export class ChangeMembershipRolesCommand {
  constructor(readonly ctx: RequestContext, readonly teamId: string, readonly membershipId: string, readonly roles: string[]) {}
}

@CommandHandler(ChangeMembershipRolesCommand)
export class ChangeMembershipRolesHandler implements ICommandHandler<ChangeMembershipRolesCommand, void> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    private readonly clock: Clock,
  ) {}

  async execute({ ctx, teamId, membershipId, roles }: ChangeMembershipRolesCommand): Promise<void> {
    requireActiveTeam((await loadStream(this.deps.events, teamStreamId(ctx.projectId, teamId), TEAM_STREAM)).state);
    const at = this.clock.now();
    await handleCommand(this.deps, changeRoles, membershipStreamId(ctx.projectId, membershipId), async () => ({
      teamId,
      roles,
      live: (await membershipStatus(this.deps.events, ctx.projectId, membershipId)).kind === 'live',
      at,
    }), withoutClient(ctx));
  }
}

export const updateMembershipRoles: Slice = {
  endpoints: [UPDATE_MEMBERSHIP_ROLES],
  controllers: [
    endpointController(UPDATE_MEMBERSHIP_ROLES, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ChangeMembershipRolesCommand(ctx, p.teamId, p.membershipId, p.roles));
      return queries.execute(new GetMembershipQuery(ctx.projectId, p.teamId, p.membershipId));
    }),
  ],
  providers: [ChangeMembershipRolesHandler],
};
