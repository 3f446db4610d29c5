import { Inject, Type } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand } from '@lib/event-sourcing';
import type { RequestContext } from '@lib/http';
import { userAggregate, UserState, userStreamId } from './user';
import type { UserEvent } from './user.events';

/** A command on one existing user: who asks, which user, and the use case's own data. */
export abstract class UserCommand<Data> {
  constructor(
    readonly ctx: RequestContext,
    readonly userId: string,
    readonly data: Data,
  ) {}
}

/** The use case's decision: the command's data (with the time it happens) against the state. */
export type UserDecide<Data> = (data: Data & { at: string }, state: UserState) => UserEvent[];

/**
 * The command handler of a user use case that touches only the user's own stream: load,
 * decide, append with the expected revision, retry on conflict, wait for the read models.
 */
export function userCommandHandler<Data>(command: Type<UserCommand<Data>>, decide: UserDecide<Data>): Type<ICommandHandler> {
  const aggregate = userAggregate(decide);
  @CommandHandler(command)
  class Handler implements ICommandHandler<UserCommand<Data>, void> {
    constructor(
      @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
      @Inject(Clock) private readonly clock: Clock,
    ) {}

    async execute({ ctx, userId, data }: UserCommand<Data>): Promise<void> {
      await handleCommand(this.deps, aggregate, userStreamId(ctx.projectId, userId), { ...data, at: this.clock.now() }, ctx);
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${command.name}Handler` });
  return Handler;
}
