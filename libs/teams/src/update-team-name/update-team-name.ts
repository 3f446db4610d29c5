import { endpointController, EndpointDef, Slice } from '@lib/http';
import { GetTeamQuery } from '../get-team/get-team';
import { requireActiveTeam } from '../team';
import { TeamCommand, teamCommandHandler, TeamDecide } from '../team-command';
import { teamIdPath, teamNameBody, teamsWrite } from '../team-params';

const route = (path: string, sdkMethod: string, summary: string): EndpointDef =>
  teamsWrite('PUT', { path, sdkMethod, summary, params: [teamIdPath, teamNameBody('New team name. Max length: 128 chars.')], success: { status: 200, model: 'team' } });

/** Appwrite 1.3 (and every SDK since) renames with PUT /teams/{teamId}. */
export const UPDATE_TEAM_NAME = route('/v1/teams/:teamId', 'teams.updateName', 'Update Name');
/** Appwrite 1.4+ documents PUT /teams/{teamId}/name as well. */
export const UPDATE_TEAM_NAME_14 = route('/v1/teams/:teamId/name', 'teams.updateTeamName', 'Update Name (1.4+ route)');

export class RenameTeamCommand extends TeamCommand<{ name: string }> {}

export const decideRenameTeam: TeamDecide<{ name: string }> = ({ at, name }, state) => {
  requireActiveTeam(state);
  return [{ type: 'TeamRenamed', occurredAt: at, data: { name } }];
};

const RenameTeamHandler = teamCommandHandler(RenameTeamCommand, decideRenameTeam);

export const updateTeamName: Slice = {
  endpoints: [UPDATE_TEAM_NAME, UPDATE_TEAM_NAME_14],
  controllers: [UPDATE_TEAM_NAME, UPDATE_TEAM_NAME_14].map((def) =>
    endpointController(def, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new RenameTeamCommand(ctx, p.teamId, { name: p.name }));
      return queries.execute(new GetTeamQuery(ctx.projectId, p.teamId));
    }),
  ),
  providers: [RenameTeamHandler],
};
