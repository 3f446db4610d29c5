import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, isUniqueIdRequest, Rules, uniqueId } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand, withoutClient } from '@lib/event-sourcing';
import { bodyParam, endpointController, RequestContext, Slice } from '@lib/http';
import { GetTeamQuery } from '../get-team/get-team';
import { teamAggregate, TeamState, teamStreamId } from '../team';
import type { TeamEvent } from '../team.events';
import { rolesBody, teamNameBody, teamsWrite } from '../team-params';
import { TeamDomainError } from '../teams.errors';

export const CREATE_TEAM = teamsWrite('POST', {
  path: '/v1/teams',
  sdkMethod: 'teams.create',
  summary: 'Create Team',
  params: [
    bodyParam('teamId', Rules.CustomId, 'string', "Team ID. Choose a custom ID or generate a random ID with `ID.unique()`. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char. Max length is 36 chars.", { required: true, example: 'unique()' }),
    teamNameBody('Team name. Max length: 128 chars.'),
    rolesBody('Array of strings. Use this param to set the roles in the team for the user who created it. The default role is **owner**. A role can be any string. Maximum of 100 roles are allowed, each 32 characters long.', { required: false, default: ['owner'] }),
  ],
  success: { status: 201, model: 'team' },
});

export interface NewTeam {
  teamId: string;
  name: string;
  at: string;
}

/** Pure: a new team, unless the id names a live one (a deleted team's id is free again). With a key nobody becomes a member. */
export function decideCreateTeam({ teamId, name, at }: NewTeam, state: TeamState): TeamEvent[] {
  if (state.lifecycle === 'active') throw new TeamDomainError('team_already_exists');
  return [{ type: 'TeamCreated', occurredAt: at, data: { teamId, name } }];
}

const createTeam = teamAggregate(decideCreateTeam);

export class CreateTeamCommand {
  constructor(readonly ctx: RequestContext, readonly input: { teamId: string; name: string }) {}
}

/** The team stream's expected revision makes the id unique: of racing creates one appends, the others find the team. */
@CommandHandler(CreateTeamCommand)
export class CreateTeamHandler implements ICommandHandler<CreateTeamCommand, string> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    private readonly clock: Clock,
  ) {}

  async execute({ ctx, input }: CreateTeamCommand): Promise<string> {
    const teamId = isUniqueIdRequest(input.teamId) ? uniqueId() : input.teamId;
    await handleCommand(this.deps, createTeam, teamStreamId(ctx.projectId, teamId), { teamId, name: input.name, at: this.clock.now() }, withoutClient(ctx));
    return teamId;
  }
}

export const createTeamSlice: Slice = {
  endpoints: [CREATE_TEAM],
  controllers: [
    endpointController(CREATE_TEAM, async ({ commands, queries }, ctx, p) => {
      const teamId = await commands.execute<CreateTeamCommand, string>(new CreateTeamCommand(ctx, { teamId: p.teamId, name: p.name }));
      return queries.execute(new GetTeamQuery(ctx.projectId, teamId));
    }),
  ],
  providers: [CreateTeamHandler],
};
