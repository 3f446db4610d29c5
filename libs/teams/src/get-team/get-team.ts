import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { endpointController, Slice } from '@lib/http';
import { requireTeam } from '../team-directory/require-team';
import { toTeamModel } from '../team-directory/team.model';
import { TeamDirectory } from '../team-directory/teams.port';
import { teamIdPath, teamsRead } from '../team-params';

export const GET_TEAM = teamsRead({ path: '/v1/teams/:teamId', sdkMethod: 'teams.get', summary: 'Get Team', params: [teamIdPath], success: { status: 200, model: 'team' } });

export class GetTeamQuery {
  constructor(readonly projectId: string, readonly teamId: string) {}
}

@QueryHandler(GetTeamQuery)
export class GetTeamHandler implements IQueryHandler<GetTeamQuery> {
  constructor(private readonly teams: TeamDirectory) {}
  async execute(q: GetTeamQuery) {
    return toTeamModel(await requireTeam(this.teams, q.projectId, q.teamId));
  }
}

export const getTeam: Slice = {
  endpoints: [GET_TEAM],
  controllers: [endpointController(GET_TEAM, ({ queries }, ctx, p) => queries.execute(new GetTeamQuery(ctx.projectId, p.teamId)))],
  providers: [GetTeamHandler],
};
