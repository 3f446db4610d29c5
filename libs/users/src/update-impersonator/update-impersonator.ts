import { Rules } from '@lib/appwrite';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
import { requireActiveUser } from '../user';
import { UserCommand, userCommandHandler, UserDecide } from '../user-command';
import { userPatchEndpoint } from '../user-updates';

export const UPDATE_IMPERSONATOR = userPatchEndpoint(
  '/impersonator',
  'users.updateImpersonator',
  'Update User Impersonator Capability',
  bodyParam('impersonator', Rules.BooleanLoose, 'boolean', 'Whether the user can impersonate other users.'),
);

export class ChangeUserImpersonatorCommand extends UserCommand<{ impersonator: boolean }> {}

export const decideChangeUserImpersonator: UserDecide<{ impersonator: boolean }> = ({ at, impersonator }, state) => {
  requireActiveUser(state);
  return [{ type: 'UserImpersonatorChanged', occurredAt: at, data: { impersonator } }];
};

const ChangeUserImpersonatorHandler = userCommandHandler(ChangeUserImpersonatorCommand, decideChangeUserImpersonator);

export const updateImpersonator: Slice = {
  endpoints: [UPDATE_IMPERSONATOR],
  controllers: [
    endpointController(UPDATE_IMPERSONATOR, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ChangeUserImpersonatorCommand(ctx, p.userId, { impersonator: p.impersonator }));
      return queries.execute(new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ChangeUserImpersonatorHandler],
};
