import { endpointController, EndpointDef, Slice } from '@lib/http';
import { requireActiveUser, UserState } from '../user';
import { UserCommand, userCommandHandler } from '../user-command';
import type { UserEvent } from '../user.events';
import { userIdPath } from '../user-params';

export const DELETE_USER_SESSIONS: EndpointDef = {
  method: 'DELETE',
  path: '/v1/users/:userId/sessions',
  scope: 'users.write',
  tag: 'users',
  sdkMethod: 'users.deleteSessions',
  summary: 'Delete User Sessions',
  params: [userIdPath],
  success: { status: 204, model: null },
};

export class DeleteSessionsCommand extends UserCommand<Record<string, never>> {}

/** One SessionDeleted per live session; none at all when there are none. */
export const decideDeleteSessions = ({ at }: { at: string }, state: UserState): UserEvent[] => {
  requireActiveUser(state);
  return state.sessionIds.map((sessionId) => ({ type: 'SessionDeleted' as const, occurredAt: at, data: { sessionId } }));
};

const DeleteSessionsHandler = userCommandHandler(DeleteSessionsCommand, decideDeleteSessions);

export const deleteSessions: Slice = {
  endpoints: [DELETE_USER_SESSIONS],
  controllers: [endpointController(DELETE_USER_SESSIONS, ({ commands }, ctx, p) => commands.execute(new DeleteSessionsCommand(ctx, p.userId, {})))],
  providers: [DeleteSessionsHandler],
};
