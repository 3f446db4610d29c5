import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppwriteException, assertServable, Rules, TOTAL_PARAM, UserListQuery, UserQueries, validateUserQueries } from '@lib/appwrite';
import { EndpointDef, endpointController, queryParam, Slice } from '@lib/http';
import { UserDirectory } from '../user-directory/user-directory.port';
import { toUserModel } from '../user-directory/user.model';

/** What Appwrite 1.9.6 names (Queries\Users::ALLOWED_ATTRIBUTES); `$id`, `$createdAt`, `$updatedAt` are queryable too. */
const QUERYABLE = 'name, email, phone, status, passwordUpdate, registration, emailVerification, phoneVerification, labels, impersonator, accessedAt';

export const LIST_USERS: EndpointDef = {
  method: 'GET',
  path: '/v1/users',
  scope: 'users.read',
  tag: 'users',
  sdkMethod: 'users.list',
  summary: 'List Users',
  params: [
    queryParam('queries', UserQueries, 'array', `Array of query strings generated using the Query class provided by the SDK. Maximum of 100 queries are allowed, each 4096 characters long. You may filter on the following attributes: ${QUERYABLE}`, { default: validateUserQueries([]), items: { type: 'string' } }),
    queryParam('search', Rules.Text(256), 'string', 'Search term to filter your list results. Max length: 256 chars.', { default: '' }),
    TOTAL_PARAM,
  ],
  success: { status: 200, model: 'userList' },
};

export class ListUsersQuery {
  constructor(readonly projectId: string, readonly query: UserListQuery) {}
}

/** Params, then the cursor, then what no store can run (Appwrite's database layer refuses it last). */
@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(private readonly directory: UserDirectory) {}
  async execute({ projectId, query }: ListUsersQuery) {
    if (query.cursor && !(await this.directory.get(projectId, query.cursor.userId))) {
      throw new AppwriteException('general_cursor_not_found', `User '${query.cursor.userId}' for the 'cursor' value not found.`);
    }
    assertServable(query);
    const { total, items } = await this.directory.list(projectId, query);
    return { total, users: items.map((u) => toUserModel(u, query.select)) };
  }
}

export const listUsers: Slice = {
  endpoints: [LIST_USERS],
  controllers: [
    endpointController(LIST_USERS, ({ queries }, ctx, p) =>
      queries.execute(new ListUsersQuery(ctx.projectId, { ...(p.queries as UserListQuery), ...(p.search ? { search: p.search as string } : {}), includeTotal: p.total as boolean })),
    ),
  ],
  providers: [ListUsersHandler],
};
