import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, Rules } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand, loadStream } from '@lib/event-sourcing';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { HashingPort } from '@lib/passwords';
import { GetUserQuery } from '../get-user/get-user';
import { requireActiveUser, USER_STREAM, userAggregate, UserState, userStreamId } from '../user';
import { UserCommand } from '../user-command';
import type { StoredPassword, UserEvent } from '../user.events';
import { userPatchEndpoint } from '../user-updates';

export const UPDATE_PASSWORD = userPatchEndpoint('/password', 'users.updatePassword', 'Update Password', bodyParam('password', Rules.PasswordDictionary(), 'string', 'New user password. Must be at least 8 chars.'));

export class ChangeUserPasswordCommand extends UserCommand<{ plain: string }> {}

/** Pure: the new stored hash (never the plaintext) of an existing user. */
export const decideChangeUserPassword = ({ password, at }: { password: StoredPassword; at: string }, state: UserState): UserEvent[] => {
  requireActiveUser(state);
  return [{ type: 'UserPasswordChanged', occurredAt: at, data: { ...password } }];
};

const changePassword = userAggregate(decideChangeUserPassword);

@CommandHandler(ChangeUserPasswordCommand)
export class ChangeUserPasswordHandler implements ICommandHandler<ChangeUserPasswordCommand, void> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    private readonly clock: Clock,
    private readonly hashing: HashingPort,
  ) {}

  async execute({ ctx, userId, data }: ChangeUserPasswordCommand): Promise<void> {
    const streamId = userStreamId(ctx.projectId, userId);
    // 404 before paying for a hash.
    requireActiveUser((await loadStream(this.deps.events, streamId, USER_STREAM)).state);
    const password = await this.hashing.hash(data.plain);
    await handleCommand(this.deps, changePassword, streamId, { password, at: this.clock.now() }, ctx);
  }
}

export const updatePassword: Slice = {
  endpoints: [UPDATE_PASSWORD],
  controllers: [
    endpointController(UPDATE_PASSWORD, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ChangeUserPasswordCommand(ctx, p.userId, { plain: p.password }));
      return queries.execute(new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ChangeUserPasswordHandler],
};
