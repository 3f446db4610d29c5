import { Controller } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler, IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { Ctx, Endpoint, EndpointDef, Params } from '../../../http/src/endpoint';
import { ReadStore } from '../../../read-store/src/read-store.port';
import { RequestContext } from '../application/request-context';
import { UserCommands } from '../application/user-commands.service';
import { SessionDetails } from '../domain/user.events';
import { toSessionModel } from '../models/response-models';
import { sessionIdPath, userIdPath } from '../shared/common-params';
import { requireUser } from '../user-details/user-details.queries';

export class ListUserSessionsQuery {
  constructor(readonly projectId: string, readonly userId: string) {}
}
export class DeleteSessionCommand {
  constructor(readonly ctx: RequestContext, readonly userId: string, readonly sessionId: string) {}
}
export class DeleteSessionsCommand {
  constructor(readonly ctx: RequestContext, readonly userId: string) {}
}
/**
 * Records a new session. Its producer (the Account API's logins) arrives with a later issue;
 * until then only the domain and tests create sessions, never an HTTP route.
 */
export class CreateSessionCommand {
  constructor(readonly ctx: RequestContext, readonly userId: string, readonly session: Omit<SessionDetails, 'sessionId'> & { sessionId?: string }) {}
}

@QueryHandler(ListUserSessionsQuery)
export class ListUserSessionsHandler implements IQueryHandler<ListUserSessionsQuery> {
  constructor(private readonly readStore: ReadStore) {}
  async execute(q: ListUserSessionsQuery) {
    await requireUser(this.readStore, q.projectId, q.userId);
    const sessions = (await this.readStore.listSessions(q.projectId, q.userId)).map(toSessionModel);
    return { total: sessions.length, sessions };
  }
}

@CommandHandler(DeleteSessionCommand)
export class DeleteSessionHandler implements ICommandHandler<DeleteSessionCommand, void> {
  constructor(private readonly users: UserCommands) {}
  execute({ ctx, userId, sessionId }: DeleteSessionCommand) {
    return this.users.execute(ctx, userId, { type: 'DeleteSession', data: { sessionId } });
  }
}

@CommandHandler(DeleteSessionsCommand)
export class DeleteSessionsHandler implements ICommandHandler<DeleteSessionsCommand, void> {
  constructor(private readonly users: UserCommands) {}
  execute({ ctx, userId }: DeleteSessionsCommand) {
    return this.users.execute(ctx, userId, { type: 'DeleteSessions', data: {} });
  }
}

@CommandHandler(CreateSessionCommand)
export class CreateSessionHandler implements ICommandHandler<CreateSessionCommand, string> {
  constructor(private readonly users: UserCommands) {}
  async execute({ ctx, userId, session }: CreateSessionCommand): Promise<string> {
    const sessionId = session.sessionId ?? randomBytes(10).toString('hex');
    await this.users.execute(ctx, userId, { type: 'CreateSession', data: { ...session, sessionId } });
    return sessionId;
  }
}

export const LIST_USER_SESSIONS: EndpointDef = {
  method: 'GET',
  path: '/v1/users/:userId/sessions',
  scope: 'users.read',
  sdkMethod: 'users.listSessions',
  summary: 'List User Sessions',
  params: [userIdPath],
  success: { status: 200, model: 'sessionList' },
};
export const DELETE_USER_SESSION: EndpointDef = {
  method: 'DELETE',
  path: '/v1/users/:userId/sessions/:sessionId',
  scope: 'users.write',
  sdkMethod: 'users.deleteSession',
  summary: 'Delete User Session',
  params: [userIdPath, sessionIdPath],
  success: { status: 204, model: null },
};
export const DELETE_USER_SESSIONS: EndpointDef = {
  method: 'DELETE',
  path: '/v1/users/:userId/sessions',
  scope: 'users.write',
  sdkMethod: 'users.deleteSessions',
  summary: 'Delete User Sessions',
  params: [userIdPath],
  success: { status: 204, model: null },
};

@Controller()
export class SessionsController {
  constructor(private readonly commands: CommandBus, private readonly queries: QueryBus) {}

  @Endpoint(LIST_USER_SESSIONS)
  list(@Ctx() ctx: RequestContext, @Params() p: { userId: string }) {
    return this.queries.execute(new ListUserSessionsQuery(ctx.projectId, p.userId));
  }

  @Endpoint(DELETE_USER_SESSION)
  async deleteOne(@Ctx() ctx: RequestContext, @Params() p: { userId: string; sessionId: string }): Promise<void> {
    await this.commands.execute(new DeleteSessionCommand(ctx, p.userId, p.sessionId));
  }

  @Endpoint(DELETE_USER_SESSIONS)
  async deleteAll(@Ctx() ctx: RequestContext, @Params() p: { userId: string }): Promise<void> {
    await this.commands.execute(new DeleteSessionsCommand(ctx, p.userId));
  }
}

export const SESSION_HANDLERS = [ListUserSessionsHandler, DeleteSessionHandler, DeleteSessionsHandler, CreateSessionHandler];
