import { Rules } from '@lib/appwrite';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
import { UserCommand } from '../user-command';
import { decideUniqueFieldChange, uniqueFieldChangeHandler } from '../user-unique-change';
import type { UserEvent } from '../user.events';
import { userPatchEndpoint } from '../user-updates';

export const UPDATE_PHONE = userPatchEndpoint('/phone', 'users.updatePhone', 'Update Phone', bodyParam('number', Rules.Phone, 'string', 'User phone number.'));

export class ChangeUserPhoneCommand extends UserCommand<{ value: string }> {}

export const userPhoneChanged = (phone: string, at: string): UserEvent => ({ type: 'UserPhoneChanged', occurredAt: at, data: { phone } });

export const decideChangeUserPhone = decideUniqueFieldChange(userPhoneChanged);

const ChangeUserPhoneHandler = uniqueFieldChangeHandler(ChangeUserPhoneCommand, 'phone', 'user_phone_already_exists', userPhoneChanged);

export const updatePhone: Slice = {
  endpoints: [UPDATE_PHONE],
  controllers: [
    endpointController(UPDATE_PHONE, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ChangeUserPhoneCommand(ctx, p.userId, { value: p.number }));
      return queries.execute(new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ChangeUserPhoneHandler],
};
