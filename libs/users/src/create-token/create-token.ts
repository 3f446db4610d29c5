import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, Rules, uniqueId } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand } from '@lib/event-sourcing';
import { bodyParam, endpointController, EndpointDef, Slice } from '@lib/http';
import { requireActiveUser, userAggregate, userStreamId } from '../user';
import { UserCommand, UserDecide } from '../user-command';
import type { UserEventDataMap } from '../user.events';
import { userIdPath } from '../user-params';
import { addSeconds, newTokenSecret, secretHash } from '../user-secrets';

/** Appwrite's `Auth::TOKEN_EXPIRATION_GENERIC` (the default) and `TOKEN_EXPIRATION_LOGIN_LONG` (the maximum). */
export const TOKEN_EXPIRE_DEFAULT_SECONDS = 900;
export const TOKEN_EXPIRE_MAX_SECONDS = 31_536_000;

/** `POST /v1/users/:userId/tokens` (Appwrite 1.5): a secret for a custom login flow; params in Appwrite's order. */
export const CREATE_USER_TOKEN: EndpointDef = {
  method: 'POST',
  path: '/v1/users/:userId/tokens',
  scope: 'users.write',
  tag: 'users',
  sdkMethod: 'users.createToken',
  summary: 'Create token',
  params: [
    userIdPath,
    bodyParam('length', Rules.Range(4, 128), 'integer', 'Token length in characters. The default length is 6 characters', { default: 6 }),
    bodyParam('expire', Rules.Range(60, TOKEN_EXPIRE_MAX_SECONDS), 'integer', 'Token expiration period in seconds. The default expiration is 15 minutes.', {
      default: TOKEN_EXPIRE_DEFAULT_SECONDS,
    }),
  ],
  success: { status: 201, model: 'token' },
};

export interface NewToken {
  tokenId: string;
  /** hex SHA-256 of the secret handed to the caller; the secret itself is never recorded. */
  secretHash: string;
  /** Seconds from now until the token expires. */
  expireSeconds: number;
}

export class CreateTokenCommand extends UserCommand<NewToken> {}

/** Pure: a live user gets a token that expires `expireSeconds` after now. */
export const decideCreateToken: UserDecide<NewToken> = ({ at, tokenId, secretHash, expireSeconds }, state) => {
  requireActiveUser(state);
  return [{ type: 'TokenCreated', occurredAt: at, data: { tokenId, secretHash, expire: addSeconds(at, expireSeconds) } }];
};

const createToken = userAggregate(decideCreateToken);

/** The token as recorded, and when: tokens have no read model, so the answer is built from this. */
export type CreatedToken = UserEventDataMap['TokenCreated'] & { createdAt: string };

@CommandHandler(CreateTokenCommand)
export class CreateTokenHandler implements ICommandHandler<CreateTokenCommand, CreatedToken> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ ctx, userId, data }: CreateTokenCommand): Promise<CreatedToken> {
    const { events } = await handleCommand(this.deps, createToken, userStreamId(ctx.projectId, userId), { ...data, at: this.clock.now() }, ctx);
    const created = events.find((e) => e.type === 'TokenCreated');
    if (created?.type !== 'TokenCreated') throw new Error('createToken decided no TokenCreated');
    return { ...created.data, createdAt: created.occurredAt };
  }
}

/** Appwrite 1.5's Token model; `secret` in full (only API keys reach this route), `phrase` empty. */
export const toTokenModel = (userId: string, token: CreatedToken, secret: string) => ({
  $id: token.tokenId,
  $createdAt: token.createdAt,
  userId,
  secret,
  expire: token.expire,
  phrase: '',
});

export const createTokenSlice: Slice = {
  endpoints: [CREATE_USER_TOKEN],
  controllers: [
    endpointController(CREATE_USER_TOKEN, async ({ commands }, ctx, p) => {
      const secret = newTokenSecret(p.length);
      const token: CreatedToken = await commands.execute(new CreateTokenCommand(ctx, p.userId, { tokenId: uniqueId(), secretHash: secretHash(secret), expireSeconds: p.expire }));
      return toTokenModel(p.userId, token, secret);
    }),
  ],
  providers: [CreateTokenHandler],
};
