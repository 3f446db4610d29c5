import { Rules } from '@lib/appwrite';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
import { UserCommand } from '../user-command';
import { decideUniqueFieldChange, uniqueFieldChangeHandler } from '../user-unique-change';
import type { UserEvent } from '../user.events';
import { userPatchEndpoint } from '../user-updates';

export const UPDATE_EMAIL = userPatchEndpoint('/email', 'users.updateEmail', 'Update Email', bodyParam('email', Rules.Email, 'string', 'User email.'));

export class ChangeUserEmailCommand extends UserCommand<{ value: string }> {}

/** Emails are stored lower-cased; a change, even to the same address, resets verification. */
export const userEmailChanged = (email: string, at: string): UserEvent => ({ type: 'UserEmailChanged', occurredAt: at, data: { email } });

export const decideChangeUserEmail = decideUniqueFieldChange(userEmailChanged);

const ChangeUserEmailHandler = uniqueFieldChangeHandler(ChangeUserEmailCommand, 'email', 'user_email_already_exists', userEmailChanged);

export const updateEmail: Slice = {
  endpoints: [UPDATE_EMAIL],
  controllers: [
    endpointController(UPDATE_EMAIL, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ChangeUserEmailCommand(ctx, p.userId, { value: String(p.email).toLowerCase() }));
      return queries.execute(new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ChangeUserEmailHandler],
};
