import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EndpointDef, endpointController, Slice } from '@lib/http';
import { requireUser } from '../user-directory/require-user';
import { UserDirectory } from '../user-directory/user-directory.port';
import { prefsModel } from '../user-directory/user.model';
import { userIdPath } from '../user-params';

export const GET_USER_PREFS: EndpointDef = { method: 'GET', path: '/v1/users/:userId/prefs', scope: 'users.read', tag: 'users', sdkMethod: 'users.getPrefs', summary: 'Get User Preferences', params: [userIdPath], success: { status: 200, model: 'preferences' } };

export class GetUserPrefsQuery {
  constructor(readonly projectId: string, readonly userId: string) {}
}

@QueryHandler(GetUserPrefsQuery)
export class GetUserPrefsHandler implements IQueryHandler<GetUserPrefsQuery> {
  constructor(private readonly directory: UserDirectory) {}
  async execute(q: GetUserPrefsQuery) {
    return prefsModel((await requireUser(this.directory, q.projectId, q.userId)).prefs);
  }
}

export const getUserPrefs: Slice = {
  endpoints: [GET_USER_PREFS],
  controllers: [endpointController(GET_USER_PREFS, ({ queries }, ctx, p) => queries.execute(new GetUserPrefsQuery(ctx.projectId, p.userId)))],
  providers: [GetUserPrefsHandler],
};
