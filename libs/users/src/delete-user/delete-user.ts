import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand } from '@lib/event-sourcing';
import { endpointController, EndpointDef, Slice } from '@lib/http';
import { requireActiveUser, userAggregate, UserState, userStreamId } from '../user';
import type { UserEvent } from '../user.events';
import { UserCommand } from '../user-command';
import { UniqueValues, uniqueValuesOf } from '../uniqueness/unique-values';
import { userIdPath } from '../user-params';

export const DELETE_USER: EndpointDef = {
  method: 'DELETE',
  path: '/v1/users/:userId',
  scope: 'users.write',
  tag: 'users',
  sdkMethod: 'users.delete',
  summary: 'Delete User',
  params: [userIdPath],
  success: { status: 204, model: null },
};

export class DeleteUserCommand extends UserCommand<Record<string, never>> {}

/** Pure: an existing user is deleted, once. */
export const decideDeleteUser = ({ at }: { at: string }, state: UserState): UserEvent[] => {
  requireActiveUser(state);
  return [{ type: 'UserDeleted', occurredAt: at, data: {} }];
};

const deleteUser = userAggregate(decideDeleteUser);

/** Deleting frees the id, email and phone at once; sessions go with the user, audit logs stay. */
@CommandHandler(DeleteUserCommand)
export class DeleteUserHandler implements ICommandHandler<DeleteUserCommand, void> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    private readonly clock: Clock,
    private readonly uniques: UniqueValues,
  ) {}

  async execute({ ctx, userId }: DeleteUserCommand): Promise<void> {
    const at = this.clock.now();
    const { before } = await handleCommand(this.deps, deleteUser, userStreamId(ctx.projectId, userId), { at }, ctx);
    await this.uniques.releaseAll(ctx, ctx.projectId, uniqueValuesOf(before.user!), userId, at);
  }
}

export const deleteUserSlice: Slice = {
  endpoints: [DELETE_USER],
  controllers: [endpointController(DELETE_USER, ({ commands }, ctx, p) => commands.execute(new DeleteUserCommand(ctx, p.userId, {})))],
  providers: [DeleteUserHandler],
};
