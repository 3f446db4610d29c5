import { Controller } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { UserQueries, validateUserQueries } from '../../../appwrite/src/queries/user-queries';
import { UserListQuery } from '../../../appwrite/src/queries/user-list-query';
import * as Rules from '../../../appwrite/src/validation/rules';
import { Ctx, Endpoint, EndpointDef, Params } from '../../../http/src/endpoint';
import { queryParam } from '../../../http/src/param-builders';
import { RequestContext } from '../application/request-context';
import { ListUsersQuery } from './list-users.query';

export const LIST_USERS: EndpointDef = {
  method: 'GET',
  path: '/v1/users',
  scope: 'users.read',
  sdkMethod: 'users.list',
  summary: 'List Users',
  params: [
    queryParam('queries', UserQueries, 'array', 'Array of query strings generated using the Query class provided by the SDK. Maximum of 100 queries are allowed, each 4096 characters long. You may filter on the following attributes: name, email, phone, status, passwordUpdate, registration, emailVerification, phoneVerification', { default: validateUserQueries([]), items: { type: 'string' } }),
    queryParam('search', Rules.Text(256), 'string', 'Search term to filter your list results. Max length: 256 chars.', { default: '' }),
  ],
  success: { status: 200, model: 'userList' },
};

@Controller()
export class ListUsersController {
  constructor(private readonly queries: QueryBus) {}

  @Endpoint(LIST_USERS)
  list(@Ctx() ctx: RequestContext, @Params() p: { queries: UserListQuery; search: string }) {
    return this.queries.execute(new ListUsersQuery(ctx.projectId, { ...p.queries, ...(p.search ? { search: p.search } : {}) }));
  }
}
