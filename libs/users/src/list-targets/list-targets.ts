import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppwriteException, CollectionListQuery, collectionQueries, listInMemory, TOTAL_PARAM } from '@lib/appwrite';
import { endpointController, queryParam, Slice } from '@lib/http';
import { targetRoute } from '../targets/target-routes';
import type { UserTarget } from '../user';
import { requireUser } from '../user-directory/require-user';
import { UserDirectory } from '../user-directory/user-directory.port';
import { toTargetModel } from '../user-directory/user.model';

/** Appwrite's Queries\Targets: its allowed attributes plus `$id`, `$createdAt`, `$updatedAt`. */
const TARGET_ATTRIBUTE_TYPES = {
  $id: 'string',
  $createdAt: 'datetime',
  $updatedAt: 'datetime',
  userId: 'string',
  providerId: 'string',
  identifier: 'string',
  providerType: 'string',
} as const;
type TargetAttribute = keyof typeof TARGET_ATTRIBUTE_TYPES;
const TARGET_QUERIES = collectionQueries<TargetAttribute>(TARGET_ATTRIBUTE_TYPES);


export const LIST_TARGETS = targetRoute(
  'GET',
  false,
  'users.listTargets',
  'List User Targets',
  [
    queryParam('queries', TARGET_QUERIES.rule, 'array', 'Array of query strings generated using the Query class provided by the SDK. Maximum of 100 queries are allowed, each 4096 characters long. You may filter on the following attributes: userId, providerId, identifier, providerType', { default: TARGET_QUERIES.validate([]), items: { type: 'string' } }),
    TOTAL_PARAM,
  ],
  { status: 200, model: 'targetList' },
);

const targetField = (userId: string) => (t: UserTarget, attribute: TargetAttribute) => {
  switch (attribute) {
    case '$id':
      return t.id;
    case '$createdAt':
      return t.createdAt;
    case '$updatedAt':
      return t.updatedAt;
    case 'userId':
      return userId;
    default:
      return t[attribute];
  }
};

export class ListTargetsQuery {
  constructor(readonly projectId: string, readonly userId: string, readonly query: CollectionListQuery<TargetAttribute>, readonly withTotal: boolean) {}
}

/** A user's targets come with the user record: the query runs over them in memory. */
@QueryHandler(ListTargetsQuery)
export class ListTargetsHandler implements IQueryHandler<ListTargetsQuery> {
  constructor(private readonly directory: UserDirectory) {}
  async execute({ projectId, userId, query, withTotal }: ListTargetsQuery) {
    const user = await requireUser(this.directory, projectId, userId);
    if (query.cursor && !user.targets.some((t) => t.id === query.cursor!.id)) {
      throw new AppwriteException('general_cursor_not_found', `Target '${query.cursor.id}' for the 'cursor' value not found.`);
    }
    const { total, items } = listInMemory(user.targets, query, targetField(user.id), (t) => t.id);
    return { total: withTotal ? total : 0, targets: items.map((t) => toTargetModel(user.id, t)) };
  }
}

export const listTargets: Slice = {
  endpoints: [LIST_TARGETS],
  controllers: [endpointController(LIST_TARGETS, ({ queries }, ctx, p) => queries.execute(new ListTargetsQuery(ctx.projectId, p.userId, p.queries, p.total)))],
  providers: [ListTargetsHandler],
};
