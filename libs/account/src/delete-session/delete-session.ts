import { Controller, Inject, Req, Res } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock, Rules } from '@lib/appwrite';
import { COMMAND_DEPS, CommandDeps, handleCommand } from '@lib/event-sourcing';
import { Ctx, Endpoint, EndpointDef, Params, pathParam, Principal, RequestContext, Slice } from '@lib/http';
import { userAggregate, UserDomainError, UserState, userStreamId, type UserEvent } from '@lib/users';
import { clearedSessionCookies, cookieTargetOf, fallbackCookiesHeader, needsFallbackCookies, originHost } from '../session-cookies';

/** `account.deleteSession`: one of the caller's own sessions, `current` for the one it uses. */
export const DELETE_ACCOUNT_SESSION: EndpointDef = {
  method: 'DELETE',
  path: '/v1/account/sessions/:sessionId',
  scope: 'account',
  tag: 'account',
  sdkMethod: 'account.deleteSession',
  summary: 'Delete Session',
  params: [pathParam('sessionId', Rules.UID, 'string', "Session ID. Use the string 'current' to delete the current device session.")],
  success: { status: 204, model: null },
};

/**
 * The session `current` names: the one whose secret authenticated the request. A JWT carries no
 * secret, so for a JWT caller `current` is no session (Appwrite: 404), as is a key or a guest.
 */
export function resolveSessionId(param: string, principal: Principal | undefined): string | null {
  if (param !== 'current') return param;
  return principal?.kind === 'user' && principal.via === 'session' && principal.sessionId ? principal.sessionId : null;
}

export class DeleteAccountSessionCommand {
  constructor(
    readonly ctx: RequestContext,
    readonly userId: string,
    readonly sessionId: string | null,
  ) {}
}

/** Pure: only a live session of the user itself is deleted, else 404 `user_session_not_found`. */
export function decideDeleteAccountSession({ sessionId, at }: { sessionId: string | null; at: string }, state: UserState): UserEvent[] {
  if (sessionId === null || state.lifecycle !== 'active' || !state.sessionIds.includes(sessionId)) throw new UserDomainError('user_session_not_found');
  return [{ type: 'SessionDeleted', occurredAt: at, data: { sessionId } }];
}

const DELETE_SESSION = userAggregate(decideDeleteAccountSession);

@CommandHandler(DeleteAccountSessionCommand)
export class DeleteAccountSessionHandler implements ICommandHandler<DeleteAccountSessionCommand, void> {
  constructor(
    @Inject(COMMAND_DEPS) private readonly deps: CommandDeps,
    private readonly clock: Clock,
  ) {}

  async execute({ ctx, userId, sessionId }: DeleteAccountSessionCommand): Promise<void> {
    await handleCommand(this.deps, DELETE_SESSION, userStreamId(ctx.projectId, userId), { sessionId, at: this.clock.now() }, ctx);
  }
}

@Controller()
export class DeleteAccountSessionController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Endpoint(DELETE_ACCOUNT_SESSION)
  async delete(@Ctx() ctx: RequestContext, @Params() p: Record<string, any>, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const principal = ctx.principal;
    if (principal?.kind !== 'user') throw new UserDomainError('user_session_not_found');
    const sessionId = resolveSessionId(String(p.sessionId), principal);
    await this.commands.execute(new DeleteAccountSessionCommand(ctx, principal.userId, sessionId));
    // The session that authenticated this request is gone: so are its cookies.
    if (principal.via === 'session' && sessionId === principal.sessionId) {
      const target = cookieTargetOf(req, ctx.projectId);
      reply.header('set-cookie', clearedSessionCookies(target));
      const origin = req.headers.origin;
      const referer = req.headers.referer;
      if (needsFallbackCookies(target.hostname, originHost(typeof origin === 'string' ? origin : undefined, typeof referer === 'string' ? referer : undefined))) {
        reply.header('x-fallback-cookies', fallbackCookiesHeader(ctx.projectId, null));
      }
    }
  }
}

export const deleteAccountSession: Slice = {
  endpoints: [DELETE_ACCOUNT_SESSION],
  controllers: [DeleteAccountSessionController],
  providers: [DeleteAccountSessionHandler],
};
