import { Inject, Optional } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, ConcurrencyExhaustedError, handleCommand, loadStream, withoutClient } from '@lib/event-sourcing';
import { endpointController, EndpointDef, Slice } from '@lib/http';
import { IdempotencyStore } from '@lib/idempotency';
import { PersonalDataErasure } from '@lib/personal-data';
import { ReadModelStore } from '@lib/read-models';
import { DeleteUserCommand } from '../delete-user/delete-user';
import { USER_STREAM, userAggregate, UserState, userStreamId } from '../user';
import { UserCommand } from '../user-command';
import { UserDomainError } from '../user.errors';
import type { UserEvent } from '../user.events';
import { userIdPath } from '../user-params';

/**
 * Our own route (Appwrite has none): forget a person for good. 204 like Delete User: there is no
 * resource left to answer with, and a repeat answers the same.
 */
export const ERASE_USER: EndpointDef = {
  method: 'POST',
  path: '/v1/users/:userId/erase',
  scope: 'users.write',
  tag: 'users',
  sdkMethod: 'users.erase',
  summary: 'Erase User',
  params: [userIdPath],
  success: { status: 204, model: null },
};

export class EraseUserCommand extends UserCommand<Record<string, never>> {}

/** The user came back (created again under its id) between its deletion and its erasure. */
export class UserRecreatedError extends Error {
  constructor() {
    super('the user was created again while it was being erased');
    this.name = 'UserRecreatedError';
  }
}

/** Pure: a deleted user is erased, once; a user that never existed cannot be. */
export const decideEraseUser = ({ at }: { at: string }, state: UserState): UserEvent[] => {
  switch (state.lifecycle) {
    case 'absent':
      throw new UserDomainError('user_not_found');
    case 'active':
      throw new UserRecreatedError();
    case 'erased':
      return [];
    case 'deleted':
      return [{ type: 'UserErased', occurredAt: at, data: {} }];
  }
};

const eraseUser = userAggregate(decideEraseUser);
/** Erasures that find the user re-created each time give up after this many rounds. */
const ROUNDS = 3;

/**
 * Erasure: the user is deleted (the existing command: every read model forgets it, its email and
 * phone are released), its data key destroyed (every personal field of its events is unreadable
 * from then on, in every copy of the log), then UserErased is recorded: the logs read model drops
 * the user's log, the other processes drop the key from memory, downstream consumers delete their
 * copies. The remembered answers of idempotent requests that wrote the user's stream are dropped
 * with the key (a retry then learns its answer is lost, 409, and is not run again). Last, the read
 * store's files are purged of what was deleted. The key goes before the
 * event, so a crash in between leaves a repeat to do the rest; a user re-created meanwhile
 * (sealed with the key being destroyed, or a new one) is erased as well.
 */
@CommandHandler(EraseUserCommand)
export class EraseUserHandler implements ICommandHandler<EraseUserCommand, void> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    private readonly clock: Clock,
    private readonly commands: CommandBus,
    private readonly personalData: PersonalDataErasure,
    private readonly readStore: ReadModelStore,
    /** Where this process answers HTTP (the gateway): the remembered answers of Idempotency-Key requests. */
    @Optional() private readonly idempotency?: IdempotencyStore,
  ) {}

  async execute({ ctx, userId }: EraseUserCommand): Promise<void> {
    const streamId = userStreamId(ctx.projectId, userId);
    for (let round = 1; ; round++) {
      const { state } = await loadStream(this.deps.events, streamId, USER_STREAM);
      if (state.lifecycle === 'absent') throw new UserDomainError('user_not_found');
      if (state.lifecycle === 'active') await this.deleteUser(ctx, userId);
      await this.personalData.destroyKeysOf(streamId);
      // A retry of a request that wrote the user's stream would get its first answer, the person in it.
      await this.idempotency?.dropAnswersAbout(ctx.projectId, streamId);
      try {
        // The event says who erased the user and when, not from where.
        await handleCommand(this.deps, eraseUser, streamId, { at: this.clock.now() }, withoutClient(ctx));
        break;
      } catch (err) {
        if (!(err instanceof UserRecreatedError)) throw err;
        if (round === ROUNDS) throw new ConcurrencyExhaustedError(streamId, ROUNDS);
      }
    }
    await this.readStore.purgeDeleted();
  }

  private async deleteUser(ctx: EraseUserCommand['ctx'], userId: string): Promise<void> {
    try {
      await this.commands.execute(new DeleteUserCommand(ctx, userId, {}));
    } catch (err) {
      // Deleted meanwhile by another request: what this one wanted.
      if (!(err instanceof UserDomainError && err.type === 'user_not_found')) throw err;
    }
  }
}

export const eraseUserSlice: Slice = {
  endpoints: [ERASE_USER],
  controllers: [endpointController(ERASE_USER, ({ commands }, ctx, p) => commands.execute(new EraseUserCommand(ctx, p.userId, {})))],
  providers: [EraseUserHandler],
};
