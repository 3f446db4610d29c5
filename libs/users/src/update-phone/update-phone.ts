import { Rule, Rules } from '@lib/appwrite';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
import { UserCommand } from '../user-command';
import { contactChangeHandler, decideContactChange } from '../user-contact-change';
import { userPatchEndpoint } from '../user-updates';

/** A phone number, or "" to remove it (Appwrite 1.5+; older formats keep 1.3's rule). */
export const PhoneOrEmpty: Rule = { ...Rules.Phone, check: (value) => value === '' || Rules.Phone.check(value) };

export const UPDATE_PHONE = userPatchEndpoint('/phone', 'users.updatePhone', 'Update Phone', {
  ...bodyParam('number', PhoneOrEmpty, 'string', 'User phone number. An empty string removes the phone.'),
  ruleBelow: { format: '1.5.0', rule: Rules.Phone },
});

export class ChangeUserPhoneCommand extends UserCommand<{ value: string | null }> {}

export const decideChangeUserPhone = decideContactChange('phone');

const ChangeUserPhoneHandler = contactChangeHandler(ChangeUserPhoneCommand, 'phone', 'user_phone_already_exists');

export const updatePhone: Slice = {
  endpoints: [UPDATE_PHONE],
  controllers: [
    endpointController(UPDATE_PHONE, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ChangeUserPhoneCommand(ctx, p.userId, { value: p.number === '' ? null : p.number }));
      return queries.execute(new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ChangeUserPhoneHandler],
};
