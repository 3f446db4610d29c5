import { endpointController, EndpointDef, Slice } from '@lib/http';
import { requireActiveUser } from '../user';
import { UserCommand, userCommandHandler, UserDecide } from '../user-command';
import { UserDomainError } from '../user.errors';
import { sessionIdPath, userIdPath } from '../user-params';

export const DELETE_USER_SESSION: EndpointDef = {
  method: 'DELETE',
  path: '/v1/users/:userId/sessions/:sessionId',
  scope: 'users.write',
  tag: 'users',
  sdkMethod: 'users.deleteSession',
  summary: 'Delete User Session',
  params: [userIdPath, sessionIdPath],
  success: { status: 204, model: null },
};

export class DeleteSessionCommand extends UserCommand<{ sessionId: string }> {}

export const decideDeleteSession: UserDecide<{ sessionId: string }> = ({ sessionId, at }, state) => {
  requireActiveUser(state);
  if (!state.sessionIds.includes(sessionId)) throw new UserDomainError('user_session_not_found');
  return [{ type: 'SessionDeleted', occurredAt: at, data: { sessionId } }];
};

const DeleteSessionHandler = userCommandHandler(DeleteSessionCommand, decideDeleteSession);

export const deleteSession: Slice = {
  endpoints: [DELETE_USER_SESSION],
  controllers: [endpointController(DELETE_USER_SESSION, ({ commands }, ctx, p) => commands.execute(new DeleteSessionCommand(ctx, p.userId, { sessionId: p.sessionId })))],
  providers: [DeleteSessionHandler],
};
