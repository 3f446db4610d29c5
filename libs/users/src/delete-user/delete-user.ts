import { Controller } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Ctx, Endpoint, EndpointDef, Params } from '../../../http/src/endpoint';
import { RequestContext } from '../application/request-context';
import { UserCommands } from '../application/user-commands.service';
import { userIdPath } from '../shared/common-params';

export class DeleteUserCommand {
  constructor(readonly ctx: RequestContext, readonly userId: string) {}
}

/** Deleting frees the id, email and phone at once; sessions go with the user, audit logs stay. */
@CommandHandler(DeleteUserCommand)
export class DeleteUserHandler implements ICommandHandler<DeleteUserCommand, void> {
  constructor(private readonly users: UserCommands) {}
  execute({ ctx, userId }: DeleteUserCommand): Promise<void> {
    return this.users.delete(ctx, userId);
  }
}

export const DELETE_USER: EndpointDef = {
  method: 'DELETE',
  path: '/v1/users/:userId',
  scope: 'users.write',
  sdkMethod: 'users.delete',
  summary: 'Delete User',
  params: [userIdPath],
  success: { status: 204, model: null },
};

@Controller()
export class DeleteUserController {
  constructor(private readonly commands: CommandBus) {}

  @Endpoint(DELETE_USER)
  async delete(@Ctx() ctx: RequestContext, @Params() p: { userId: string }): Promise<void> {
    await this.commands.execute(new DeleteUserCommand(ctx, p.userId));
  }
}
