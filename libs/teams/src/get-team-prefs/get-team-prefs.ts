import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { endpointController, Slice } from '@lib/http';
import { requireTeam } from '../team-directory/require-team';
import { prefsModel } from '../team-directory/team.model';
import { TeamDirectory } from '../team-directory/teams.port';
import { teamIdPath, teamsRead } from '../team-params';

export const GET_TEAM_PREFS = teamsRead({ path: '/v1/teams/:teamId/prefs', sdkMethod: 'teams.getPrefs', summary: 'Get Team Preferences', params: [teamIdPath], success: { status: 200, model: 'preferences' } });

export class GetTeamPrefsQuery {
  constructor(readonly projectId: string, readonly teamId: string) {}
}

@QueryHandler(GetTeamPrefsQuery)
export class GetTeamPrefsHandler implements IQueryHandler<GetTeamPrefsQuery> {
  constructor(private readonly teams: TeamDirectory) {}
  async execute(q: GetTeamPrefsQuery) {
    return prefsModel((await requireTeam(this.teams, q.projectId, q.teamId)).prefs);
  }
}

export const getTeamPrefs: Slice = {
  endpoints: [GET_TEAM_PREFS],
  controllers: [endpointController(GET_TEAM_PREFS, ({ queries }, ctx, p) => queries.execute(new GetTeamPrefsQuery(ctx.projectId, p.teamId)))],
  providers: [GetTeamPrefsHandler],
};
