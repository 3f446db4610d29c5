import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EndpointDef, endpointController, Slice } from '@lib/http';
import { requireUser } from '../user-directory/require-user';
import { UserDirectory } from '../user-directory/user-directory.port';
import { toUserModel } from '../user-directory/user.model';
import { userIdPath } from '../user-params';

export const GET_USER: EndpointDef = { method: 'GET', path: '/v1/users/:userId', scope: 'users.read', tag: 'users', sdkMethod: 'users.get', summary: 'Get User', params: [userIdPath], success: { status: 200, model: 'user' } };

export class GetUserQuery {
  constructor(readonly projectId: string, readonly userId: string) {}
}

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(private readonly directory: UserDirectory) {}
  async execute(q: GetUserQuery) {
    return toUserModel(await requireUser(this.directory, q.projectId, q.userId));
  }
}

export const getUser: Slice = {
  endpoints: [GET_USER],
  controllers: [endpointController(GET_USER, ({ queries }, ctx, p) => queries.execute(new GetUserQuery(ctx.projectId, p.userId)))],
  providers: [GetUserHandler],
};
