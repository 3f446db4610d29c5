import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, Rules, uniqueId, Url } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand, loadStream, withoutClient } from '@lib/event-sourcing';
import { bodyParam, endpointController, RequestContext, Slice } from '@lib/http';
import { CreateUserCommand, UserDirectory, type UserRecord } from '@lib/users';
import { GetMembershipQuery } from '../get-membership/get-membership';
import { membershipAggregate, MembershipState, membershipStreamId } from '../membership';
import type { MembershipEvent } from '../membership.events';
import { MembershipClaims } from '../membership-claims/membership-claims';
import { requireActiveTeam, TEAM_STREAM, teamStreamId } from '../team';
import { rolesBody, teamIdPath, teamsWrite } from '../team-params';
import { TeamDomainError } from '../teams.errors';

export const CREATE_MEMBERSHIP = teamsWrite('POST', {
  path: '/v1/teams/:teamId/memberships',
  sdkMethod: 'teams.createMembership',
  summary: 'Create Team Membership',
  params: [
    teamIdPath,
    bodyParam('email', Rules.Email, 'string', 'Email of the new team member.', { default: '', example: 'email@example.com' }),
    bodyParam('userId', Rules.UID, 'string', 'ID of the user to be added to a team.', { default: '' }),
    bodyParam('phone', Rules.Phone, 'string', "Phone number. Format this number with a leading '+' and a country code, e.g., +16175551212.", { default: '', example: '+12065550100' }),
    rolesBody('Array of strings. Use this param to set the user roles in the team. A role can be any string. Maximum of 100 roles are allowed, each 32 characters long.', { required: true }),
    // Required by Appwrite 1.3, optional since 1.5; with an API key no invitation is sent, so it is optional here.
    bodyParam('url', Url, 'string', 'URL to redirect the user back to your app from the invitation email.', { default: '', example: 'https://example.com' }),
    bodyParam('name', Rules.Text(128), 'string', 'Name of the new team member. Max length: 128 chars.', { default: '' }),
  ],
  success: { status: 201, model: 'membership' },
});

export interface NewMembership {
  membershipId: string;
  teamId: string;
  userId: string;
  roles: string[];
  /** With an API key the invitee joins at once. */
  confirm: boolean;
  at: string;
}

/** Pure: the membership of a fresh id. Uniqueness per (team, user) is the claim's (membership-claims/). */
export function decideCreateMembership({ membershipId, teamId, userId, roles, confirm, at }: NewMembership, state: MembershipState): MembershipEvent[] {
  if (state.lifecycle !== 'absent') throw new TeamDomainError('team_invite_already_exists');
  return [{ type: 'MembershipCreated', occurredAt: at, data: { membershipId, teamId, userId, roles, confirm } }];
}

const createMembership = membershipAggregate(decideCreateMembership);

export interface MembershipInput {
  email: string;
  userId: string;
  phone: string;
  roles: string[];
  name: string;
}

export class CreateMembershipCommand {
  constructor(readonly ctx: RequestContext, readonly teamId: string, readonly input: MembershipInput) {}
}

/**
 * Appwrite 1.3.8's order: one of userId/email/phone, the team, the invitee (by id, else email,
 * else phone; ids naming different users are refused; a missing invitee is created through the
 * Users context), then the (team, user) claim and the membership.
 */
@CommandHandler(CreateMembershipCommand)
export class CreateMembershipHandler implements ICommandHandler<CreateMembershipCommand, string> {
  private readonly claims: MembershipClaims;
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    private readonly clock: Clock,
    private readonly users: UserDirectory,
    private readonly commands: CommandBus,
  ) {
    this.claims = new MembershipClaims(deps);
  }

  /** Returns the id of the new membership. */
  async execute({ ctx, teamId, input }: CreateMembershipCommand): Promise<string> {
    if (!input.userId && !input.email && !input.phone) throw new TeamDomainError('general_argument_invalid', 'At least one of userId, email, or phone is required');
    const email = input.email.toLowerCase();
    requireActiveTeam((await loadStream(this.deps.events, teamStreamId(ctx.projectId, teamId), TEAM_STREAM)).state);
    const userId = await this.invitee(ctx, { ...input, email, name: input.name || email });
    const membershipId = uniqueId();
    const at = this.clock.now();
    await handleCommand(this.deps, createMembership, membershipStreamId(ctx.projectId, membershipId), { membershipId, teamId, userId, roles: input.roles, confirm: true, at }, withoutClient(ctx), {
      prepare: () => this.claims.claim(ctx, ctx.projectId, teamId, userId, membershipId, at),
    });
    return membershipId;
  }

  private async invitee(ctx: RequestContext, { userId, email, phone, name }: MembershipInput): Promise<string> {
    const projectId = ctx.projectId;
    if (userId) {
      const user = await this.users.get(projectId, userId);
      if (!user) throw new TeamDomainError('user_not_found', "User with given userId doesn't exist.");
      if (email && (user.email ?? '') !== email) throw new TeamDomainError('user_already_exists', "Given userId and email doesn't match");
      if (phone && (user.phone ?? '') !== phone) throw new TeamDomainError('user_already_exists', "Given userId and phone doesn't match");
      return user.id;
    }
    let found: UserRecord | null;
    if (email) {
      found = await this.findBy(projectId, 'email', email);
      if (found && phone && (found.phone ?? '') !== phone) throw new TeamDomainError('user_already_exists', "Given email and phone doesn't match");
    } else {
      found = await this.findBy(projectId, 'phone', phone);
    }
    if (found) return found.id;
    // No password: the invitee sets one through a recovery flow (Appwrite stores a random one).
    return this.commands.execute<CreateUserCommand, string>(
      new CreateUserCommand(ctx, { userId: 'unique()', email: email || null, phone: phone || null, name, password: { kind: 'none' } }),
    );
  }

  private async findBy(projectId: string, attribute: 'email' | 'phone', value: string): Promise<UserRecord | null> {
    const { items } = await this.users.list(projectId, { filters: [{ method: 'equal', attribute, values: [value] }], orders: [], limit: 1, offset: 0 });
    return items[0] ?? null;
  }
}

export const createMembershipSlice: Slice = {
  endpoints: [CREATE_MEMBERSHIP],
  controllers: [
    endpointController(CREATE_MEMBERSHIP, async ({ commands, queries }, ctx, p) => {
      const membershipId = await commands.execute<CreateMembershipCommand, string>(
        new CreateMembershipCommand(ctx, p.teamId, { email: p.email, userId: p.userId, phone: p.phone, roles: p.roles, name: p.name }),
      );
      return queries.execute(new GetMembershipQuery(ctx.projectId, p.teamId, membershipId));
    }),
  ],
  providers: [CreateMembershipHandler],
};
