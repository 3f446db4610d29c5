import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppwriteException, Rules } from '@lib/appwrite';
import { EventStore } from '@lib/event-store';
import { EndpointDef, endpointController, queryParam, Slice } from '@lib/http';
import { userStreamId } from '../user';
import { userAnswer, userSuccess } from '../user-answer';
import { requireUser } from '../user-directory/require-user';
import { UserDirectory } from '../user-directory/user-directory.port';
import { UserDomainError } from '../user.errors';
import { userIdPath } from '../user-params';
import { UserMoment, userAsOf } from './user-as-of';

export const GET_USER: EndpointDef = {
  method: 'GET',
  path: '/v1/users/:userId',
  scope: 'users.read',
  tag: 'users',
  sdkMethod: 'users.get',
  summary: 'Get User',
  description:
    'The user as it is, or, with `at` or `revision` (not both), as it was then: computed from its event stream, not stored, with the same model and response formats. ' +
    '404 `user_not_found` when the user did not exist at that moment (before its creation, after its deletion, or at a revision its stream has not reached). ' +
    'Every answer names the revision it shows in its ETag; a revision and the history (`GET /v1/users/{userId}/events`) use the same numbers.',
  params: [
    userIdPath,
    queryParam('at', Rules.IsoDate, 'string', 'A moment (ISO 8601): the user as its events up to then made it. Not with `revision`.', { example: '2024-05-09T05:19:31.112+00:00' }),
    queryParam('revision', Rules.Range(0, Number.MAX_SAFE_INTEGER), 'integer', "A revision of the user's event stream (the number an ETag names): the user right after that event. Not with `at`.", { example: 0 }),
  ],
  success: userSuccess(200),
};

export class GetUserQuery {
  constructor(readonly projectId: string, readonly userId: string) {}
}

/** The user at a moment of its stream, read from the event store (a read model keeps no past). */
export class GetUserAsOfQuery {
  constructor(readonly projectId: string, readonly userId: string, readonly moment: UserMoment) {}
}

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(private readonly directory: UserDirectory) {}
  async execute(q: GetUserQuery) {
    const user = await requireUser(this.directory, q.projectId, q.userId);
    return userAnswer(user, user.revision);
  }
}

@QueryHandler(GetUserAsOfQuery)
export class GetUserAsOfHandler implements IQueryHandler<GetUserAsOfQuery> {
  constructor(private readonly events: EventStore) {}
  async execute(q: GetUserAsOfQuery) {
    const asOf = userAsOf(await this.events.readStream(userStreamId(q.projectId, q.userId)), q.moment);
    if (!asOf) throw new UserDomainError('user_not_found');
    return userAnswer(asOf.user, asOf.revision);
  }
}

/** `at` or `revision`, validated; both at once is refused like a bad value. */
function momentOf(p: { at?: string; revision?: number }): UserMoment | null {
  if (p.at !== undefined && p.revision !== undefined) throw new AppwriteException('general_argument_invalid', 'Invalid revision: Only one of at and revision may be given');
  if (p.at !== undefined) return { at: p.at };
  return p.revision !== undefined ? { revision: p.revision } : null;
}

export const getUser: Slice = {
  endpoints: [GET_USER],
  controllers: [
    endpointController(GET_USER, ({ queries }, ctx, p) => {
      const moment = momentOf(p);
      return queries.execute(moment ? new GetUserAsOfQuery(ctx.projectId, p.userId, moment) : new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [GetUserHandler, GetUserAsOfHandler],
};
