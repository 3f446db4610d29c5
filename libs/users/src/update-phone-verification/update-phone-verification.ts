import { Rules } from '@lib/appwrite';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
import { requireActiveUser } from '../user';
import { UserCommand, userCommandHandler, UserDecide } from '../user-command';
import { userPatchEndpoint } from '../user-updates';

export const UPDATE_PHONE_VERIFICATION = userPatchEndpoint('/verification/phone', 'users.updatePhoneVerification', 'Update Phone Verification', bodyParam('phoneVerification', Rules.BooleanStrict, 'boolean', 'User phone verification status.'));

export class ChangePhoneVerificationCommand extends UserCommand<{ phoneVerification: boolean }> {}

export const decideChangePhoneVerification: UserDecide<{ phoneVerification: boolean }> = ({ at, ...data }, state) => {
  requireActiveUser(state);
  return [{ type: 'UserPhoneVerificationChanged', occurredAt: at, data }];
};

const ChangePhoneVerificationHandler = userCommandHandler(ChangePhoneVerificationCommand, decideChangePhoneVerification);

export const updatePhoneVerification: Slice = {
  endpoints: [UPDATE_PHONE_VERIFICATION],
  controllers: [
    endpointController(UPDATE_PHONE_VERIFICATION, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ChangePhoneVerificationCommand(ctx, p.userId, { phoneVerification: p.phoneVerification }));
      return queries.execute(new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ChangePhoneVerificationHandler],
};
