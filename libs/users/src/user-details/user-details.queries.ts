import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadStore, UserRecord } from '../../../read-store/src/read-store.port';
import { UserDomainError } from '../domain/user.errors';
import { prefsModel, toLogModel, toMembershipModel, toUserModel } from '../models/response-models';

export class GetUserQuery {
  constructor(readonly projectId: string, readonly userId: string) {}
}
export class GetUserPrefsQuery {
  constructor(readonly projectId: string, readonly userId: string) {}
}
export class ListUserMembershipsQuery {
  constructor(readonly projectId: string, readonly userId: string) {}
}
export class ListUserLogsQuery {
  constructor(readonly projectId: string, readonly userId: string, readonly limit: number, readonly offset: number) {}
}

export async function requireUser(readStore: ReadStore, projectId: string, userId: string): Promise<UserRecord> {
  const user = await readStore.getUser(projectId, userId);
  if (!user) throw new UserDomainError('user_not_found');
  return user;
}

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(private readonly readStore: ReadStore) {}
  async execute(q: GetUserQuery) {
    return toUserModel(await requireUser(this.readStore, q.projectId, q.userId));
  }
}

@QueryHandler(GetUserPrefsQuery)
export class GetUserPrefsHandler implements IQueryHandler<GetUserPrefsQuery> {
  constructor(private readonly readStore: ReadStore) {}
  async execute(q: GetUserPrefsQuery) {
    return prefsModel((await requireUser(this.readStore, q.projectId, q.userId)).prefs);
  }
}

@QueryHandler(ListUserMembershipsQuery)
export class ListUserMembershipsHandler implements IQueryHandler<ListUserMembershipsQuery> {
  constructor(private readonly readStore: ReadStore) {}
  async execute(q: ListUserMembershipsQuery) {
    const user = await requireUser(this.readStore, q.projectId, q.userId);
    const memberships = (await this.readStore.listMemberships(q.projectId, q.userId)).map((m) => toMembershipModel(m, user));
    return { total: memberships.length, memberships };
  }
}

@QueryHandler(ListUserLogsQuery)
export class ListUserLogsHandler implements IQueryHandler<ListUserLogsQuery> {
  constructor(private readonly readStore: ReadStore) {}
  async execute(q: ListUserLogsQuery) {
    const user = await requireUser(this.readStore, q.projectId, q.userId);
    const { total, items } = await this.readStore.listLogs(q.projectId, q.userId, user.sequence, q.limit, q.offset);
    return { total, logs: items.map((l) => toLogModel(l, user)) };
  }
}

export const USER_DETAILS_QUERY_HANDLERS = [GetUserHandler, GetUserPrefsHandler, ListUserMembershipsHandler, ListUserLogsHandler];
