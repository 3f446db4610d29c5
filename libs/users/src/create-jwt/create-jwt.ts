import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, Rules } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, loadStream } from '@lib/event-sourcing';
import { bodyParam, endpointController, EndpointDef, JwtKey, signJwt, Slice, UserJwtClaims } from '@lib/http';
import { requireActiveUser, USER_STREAM, UserState, userStreamId } from '../user';
import { UserCommand } from '../user-command';
import { UserDomainError } from '../user.errors';
import { userIdPath } from '../user-params';

/** The `sessionId` that names the user's newest session. */
export const RECENT_SESSION = 'recent';
export const JWT_DURATION_DEFAULT_SECONDS = 900;

/** `POST /v1/users/:userId/jwts` (Appwrite 1.6): a JWT that acts as the user, until `duration` has passed. */
export const CREATE_USER_JWT: EndpointDef = {
  method: 'POST',
  path: '/v1/users/:userId/jwts',
  scope: 'users.write',
  tag: 'users',
  sdkMethod: 'users.createJWT',
  summary: 'Create user JWT',
  params: [
    userIdPath,
    bodyParam('sessionId', Rules.UID, 'string', "Session ID. Use the string 'recent' to use the most recent session. Without it the JWT names no session.", { default: '' }),
    bodyParam('duration', Rules.Range(0, 3600), 'integer', 'Time in seconds before JWT expires. Default duration is 900 seconds, and maximum is 3600 seconds.', {
      default: JWT_DURATION_DEFAULT_SECONDS,
    }),
  ],
  success: { status: 201, model: 'jwt' },
};

export interface JwtRequest {
  /** `recent`, a session id, or '' for none. */
  sessionId: string;
  duration: number;
}

export class CreateJwtCommand extends UserCommand<JwtRequest> {}

/**
 * Pure: the claims of the JWT, decided on the user's stream. Nothing is recorded (Appwrite keeps
 * no trace of a JWT either): a JWT stays valid until `exp` unless its session goes away.
 * `recent` with no session, like no `sessionId`, names no session (`sessionId: ''`).
 */
export function decideJwtClaims({ sessionId, duration, at }: JwtRequest & { at: string }, state: UserState): UserJwtClaims {
  const user = requireActiveUser(state);
  let session = '';
  if (sessionId === RECENT_SESSION) session = state.sessionIds[state.sessionIds.length - 1] ?? '';
  else if (sessionId !== '') {
    if (!state.sessionIds.includes(sessionId)) throw new UserDomainError('user_session_not_found');
    session = sessionId;
  }
  return { userId: user.id, sessionId: session, exp: Math.floor(Date.parse(at) / 1000) + duration };
}

@CommandHandler(CreateJwtCommand)
export class CreateJwtHandler implements ICommandHandler<CreateJwtCommand, { jwt: string }> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(JwtKey) private readonly key: JwtKey,
  ) {}

  /** Reads the user's stream (not a read model), so a session deleted a moment ago is already gone. */
  async execute({ ctx, userId, data }: CreateJwtCommand): Promise<{ jwt: string }> {
    const { state } = await loadStream(this.deps.events, userStreamId(ctx.projectId, userId), USER_STREAM);
    return { jwt: signJwt(decideJwtClaims({ ...data, at: this.clock.now() }, state), this.key.secret) };
  }
}

export const createJwt: Slice = {
  endpoints: [CREATE_USER_JWT],
  controllers: [
    endpointController(CREATE_USER_JWT, ({ commands }, ctx, p) => commands.execute(new CreateJwtCommand(ctx, p.userId, { sessionId: p.sessionId, duration: p.duration }))),
  ],
  providers: [CreateJwtHandler],
};
