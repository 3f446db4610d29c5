import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { encodeSession } from '@lib/appwrite';
import { endpointController, EndpointDef, Slice } from '@lib/http';
import { toSessionModel } from '../sessions/session.model';
import { SessionList, SessionRecord } from '../sessions/sessions.read-model';
import { newSessionId } from '../sessions/create-session';
import { requireActiveUser } from '../user';
import { UserCommand, userCommandHandler, UserDecide } from '../user-command';
import { userIdPath } from '../user-params';
import { addSeconds, newSessionSecret, secretHash } from '../user-secrets';

/** `POST /v1/users/:userId/sessions` (Appwrite 1.5): a session made by the server, for an API-key caller. */
export const CREATE_USER_SESSION: EndpointDef = {
  method: 'POST',
  path: '/v1/users/:userId/sessions',
  scope: 'users.write',
  tag: 'users',
  sdkMethod: 'users.createSession',
  summary: 'Create session',
  params: [userIdPath],
  success: { status: 201, model: 'session' },
};

/** The project's session length (`auths.duration`); projects here have Appwrite's default, one year. */
export const SESSION_LENGTH_SECONDS = 31_536_000;

export interface NewServerSession {
  sessionId: string;
  /** hex SHA-256 of the secret handed to the caller; the secret itself is never recorded. */
  secretHash: string;
  /** The requesting client's ip and user agent, which Appwrite records on the session. */
  ip: string;
  userAgent: string;
}

export class CreateServerSessionCommand extends UserCommand<NewServerSession> {}

/** Pure: a live user gets a `server` session that expires one session length after now. */
export const decideCreateServerSession: UserDecide<NewServerSession> = ({ at, sessionId, secretHash, ip, userAgent }, state) => {
  requireActiveUser(state);
  return [
    {
      type: 'SessionCreated',
      occurredAt: at,
      data: {
        sessionId,
        provider: 'server',
        providerUid: '',
        providerAccessToken: '',
        providerAccessTokenExpiry: null,
        providerRefreshToken: '',
        expire: addSeconds(at, SESSION_LENGTH_SECONDS),
        ip,
        userAgent,
        secretHash,
        factors: ['server'],
      },
    },
  ];
};

const CreateServerSessionHandler = userCommandHandler(CreateServerSessionCommand, decideCreateServerSession);

/** One session of a user, as the sessions read model has it. */
export class GetUserSessionQuery {
  constructor(readonly projectId: string, readonly userId: string, readonly sessionId: string) {}
}

@QueryHandler(GetUserSessionQuery)
export class GetUserSessionHandler implements IQueryHandler<GetUserSessionQuery, SessionRecord> {
  constructor(private readonly sessions: SessionList) {}
  async execute(q: GetUserSessionQuery): Promise<SessionRecord> {
    const session = await this.sessions.get(q.projectId, q.sessionId);
    // The write waited for the read models, so the session is there; anything else is a bug.
    if (!session || session.userId !== q.userId) throw new Error(`Session ${q.sessionId} of ${q.userId} missing from the sessions read model`);
    return session;
  }
}

export const createServerSession: Slice = {
  endpoints: [CREATE_USER_SESSION],
  controllers: [
    endpointController(CREATE_USER_SESSION, async ({ commands, queries }, ctx, p) => {
      const sessionId = newSessionId();
      const secret = newSessionSecret();
      await commands.execute(new CreateServerSessionCommand(ctx, p.userId, { sessionId, secretHash: secretHash(secret), ip: ctx.ip, userAgent: ctx.userAgent }));
      const session: SessionRecord = await queries.execute(new GetUserSessionQuery(ctx.projectId, p.userId, sessionId));
      // The secret as clients hold a session (1.7+); older formats get the raw secret (response filters).
      return toSessionModel(session, encodeSession(p.userId, secret));
    }),
  ],
  providers: [CreateServerSessionHandler, GetUserSessionHandler],
};
