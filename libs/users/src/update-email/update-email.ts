import { Rule, Rules } from '@lib/appwrite';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
import { UserCommand } from '../user-command';
import { contactChangeHandler, decideContactChange } from '../user-contact-change';
import { userPatchEndpoint } from '../user-updates';

/** An email, or "" to remove it (Appwrite 1.5+; older formats keep 1.3's rule). */
export const EmailOrEmpty: Rule = { ...Rules.Email, check: (value) => value === '' || Rules.Email.check(value) };

export const UPDATE_EMAIL = userPatchEndpoint('/email', 'users.updateEmail', 'Update Email', {
  ...bodyParam('email', EmailOrEmpty, 'string', 'User email. An empty string removes the email.'),
  ruleBelow: { format: '1.5.0', rule: Rules.Email },
});

export class ChangeUserEmailCommand extends UserCommand<{ value: string | null }> {}

/** Emails are stored lower-cased; a change, even to the same address, resets verification. */
export const decideChangeUserEmail = decideContactChange('email');

const ChangeUserEmailHandler = contactChangeHandler(ChangeUserEmailCommand, 'email', 'user_email_already_exists');

export const updateEmail: Slice = {
  endpoints: [UPDATE_EMAIL],
  controllers: [
    endpointController(UPDATE_EMAIL, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ChangeUserEmailCommand(ctx, p.userId, { value: p.email === '' ? null : String(p.email).toLowerCase() }));
      return queries.execute(new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ChangeUserEmailHandler],
};
