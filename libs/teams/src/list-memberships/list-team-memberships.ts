import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppwriteException, assertServable, MEMBERSHIP_QUERY_ATTRIBUTES, MembershipListQuery, MembershipQueries, Rules, TOTAL_PARAM, validateMembershipQueries } from '@lib/appwrite';
import { endpointController, queryParam, Slice } from '@lib/http';
import { toMembershipModel } from '../membership-directory/membership.model';
import { MembershipDirectory } from '../membership-directory/memberships.port';
import { requireTeam } from '../team-directory/require-team';
import { TeamDirectory } from '../team-directory/teams.port';
import { teamIdPath, teamsRead } from '../team-params';

export const LIST_TEAM_MEMBERSHIPS = teamsRead({
  path: '/v1/teams/:teamId/memberships',
  sdkMethod: 'teams.listMemberships',
  summary: 'List Team Memberships',
  params: [
    teamIdPath,
    queryParam('queries', MembershipQueries, 'array', `Array of query strings generated using the Query class provided by the SDK. Maximum of 100 queries are allowed, each 4096 characters long. You may filter on the following attributes: ${MEMBERSHIP_QUERY_ATTRIBUTES.join(', ')}`, { default: validateMembershipQueries([]), items: { type: 'string' } }),
    queryParam('search', Rules.Text(256), 'string', 'Search term to filter your list results. Max length: 256 chars.', { default: '' }),
    TOTAL_PARAM,
  ],
  success: { status: 200, model: 'membershipList' },
});

export class ListTeamMembershipsQuery {
  constructor(readonly projectId: string, readonly teamId: string, readonly query: MembershipListQuery) {}
}

/** Params, then the team (404), then the cursor (any membership of the project, as in Appwrite), then what no store can run. */
@QueryHandler(ListTeamMembershipsQuery)
export class ListTeamMembershipsHandler implements IQueryHandler<ListTeamMembershipsQuery> {
  constructor(private readonly teams: TeamDirectory, private readonly memberships: MembershipDirectory) {}
  async execute({ projectId, teamId, query }: ListTeamMembershipsQuery) {
    await requireTeam(this.teams, projectId, teamId);
    if (query.cursor && !(await this.memberships.get(projectId, query.cursor.id))) {
      throw new AppwriteException('general_cursor_not_found', `Membership '${query.cursor.id}' for the 'cursor' value not found.`);
    }
    assertServable(query);
    const { total, items } = await this.memberships.listOfTeam(projectId, teamId, query);
    return { total, memberships: items.map((m) => toMembershipModel(m, query.select)) };
  }
}

export const listTeamMemberships: Slice = {
  endpoints: [LIST_TEAM_MEMBERSHIPS],
  controllers: [
    endpointController(LIST_TEAM_MEMBERSHIPS, ({ queries }, ctx, p) =>
      queries.execute(new ListTeamMembershipsQuery(ctx.projectId, p.teamId, { ...(p.queries as MembershipListQuery), ...(p.search ? { search: p.search as string } : {}), includeTotal: p.total as boolean })),
    ),
  ],
  providers: [ListTeamMembershipsHandler],
};
