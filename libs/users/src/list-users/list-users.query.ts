import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppwriteException } from '../../../appwrite/src/errors/appwrite-exception';
import { UserListQuery } from '../../../appwrite/src/queries/user-list-query';
import { ReadStore } from '../../../read-store/src/read-store.port';
import { toUserModel } from '../models/response-models';

export class ListUsersQuery {
  constructor(readonly projectId: string, readonly query: UserListQuery) {}
}

@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(private readonly readStore: ReadStore) {}

  async execute({ projectId, query }: ListUsersQuery) {
    if (query.cursor && !(await this.readStore.getUser(projectId, query.cursor.userId))) {
      throw new AppwriteException('general_cursor_not_found', `User '${query.cursor.userId}' for the 'cursor' value not found.`);
    }
    const { total, items } = await this.readStore.listUsers(projectId, query);
    return { total, users: items.map((u) => toUserModel(u, query.select)) };
  }
}
