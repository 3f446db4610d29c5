import { ArrayList, Rule } from '@lib/appwrite';
import { bodyParam, endpointController, EndpointDef, Slice } from '@lib/http';
import { GetUserQuery } from '../get-user/get-user';
import { requireActiveUser } from '../user';
import { userSuccess } from '../user-answer';
import { UserCommand, userCommandHandler, UserDecide } from '../user-command';
import { userIdPath } from '../user-params';

export const MAX_LABELS = 1000;
const ALNUM = [...'0123456789', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', ...'abcdefghijklmnopqrstuvwxyz'];

/** Utopia's Text(36) with an allow-list of ASCII letters and digits, as Appwrite checks a label. */
export const LabelText: Rule = {
  description: `Value must be a valid string and at least 1 chars and no longer than 36 chars and only consist of '${ALNUM.join(', ')}' chars`,
  check: (value) => typeof value === 'string' && /^[A-Za-z0-9]{1,36}$/.test(value),
  schema: { pattern: '^[A-Za-z0-9]{1,36}$', minLength: 1, maxLength: 36 },
};

export const UPDATE_LABELS: EndpointDef = {
  method: 'PUT',
  path: '/v1/users/:userId/labels',
  scope: 'users.write',
  tag: 'users',
  sdkMethod: 'users.updateLabels',
  summary: 'Update User Labels',
  params: [
    userIdPath,
    bodyParam('labels', ArrayList(LabelText, MAX_LABELS), 'array', `Array of user labels. Replaces the previous labels. Maximum of ${MAX_LABELS} labels are allowed, each up to 36 alphanumeric characters long.`, { required: true, items: { type: 'string' } }),
  ],
  success: userSuccess(200),
};

export class ReplaceUserLabelsCommand extends UserCommand<{ labels: string[] }> {}

/** Pure: the labels replace the set; repeats are dropped, first occurrence kept (PHP array_unique). */
export const decideReplaceUserLabels: UserDecide<{ labels: string[] }> = ({ at, labels }, state) => {
  requireActiveUser(state);
  return [{ type: 'UserLabelsReplaced', occurredAt: at, data: { labels: [...new Set(labels)] } }];
};

const ReplaceUserLabelsHandler = userCommandHandler(ReplaceUserLabelsCommand, decideReplaceUserLabels);

export const updateLabels: Slice = {
  endpoints: [UPDATE_LABELS],
  controllers: [
    endpointController(UPDATE_LABELS, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ReplaceUserLabelsCommand(ctx, p.userId, { labels: p.labels }));
      return queries.execute(new GetUserQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ReplaceUserLabelsHandler],
};
