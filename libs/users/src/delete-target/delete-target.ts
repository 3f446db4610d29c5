import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand } from '@lib/event-sourcing';
import { endpointController, Slice } from '@lib/http';
import { targetRoute } from '../targets/target-routes';
import { requireTarget } from '../update-target/update-target';
import { userAggregate, UserState, userStreamId } from '../user';
import { UserCommand } from '../user-command';
import type { UserEvent } from '../user.events';
import { targetIdentifierValue, UniqueValues } from '../uniqueness/unique-values';

export const DELETE_TARGET = targetRoute('DELETE', true, 'users.deleteTarget', 'Delete User Target', [], { status: 204, model: null });

/** Pure: an existing target of an existing user is deleted. */
export function decideDeleteTarget({ targetId, at }: { targetId: string; at: string }, state: UserState): UserEvent[] {
  requireTarget(state, targetId);
  return [{ type: 'TargetDeleted', occurredAt: at, data: { targetId } }];
}

const deleteTarget = userAggregate(decideDeleteTarget);

export class DeleteTargetCommand extends UserCommand<{ targetId: string }> {}

/** The id and the identifier are free again once the target is gone (unless the user's email or phone still hold it). */
@CommandHandler(DeleteTargetCommand)
export class DeleteTargetHandler implements ICommandHandler<DeleteTargetCommand, void> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    @Inject(Clock) private readonly clock: Clock,
    private readonly uniques: UniqueValues,
  ) {}

  async execute({ ctx, userId, data: { targetId } }: DeleteTargetCommand): Promise<void> {
    const at = this.clock.now();
    const { before } = await handleCommand(this.deps, deleteTarget, userStreamId(ctx.projectId, userId), { targetId, at }, ctx);
    const target = before.user!.targets.find((t) => t.id === targetId)!;
    await this.uniques.releaseAll(ctx, ctx.projectId, [['target', targetId], targetIdentifierValue(target.providerType, target.identifier)], userId, at);
  }
}

export const deleteTargetSlice: Slice = {
  endpoints: [DELETE_TARGET],
  controllers: [endpointController(DELETE_TARGET, ({ commands }, ctx, p) => commands.execute(new DeleteTargetCommand(ctx, p.userId, { targetId: p.targetId })))],
  providers: [DeleteTargetHandler],
};
