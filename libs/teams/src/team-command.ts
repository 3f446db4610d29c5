import { Inject, Type } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand, withoutClient } from '@lib/event-sourcing';
import type { RequestContext } from '@lib/http';
import { teamAggregate, TeamState, teamStreamId } from './team';
import type { TeamEvent } from './team.events';

/** A command on one team: who asks, which team, and the use case's own data. */
export abstract class TeamCommand<Data> {
  constructor(
    readonly ctx: RequestContext,
    readonly teamId: string,
    readonly data: Data,
  ) {}
}

export type TeamDecide<Data> = (data: Data & { at: string }, state: TeamState) => TeamEvent[];

/**
 * The handler of a team use case that touches only the team's stream (handleCommand: load, decide, append, retry, wait).
 * Team, membership and claim events record who asked and when, not from where (`withoutClient`):
 * the client's ip and user agent are a person's, and these streams are sealed with no one's key.
 */
export function teamCommandHandler<Data>(command: Type<TeamCommand<Data>>, decide: TeamDecide<Data>): Type<ICommandHandler> {
  const aggregate = teamAggregate(decide);
  @CommandHandler(command)
  class Handler implements ICommandHandler<TeamCommand<Data>, void> {
    constructor(
      @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
      @Inject(Clock) private readonly clock: Clock,
    ) {}

    async execute({ ctx, teamId, data }: TeamCommand<Data>): Promise<void> {
      await handleCommand(this.deps, aggregate, teamStreamId(ctx.projectId, teamId), { ...data, at: this.clock.now() }, withoutClient(ctx));
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${command.name}Handler` });
  return Handler;
}
