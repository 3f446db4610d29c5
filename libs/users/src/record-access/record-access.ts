import { requireActiveUser } from '../user';
import { UserCommand, userCommandHandler, UserDecide } from '../user-command';

/** Appwrite's APP_USER_ACCESS: a user's access is recorded again only after a day. */
export const USER_ACCESS_INTERVAL_MS = 24 * 60 * 60 * 1000;

export class RecordUserAccessCommand extends UserCommand<object> {}

/** Whether an access at `at` is worth recording, given the last recorded one. */
export const accessIsDue = (accessedAt: string | null, at: number) => accessedAt === null || at - Date.parse(accessedAt) >= USER_ACCESS_INTERVAL_MS;

/** Pure: the user's own request is recorded as their last access, at most once a day. */
export const decideRecordUserAccess: UserDecide<object> = ({ at }, state) => {
  const user = requireActiveUser(state);
  return accessIsDue(user.accessedAt, Date.parse(at)) ? [{ type: 'UserAccessed', occurredAt: at, data: {} }] : [];
};

export const RecordUserAccessHandler = userCommandHandler(RecordUserAccessCommand, decideRecordUserAccess);
