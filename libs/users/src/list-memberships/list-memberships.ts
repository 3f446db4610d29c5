import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EndpointDef, endpointController, Slice } from '@lib/http';
import { requireUser } from '../user-directory/require-user';
import { UserDirectory } from '../user-directory/user-directory.port';
import { userIdPath } from '../user-params';

export const LIST_USER_MEMBERSHIPS: EndpointDef = { method: 'GET', path: '/v1/users/:userId/memberships', scope: 'users.read', tag: 'users', sdkMethod: 'users.listMemberships', summary: 'List User Memberships', params: [userIdPath], success: { status: 200, model: 'membershipList' } };

export class ListUserMembershipsQuery {
  constructor(readonly projectId: string, readonly userId: string) {}
}

/** Memberships come with the Teams context; until it exists no user has any. */
@QueryHandler(ListUserMembershipsQuery)
export class ListUserMembershipsHandler implements IQueryHandler<ListUserMembershipsQuery> {
  constructor(private readonly directory: UserDirectory) {}
  async execute(q: ListUserMembershipsQuery) {
    await requireUser(this.directory, q.projectId, q.userId);
    return { total: 0, memberships: [] };
  }
}

export const listMemberships: Slice = {
  endpoints: [LIST_USER_MEMBERSHIPS],
  controllers: [endpointController(LIST_USER_MEMBERSHIPS, ({ queries }, ctx, p) => queries.execute(new ListUserMembershipsQuery(ctx.projectId, p.userId)))],
  providers: [ListUserMembershipsHandler],
};
