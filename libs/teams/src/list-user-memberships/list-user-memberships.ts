import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppwriteException, assertServable, MEMBERSHIP_QUERY_ATTRIBUTES, MembershipListQuery, Rules, TOTAL_PARAM, UserMembershipQueries, validateUserMembershipQueries } from '@lib/appwrite';
import { EndpointDef, endpointController, pathParam, queryParam, Slice } from '@lib/http';
import { UserDirectory } from '@lib/users';
import { toMembershipModel } from '../membership-directory/membership.model';
import { MembershipDirectory } from '../membership-directory/memberships.port';
import { TeamDomainError } from '../teams.errors';

/**
 * A Users API route (tag `users`, scope `users.read`) served by the Teams context, which owns
 * memberships. Since Appwrite 1.7 it takes the queries and search of List Team Memberships.
 */
export const LIST_USER_MEMBERSHIPS: EndpointDef = {
  method: 'GET',
  path: '/v1/users/:userId/memberships',
  scope: 'users.read',
  tag: 'users',
  sdkMethod: 'users.listMemberships',
  summary: 'List User Memberships',
  params: [
    pathParam('userId', Rules.UID, 'string', 'User ID.'),
    queryParam('queries', UserMembershipQueries, 'array', `Array of query strings generated using the Query class provided by the SDK. Maximum of 100 queries are allowed, each 4096 characters long. You may filter on the following attributes: ${MEMBERSHIP_QUERY_ATTRIBUTES.join(', ')}`, { default: validateUserMembershipQueries([]), items: { type: 'string' } }),
    queryParam('search', Rules.Text(256), 'string', 'Search term to filter your list results. Max length: 256 chars.', { default: '' }),
    TOTAL_PARAM,
  ],
  success: { status: 200, model: 'membershipList' },
};

export class ListUserMembershipsQuery {
  constructor(readonly projectId: string, readonly userId: string, readonly query: MembershipListQuery) {}
}

/**
 * Params, then the user (404), then the cursor (any membership of the project, as for a team's
 * list), then what no store can run. Without a limit query every membership comes (up to 1000,
 * as in 1.3; USER_MEMBERSHIPS_DEFAULT_LIMIT), with names as they are now. `total` counts the
 * matches, as List Team Memberships does (Appwrite 1.7+ answers the page's length here).
 */
@QueryHandler(ListUserMembershipsQuery)
export class ListUserMembershipsHandler implements IQueryHandler<ListUserMembershipsQuery> {
  constructor(private readonly users: UserDirectory, private readonly memberships: MembershipDirectory) {}
  async execute({ projectId, userId, query }: ListUserMembershipsQuery) {
    if (!(await this.users.get(projectId, userId))) throw new TeamDomainError('user_not_found');
    if (query.cursor && !(await this.memberships.get(projectId, query.cursor.id))) {
      throw new AppwriteException('general_cursor_not_found', `Membership '${query.cursor.id}' for the 'cursor' value not found.`);
    }
    assertServable(query);
    const { total, items } = await this.memberships.listOfUser(projectId, userId, query);
    return { total, memberships: items.map((m) => toMembershipModel(m, query.select)) };
  }
}

export const listUserMemberships: Slice = {
  endpoints: [LIST_USER_MEMBERSHIPS],
  controllers: [
    endpointController(LIST_USER_MEMBERSHIPS, ({ queries }, ctx, p) =>
      queries.execute(new ListUserMembershipsQuery(ctx.projectId, p.userId, { ...(p.queries as MembershipListQuery), ...(p.search ? { search: p.search as string } : {}), includeTotal: p.total as boolean })),
    ),
  ],
  providers: [ListUserMembershipsHandler],
};
