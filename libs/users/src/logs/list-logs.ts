import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LogQueries, TOTAL_PARAM, validateLogQueries } from '@lib/appwrite';
import { EndpointDef, endpointController, queryParam, Slice } from '@lib/http';
import { requireUser } from '../user-directory/require-user';
import { UserDirectory } from '../user-directory/user-directory.port';
import { userIdPath } from '../user-params';
import { toLogModel } from './log.model';
import { UserLogs } from './logs.read-model';

export const LIST_USER_LOGS: EndpointDef = {
  method: 'GET',
  path: '/v1/users/:userId/logs',
  scope: 'users.read',
  tag: 'users',
  sdkMethod: 'users.listLogs',
  summary: 'List User Logs',
  params: [
    userIdPath,
    queryParam('queries', LogQueries, 'array', 'Array of query strings generated using the Query class provided by the SDK. Only supported methods are limit and offset', { default: validateLogQueries([]), items: { type: 'string' } }),
    TOTAL_PARAM,
  ],
  success: { status: 200, model: 'logList' },
};

export class ListUserLogsQuery {
  constructor(readonly projectId: string, readonly userId: string, readonly limit: number, readonly offset: number, readonly includeTotal = true) {}
}

@QueryHandler(ListUserLogsQuery)
export class ListUserLogsHandler implements IQueryHandler<ListUserLogsQuery> {
  constructor(private readonly directory: UserDirectory, private readonly logs: UserLogs) {}
  async execute(q: ListUserLogsQuery) {
    const user = await requireUser(this.directory, q.projectId, q.userId);
    const { total, items } = await this.logs.list(q.projectId, q.userId, user.sequence, q.limit, q.offset, q.includeTotal);
    return { total, logs: items.map(toLogModel) };
  }
}

export const listLogs: Slice = {
  endpoints: [LIST_USER_LOGS],
  controllers: [endpointController(LIST_USER_LOGS, ({ queries }, ctx, p) => queries.execute(new ListUserLogsQuery(ctx.projectId, p.userId, p.queries.limit, p.queries.offset, p.total)))],
  providers: [ListUserLogsHandler],
};
