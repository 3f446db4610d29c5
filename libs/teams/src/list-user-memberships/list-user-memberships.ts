import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Rules } from '@lib/appwrite';
import { EndpointDef, endpointController, pathParam, Slice } from '@lib/http';
import { UserDirectory } from '@lib/users';
import { toMembershipModel } from '../membership-directory/membership.model';
import { MembershipDirectory } from '../membership-directory/memberships.port';
import { TeamDomainError } from '../teams.errors';

/** A Users API route (tag `users`, scope `users.read`) served by the Teams context, which owns memberships. */
export const LIST_USER_MEMBERSHIPS: EndpointDef = {
  method: 'GET',
  path: '/v1/users/:userId/memberships',
  scope: 'users.read',
  tag: 'users',
  sdkMethod: 'users.listMemberships',
  summary: 'List User Memberships',
  params: [pathParam('userId', Rules.UID, 'string', 'User ID.')],
  success: { status: 200, model: 'membershipList' },
};

export class ListUserMembershipsQuery {
  constructor(readonly projectId: string, readonly userId: string) {}
}

/** Every membership of the user, creation order, at most 1000, with names as they are now. */
@QueryHandler(ListUserMembershipsQuery)
export class ListUserMembershipsHandler implements IQueryHandler<ListUserMembershipsQuery> {
  constructor(private readonly users: UserDirectory, private readonly memberships: MembershipDirectory) {}
  async execute(q: ListUserMembershipsQuery) {
    if (!(await this.users.get(q.projectId, q.userId))) throw new TeamDomainError('user_not_found');
    const items = await this.memberships.listOfUser(q.projectId, q.userId);
    return { total: items.length, memberships: items.map((m) => toMembershipModel(m)) };
  }
}

export const listUserMemberships: Slice = {
  endpoints: [LIST_USER_MEMBERSHIPS],
  controllers: [endpointController(LIST_USER_MEMBERSHIPS, ({ queries }, ctx, p) => queries.execute(new ListUserMembershipsQuery(ctx.projectId, p.userId)))],
  providers: [ListUserMembershipsHandler],
};
