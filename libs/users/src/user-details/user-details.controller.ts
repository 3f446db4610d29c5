import { Controller } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { LogQueries, validateLogQueries } from '../../../appwrite/src/queries/log-queries';
import { Ctx, Endpoint, EndpointDef, Params } from '../../../http/src/endpoint';
import { queryParam } from '../../../http/src/param-builders';
import * as Rules from '../../../appwrite/src/validation/rules';
import { RequestContext } from '../application/request-context';
import { userIdPath } from '../shared/common-params';
import { GetUserPrefsQuery, GetUserQuery, ListUserLogsQuery, ListUserMembershipsQuery } from './user-details.queries';

const read = { method: 'GET' as const, scope: 'users.read' as const };

export const GET_USER: EndpointDef = { ...read, path: '/v1/users/:userId', sdkMethod: 'users.get', summary: 'Get User', params: [userIdPath], success: { status: 200, model: 'user' } };
export const GET_USER_PREFS: EndpointDef = { ...read, path: '/v1/users/:userId/prefs', sdkMethod: 'users.getPrefs', summary: 'Get User Preferences', params: [userIdPath], success: { status: 200, model: 'preferences' } };
export const LIST_USER_MEMBERSHIPS: EndpointDef = { ...read, path: '/v1/users/:userId/memberships', sdkMethod: 'users.listMemberships', summary: 'List User Memberships', params: [userIdPath], success: { status: 200, model: 'membershipList' } };
export const LIST_USER_LOGS: EndpointDef = {
  ...read,
  path: '/v1/users/:userId/logs',
  sdkMethod: 'users.listLogs',
  summary: 'List User Logs',
  params: [
    userIdPath,
    queryParam('queries', LogQueries, 'array', 'Array of query strings generated using the Query class provided by the SDK. Only supported methods are limit and offset', { default: validateLogQueries([]), items: { type: 'string' } }),
  ],
  success: { status: 200, model: 'logList' },
};

@Controller()
export class UserDetailsController {
  constructor(private readonly queries: QueryBus) {}

  @Endpoint(GET_USER)
  get(@Ctx() ctx: RequestContext, @Params() p: { userId: string }) {
    return this.queries.execute(new GetUserQuery(ctx.projectId, p.userId));
  }

  @Endpoint(GET_USER_PREFS)
  prefs(@Ctx() ctx: RequestContext, @Params() p: { userId: string }) {
    return this.queries.execute(new GetUserPrefsQuery(ctx.projectId, p.userId));
  }

  @Endpoint(LIST_USER_MEMBERSHIPS)
  memberships(@Ctx() ctx: RequestContext, @Params() p: { userId: string }) {
    return this.queries.execute(new ListUserMembershipsQuery(ctx.projectId, p.userId));
  }

  @Endpoint(LIST_USER_LOGS)
  logs(@Ctx() ctx: RequestContext, @Params() p: { userId: string; queries: { limit: number; offset: number } }) {
    const { limit, offset } = p.queries;
    return this.queries.execute(new ListUserLogsQuery(ctx.projectId, p.userId, limit, offset));
  }
}
