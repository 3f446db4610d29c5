import { Inject, Type } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand } from '@lib/event-sourcing';
import { requireActiveUser, userAggregate, UserState, userStreamId } from './user';
import { UserCommand } from './user-command';
import { UserDomainError, UserErrorType } from './user.errors';
import type { UserEvent } from './user.events';
import { UniqueKind, UniqueValueTakenError } from './uniqueness/unique-value';
import { UniqueValues } from './uniqueness/unique-values';

/** Pure: the change of a unique field of an existing user; the event is recorded even for the same value. */
export function decideUniqueFieldChange(event: (value: string, at: string) => UserEvent): (command: { value: string; at: string }, state: UserState) => UserEvent[] {
  return ({ value, at }, state) => {
    requireActiveUser(state);
    return [event(value, at)];
  };
}

/**
 * The handler of a change to a unique field (email, phone): the new value is claimed before
 * the user's event is appended (released again if the append loses a race), and the old
 * value is released once the change is stored.
 */
export function uniqueFieldChangeHandler(
  command: Type<UserCommand<{ value: string }>>,
  kind: UniqueKind,
  conflict: UserErrorType,
  event: (value: string, at: string) => UserEvent,
): Type<ICommandHandler> {
  const aggregate = userAggregate(decideUniqueFieldChange(event));
  @CommandHandler(command)
  class Handler implements ICommandHandler<UserCommand<{ value: string }>, void> {
    private readonly uniques: UniqueValues;
    constructor(
      @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
      @Inject(Clock) private readonly clock: Clock,
    ) {
      this.uniques = new UniqueValues(deps);
    }

    async execute({ ctx, userId, data: { value } }: UserCommand<{ value: string }>): Promise<void> {
      const at = this.clock.now();
      let result;
      try {
        result = await handleCommand(this.deps, aggregate, userStreamId(ctx.projectId, userId), { value, at }, ctx, {
          prepare: async (state) =>
            state.user && state.user[kind] !== value ? this.uniques.claimAll(ctx, ctx.projectId, [[kind, value]], userId, at) : undefined,
        });
      } catch (err) {
        if (err instanceof UniqueValueTakenError) throw new UserDomainError(conflict);
        throw err;
      }
      const previous = result.before.user?.[kind] ?? null;
      if (previous !== null && previous !== value) await this.uniques.release(ctx, ctx.projectId, kind, previous, userId, at);
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${command.name}Handler` });
  return Handler;
}
