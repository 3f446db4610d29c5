import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { TOTAL_PARAM } from '@lib/appwrite';
import { EndpointDef, endpointController, Slice } from '@lib/http';
import { requireUser } from '../user-directory/require-user';
import { UserDirectory } from '../user-directory/user-directory.port';
import { userIdPath } from '../user-params';
import { toSessionModel } from './session.model';
import { SessionList } from './sessions.read-model';

export const LIST_USER_SESSIONS: EndpointDef = {
  method: 'GET',
  path: '/v1/users/:userId/sessions',
  scope: 'users.read',
  tag: 'users',
  sdkMethod: 'users.listSessions',
  summary: 'List User Sessions',
  params: [userIdPath, TOTAL_PARAM],
  success: { status: 200, model: 'sessionList' },
};

export class ListUserSessionsQuery {
  constructor(readonly projectId: string, readonly userId: string, readonly includeTotal = true) {}
}

@QueryHandler(ListUserSessionsQuery)
export class ListUserSessionsHandler implements IQueryHandler<ListUserSessionsQuery> {
  constructor(private readonly directory: UserDirectory, private readonly sessions: SessionList) {}
  async execute(q: ListUserSessionsQuery) {
    await requireUser(this.directory, q.projectId, q.userId);
    const sessions = (await this.sessions.ofUser(q.projectId, q.userId)).map((s) => toSessionModel(s));
    // Appwrite counts the sessions it read (all of them); without `total` it answers 0.
    return { total: q.includeTotal ? sessions.length : 0, sessions };
  }
}

export const listSessions: Slice = {
  endpoints: [LIST_USER_SESSIONS],
  controllers: [endpointController(LIST_USER_SESSIONS, ({ queries }, ctx, p) => queries.execute(new ListUserSessionsQuery(ctx.projectId, p.userId, p.total)))],
  providers: [ListUserSessionsHandler],
};
