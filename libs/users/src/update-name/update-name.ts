import { Rules } from '@lib/appwrite';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
import { requireActiveUser } from '../user';
import { UserCommand, userCommandHandler, UserDecide } from '../user-command';
import { userPatchEndpoint } from '../user-updates';

export const UPDATE_NAME = userPatchEndpoint('/name', 'users.updateName', 'Update Name', bodyParam('name', Rules.Text(128), 'string', 'User name. Max length: 128 chars.'));

export class ChangeUserNameCommand extends UserCommand<{ name: string }> {}

export const decideChangeUserName: UserDecide<{ name: string }> = ({ at, ...data }, state) => {
  requireActiveUser(state);
  return [{ type: 'UserNameChanged', occurredAt: at, data }];
};

const ChangeUserNameHandler = userCommandHandler(ChangeUserNameCommand, decideChangeUserName);

export const updateName: Slice = {
  endpoints: [UPDATE_NAME],
  controllers: [
    endpointController(UPDATE_NAME, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ChangeUserNameCommand(ctx, p.userId, { name: p.name }));
      return queries.execute(new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ChangeUserNameHandler],
};
