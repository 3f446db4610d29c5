import { Rules } from '@lib/appwrite';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
import { requireActiveUser } from '../user';
import { UserCommand, userCommandHandler, UserDecide } from '../user-command';
import { userPatchEndpoint } from '../user-updates';

export const UPDATE_EMAIL_VERIFICATION = userPatchEndpoint('/verification', 'users.updateEmailVerification', 'Update Email Verification', bodyParam('emailVerification', Rules.BooleanStrict, 'boolean', 'User email verification status.'));

export class ChangeEmailVerificationCommand extends UserCommand<{ emailVerification: boolean }> {}

export const decideChangeEmailVerification: UserDecide<{ emailVerification: boolean }> = ({ at, ...data }, state) => {
  requireActiveUser(state);
  return [{ type: 'UserEmailVerificationChanged', occurredAt: at, data }];
};

const ChangeEmailVerificationHandler = userCommandHandler(ChangeEmailVerificationCommand, decideChangeEmailVerification);

export const updateEmailVerification: Slice = {
  endpoints: [UPDATE_EMAIL_VERIFICATION],
  controllers: [
    endpointController(UPDATE_EMAIL_VERIFICATION, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ChangeEmailVerificationCommand(ctx, p.userId, { emailVerification: p.emailVerification }));
      return queries.execute(new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ChangeEmailVerificationHandler],
};
