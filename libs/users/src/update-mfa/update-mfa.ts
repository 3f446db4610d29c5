import { Rules } from '@lib/appwrite';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
import { requireActiveUser } from '../user';
import { UserCommand, userCommandHandler, UserDecide } from '../user-command';
import { userPatchEndpoint } from '../user-updates';

export const UPDATE_MFA = userPatchEndpoint('/mfa', 'users.updateMfa', 'Update MFA', bodyParam('mfa', Rules.BooleanLoose, 'boolean', 'Enable or disable MFA.'));

export class ChangeUserMfaCommand extends UserCommand<{ mfa: boolean }> {}

export const decideChangeUserMfa: UserDecide<{ mfa: boolean }> = ({ at, mfa }, state) => {
  requireActiveUser(state);
  return [{ type: 'UserMfaChanged', occurredAt: at, data: { mfa } }];
};

const ChangeUserMfaHandler = userCommandHandler(ChangeUserMfaCommand, decideChangeUserMfa);

export const updateMfa: Slice = {
  endpoints: [UPDATE_MFA],
  controllers: [
    endpointController(UPDATE_MFA, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ChangeUserMfaCommand(ctx, p.userId, { mfa: p.mfa }));
      return queries.execute(new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ChangeUserMfaHandler],
};
