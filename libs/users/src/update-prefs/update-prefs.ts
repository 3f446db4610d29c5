import { Rules } from '@lib/appwrite';
import { bodyParam, endpointController, Slice } from '@lib/http';
import { GetUserPrefsQuery } from '../get-user-prefs/get-user-prefs';
import { requireActiveUser } from '../user';
import { UserCommand, userCommandHandler, UserDecide } from '../user-command';
import { userPatchEndpoint } from '../user-updates';

export const UPDATE_PREFS = userPatchEndpoint('/prefs', 'users.updatePrefs', 'Update User Preferences', bodyParam('prefs', Rules.Assoc, 'object', 'Prefs key-value JSON object.'), 'preferences');

export class ReplaceUserPrefsCommand extends UserCommand<{ prefs: Record<string, unknown> }> {}

export const decideReplaceUserPrefs: UserDecide<{ prefs: Record<string, unknown> }> = ({ at, ...data }, state) => {
  requireActiveUser(state);
  return [{ type: 'UserPrefsReplaced', occurredAt: at, data }];
};

const ReplaceUserPrefsHandler = userCommandHandler(ReplaceUserPrefsCommand, decideReplaceUserPrefs);

export const updatePrefs: Slice = {
  endpoints: [UPDATE_PREFS],
  controllers: [
    endpointController(UPDATE_PREFS, async ({ commands, queries }, ctx, p) => {
      await commands.execute(new ReplaceUserPrefsCommand(ctx, p.userId, { prefs: p.prefs }));
      return queries.execute(new GetUserPrefsQuery(ctx.projectId, p.userId));
    }),
  ],
  providers: [ReplaceUserPrefsHandler],
};
