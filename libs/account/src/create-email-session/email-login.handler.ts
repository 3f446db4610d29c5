import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, formatDate, uniqueId } from '@lib/appwrite';
import type { EventStore } from '@lib/event-store';
import { COMMAND_DEPS, CommandDeps, handleCommand, loadStream } from '@lib/event-sourcing';
import type { RequestContext } from '@lib/http';
import { HashingPort } from '@lib/passwords';
import { AccessDirectory } from '@lib/projects';
import { ReservationNames, UNIQUE_VALUE, USER_STREAM, userStreamId, type SessionDetails, type UserFields } from '@lib/users';
import { hashSessionSecret, newSessionSecret } from '../session-secret';
import { DUMMY_STORED_PASSWORD, EMAIL_LOGIN, LoginRefusedError, needsRehash, SESSION_LENGTH_SECONDS } from './email-login';

/** An email/password login: the email already lower-cased. */
export class CreateEmailSessionCommand {
  constructor(
    readonly ctx: RequestContext,
    readonly email: string,
    readonly password: string,
  ) {}
}

/** What the client is handed: the secret exists only here and in the cookies, never in an event. */
export interface CreatedEmailSession {
  userId: string;
  sessionId: string;
  secret: string;
  expire: string;
}

/**
 * The user that holds an email in a project, read from the log: the email's reservation stream
 * names its owner, whose own stream must still hold that email (a claim of a crashed write or a
 * released value names nobody). Strongly consistent, unlike a read model, so a user blocked or
 * given a new password a moment ago is seen as such by the next login.
 */
export async function userByEmail(events: EventStore, names: ReservationNames, projectId: string, email: string): Promise<UserFields | null> {
  const claim = await loadStream(events, names.streamIdOf(projectId, 'email', email), UNIQUE_VALUE);
  const owner = claim.state.owner;
  if (owner === null) return null;
  const { state } = await loadStream(events, userStreamId(projectId, owner), USER_STREAM);
  return state.lifecycle === 'active' && state.user?.email === email ? state.user : null;
}

/**
 * Appwrite's email login (account.php, 1.3.8): the password is verified against the stored
 * hash on the hashing pool (or the Kafka hashers), never on the event loop; an unknown email or
 * a user without a password costs one verification of a dummy default hash, so that timing does
 * not tell which emails exist. A blocked user is told so only after the password matched.
 */
@CommandHandler(CreateEmailSessionCommand)
export class CreateEmailSessionHandler implements ICommandHandler<CreateEmailSessionCommand, CreatedEmailSession> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    private readonly clock: Clock,
    private readonly hashing: HashingPort,
    private readonly access: AccessDirectory,
    private readonly names: ReservationNames,
  ) {}

  async execute({ ctx, email, password }: CreateEmailSessionCommand): Promise<CreatedEmailSession> {
    const user = await userByEmail(this.deps.events, this.names, ctx.projectId, email);
    const stored = user && user.password !== null ? { password: user.password, hash: user.hash, hashOptions: user.hashOptions } : DUMMY_STORED_PASSWORD;
    const verified = await this.hashing.verify(password, stored);
    if (!user) throw new LoginRefusedError('unknown_email');
    if (user.password === null) throw new LoginRefusedError('no_password');
    if (!verified) throw new LoginRefusedError('wrong_password');
    if (!user.status) throw new LoginRefusedError('blocked');

    // Hashed before the append: slow work never sits between reading and writing the stream.
    const rehashed = needsRehash(user) && (await this.rehashOnLogin(ctx.projectId)) ? await this.hashing.hash(password) : null;
    const at = this.clock.now();
    const secret = newSessionSecret();
    const session: SessionDetails = {
      sessionId: uniqueId(),
      provider: 'email',
      providerUid: email,
      providerAccessToken: '',
      providerAccessTokenExpiry: null,
      providerRefreshToken: '',
      expire: formatDate(Date.parse(at) + SESSION_LENGTH_SECONDS * 1000),
      ip: ctx.ip,
      // Appwrite records `UNKNOWN` for a request without one.
      userAgent: ctx.userAgent || 'UNKNOWN',
      secretHash: hashSessionSecret(secret),
      factors: ['password'],
    };
    await handleCommand(this.deps, EMAIL_LOGIN, userStreamId(ctx.projectId, user.id), { email, verifiedPassword: user.password, verifiedPasswordUpdate: user.passwordUpdate, session, rehashed, at }, { ...ctx, actor: { type: 'user', id: user.id } });
    return { userId: user.id, sessionId: session.sessionId, secret, expire: session.expire! };
  }

  private async rehashOnLogin(projectId: string): Promise<boolean> {
    return (await this.access.getProject(projectId))?.loginRehash !== false;
  }
}
