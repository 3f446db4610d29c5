import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppwriteException, CollectionListQuery, collectionQueries, listInMemory, TOTAL_PARAM } from '@lib/appwrite';
import { EventStore, RecordedEvent } from '@lib/event-store';
import { toDomainEvent } from '@lib/event-sourcing';
import { EndpointDef, endpointController, queryParam, Slice } from '@lib/http';
import { userStreamId } from '../user';
import { USER_EVENT_SCHEMA, UserEvent } from '../user.events';
import { UserDomainError } from '../user.errors';
import { userIdPath } from '../user-params';
import { toUserEventModel } from './user-event.model';

/** What the queries may name: the event's id (cursors), its type, revision and time. */
const EVENT_ATTRIBUTE_TYPES = { $id: 'string', type: 'string', revision: 'integer', occurredAt: 'datetime' } as const;
type EventAttribute = keyof typeof EVENT_ATTRIBUTE_TYPES;
const EVENT_QUERIES = collectionQueries<EventAttribute>(EVENT_ATTRIBUTE_TYPES);

export const LIST_USER_EVENTS: EndpointDef = {
  method: 'GET',
  path: '/v1/users/:userId/events',
  scope: 'users.read',
  tag: 'users',
  sdkMethod: 'users.listEvents',
  summary: 'List User Events',
  description:
    "The user's history: every event of its stream, oldest first, as stored in the event log (not a read model), across deletions and re-creations under the same id; " +
    'a deleted user keeps it. Each event has its id (the cursor value), type, revision in the stream, position in the log, time, schema version, actor, request id, ip, user agent, ' +
    'and the public view of its data: never a password hash, hash options, secret hash, provider token or recovery code. ' +
    '`GET /v1/users/{userId}?revision=<revision>` reads the user as it was right after an event. 404 `user_not_found` only for an id that never had a user. ' +
    'Email and phone reservations are not the user\'s events (they belong to the value) and are not listed; nor are team memberships (List User Memberships).',
  params: [
    userIdPath,
    queryParam('queries', EVENT_QUERIES.rule, 'array', 'Array of query strings generated using the Query class provided by the SDK. Maximum of 100 queries are allowed, each 4096 characters long. limit, offset, cursorAfter and cursorBefore (an event id), orders, and filters on the following attributes: type, revision, occurredAt', {
      default: EVENT_QUERIES.validate([]),
      items: { type: 'string' },
    }),
    TOTAL_PARAM,
  ],
  success: { status: 200, model: 'userEventList' },
};

interface HistoryEntry {
  recorded: RecordedEvent;
  event: UserEvent;
}

const eventField = ({ recorded, event }: HistoryEntry, attribute: EventAttribute) => {
  switch (attribute) {
    case '$id':
      return recorded.id;
    case 'type':
      return event.type;
    case 'revision':
      return recorded.revision;
    case 'occurredAt':
      return event.occurredAt;
  }
};

export class ListUserEventsQuery {
  constructor(readonly projectId: string, readonly userId: string, readonly query: CollectionListQuery<EventAttribute>, readonly withTotal: boolean) {}
}

/**
 * A user's stream, read through the kernel's record → domain event path (upcasters included),
 * then paged in memory: a stream is one user's events, small next to what a read model indexes.
 */
@QueryHandler(ListUserEventsQuery)
export class ListUserEventsHandler implements IQueryHandler<ListUserEventsQuery> {
  constructor(private readonly events: EventStore) {}
  async execute({ projectId, userId, query, withTotal }: ListUserEventsQuery) {
    const recorded = await this.events.readStream(userStreamId(projectId, userId));
    if (recorded.length === 0) throw new UserDomainError('user_not_found');
    if (query.select) throw new AppwriteException('general_query_invalid', 'Invalid query: Query method not supported on this route: select');
    const history = recorded.flatMap((r): HistoryEntry[] => {
      const event = toDomainEvent<UserEvent>(USER_EVENT_SCHEMA, r);
      return event ? [{ recorded: r, event }] : [];
    });
    if (query.cursor && !history.some((h) => h.recorded.id === query.cursor!.id)) {
      throw new AppwriteException('general_cursor_not_found', `Event '${query.cursor.id}' for the 'cursor' value not found.`);
    }
    const { total, items } = listInMemory(history, query, eventField, (h) => h.recorded.id);
    return { total: withTotal ? total : 0, events: items.map((h) => toUserEventModel(h.recorded, h.event)) };
  }
}

export const listUserEvents: Slice = {
  endpoints: [LIST_USER_EVENTS],
  controllers: [endpointController(LIST_USER_EVENTS, ({ queries }, ctx, p) => queries.execute(new ListUserEventsQuery(ctx.projectId, p.userId, p.queries, p.total)))],
  providers: [ListUserEventsHandler],
};
