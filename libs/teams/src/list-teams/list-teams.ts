import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppwriteException, assertServable, Rules, TEAM_QUERY_ATTRIBUTES, TeamListQuery, TeamQueries, TOTAL_PARAM, validateTeamQueries } from '@lib/appwrite';
import { endpointController, queryParam, Slice } from '@lib/http';
import { toTeamModel } from '../team-directory/team.model';
import { TeamDirectory } from '../team-directory/teams.port';
import { teamsRead } from '../team-params';

export const LIST_TEAMS = teamsRead({
  path: '/v1/teams',
  sdkMethod: 'teams.list',
  summary: 'List Teams',
  params: [
    queryParam('queries', TeamQueries, 'array', `Array of query strings generated using the Query class provided by the SDK. Maximum of 100 queries are allowed, each 4096 characters long. You may filter on the following attributes: ${TEAM_QUERY_ATTRIBUTES.join(', ')}`, { default: validateTeamQueries([]), items: { type: 'string' } }),
    queryParam('search', Rules.Text(256), 'string', 'Search term to filter your list results. Max length: 256 chars.', { default: '' }),
    TOTAL_PARAM,
  ],
  success: { status: 200, model: 'teamList' },
});

export class ListTeamsQuery {
  constructor(readonly projectId: string, readonly query: TeamListQuery) {}
}

@QueryHandler(ListTeamsQuery)
export class ListTeamsHandler implements IQueryHandler<ListTeamsQuery> {
  constructor(private readonly teams: TeamDirectory) {}
  async execute({ projectId, query }: ListTeamsQuery) {
    if (query.cursor && !(await this.teams.get(projectId, query.cursor.id))) {
      throw new AppwriteException('general_cursor_not_found', `Team '${query.cursor.id}' for the 'cursor' value not found.`);
    }
    assertServable(query);
    const { total, items } = await this.teams.list(projectId, query);
    return { total, teams: items.map((t) => toTeamModel(t, query.select)) };
  }
}

export const listTeams: Slice = {
  endpoints: [LIST_TEAMS],
  controllers: [
    endpointController(LIST_TEAMS, ({ queries }, ctx, p) => queries.execute(new ListTeamsQuery(ctx.projectId, { ...(p.queries as TeamListQuery), ...(p.search ? { search: p.search as string } : {}), includeTotal: p.total as boolean }))),
  ],
  providers: [ListTeamsHandler],
};
