import { Rules } from '@lib/appwrite';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
import { requireActiveUser } from '../user';
import { UserCommand, userCommandHandler, UserDecide } from '../user-command';
import { userPatchEndpoint } from '../user-updates';

export const UPDATE_STATUS = userPatchEndpoint('/status', 'users.updateStatus', 'Update User Status', bodyParam('status', Rules.BooleanLoose, 'boolean', 'User Status. To activate the user pass `true` and to block the user pass `false`.'));

export class ChangeUserStatusCommand extends UserCommand<{ status: boolean }> {}

export const decideChangeUserStatus: UserDecide<{ status: boolean }> = ({ at, ...data }, state) => {
  requireActiveUser(state);
  return [{ type: 'UserStatusChanged', occurredAt: at, data }];
};

const ChangeUserStatusHandler = userCommandHandler(ChangeUserStatusCommand, decideChangeUserStatus);

export const updateStatus: Slice = {
  endpoints: [UPDATE_STATUS],
  controllers: [
    endpointController(UPDATE_STATUS, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ChangeUserStatusCommand(ctx, p.userId, { status: p.status }));
      return queries.execute(new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ChangeUserStatusHandler],
};
