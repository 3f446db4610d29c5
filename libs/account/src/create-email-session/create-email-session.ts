import { Controller, Inject, Req, Res, Type, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Rules } from '@lib/appwrite';
import { bodyParam, Ctx, Endpoint, EndpointDef, inRequestedFormat, Params, RequestContext, Slice } from '@lib/http';
import { SessionList, toSessionModel } from '@lib/users';
import { LoginRateLimitGuard } from '../login-rate-limit';
import { cookieTargetOf, fallbackCookiesHeader, needsFallbackCookies, originHost, sessionCookies } from '../session-cookies';
import { encodeSession } from '../session-secret';
import { LoginRefusedError } from './email-login';
import { CreateEmailSessionCommand, CreateEmailSessionHandler, type CreatedEmailSession } from './email-login.handler';

const PARAMS = [
  bodyParam('email', Rules.Email, 'string', 'User email.', { required: true }),
  bodyParam('password', Rules.Password, 'string', 'User password. Must be at least 8 chars.', { required: true }),
];

/** `account.createEmailSession` (1.3; `account.createEmailPasswordSession` in 1.5+, same path). */
export const CREATE_EMAIL_SESSION: EndpointDef = {
  method: 'POST',
  path: '/v1/account/sessions/email',
  scope: 'sessions.write',
  tag: 'account',
  sdkMethod: 'account.createEmailSession',
  summary: 'Create Email Session',
  params: PARAMS,
  success: { status: 201, model: 'session' },
};

/** The route's alias in Appwrite 1.3 (`->alias('/v1/account/sessions')`). */
export const CREATE_SESSION_ALIAS: EndpointDef = { ...CREATE_EMAIL_SESSION, path: '/v1/account/sessions', sdkMethod: 'account.createSession', summary: 'Create Account Session' };

/**
 * The controller of one of the two paths. Not `endpointController`: the answer carries the
 * session's cookies (and `X-Fallback-Cookies`), and the abuse limit runs between authentication
 * and validation, as Appwrite's does.
 */
function emailSessionController(def: EndpointDef, name: string): Type {
  @Controller()
  class EmailSessionController {
    constructor(
      @Inject(CommandBus) private readonly commands: CommandBus,
      @Inject(SessionList) private readonly sessions: SessionList,
    ) {}

    @Endpoint(def)
    @UseGuards(LoginRateLimitGuard)
    async create(@Ctx() ctx: RequestContext, @Params() p: Record<string, any>, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
      const email = String(p.email).toLowerCase();
      let created: CreatedEmailSession;
      try {
        created = await this.commands.execute(new CreateEmailSessionCommand(ctx, email, String(p.password)));
      } catch (err) {
        // Never the attempted password; the cause stays in the server's log.
        if (err instanceof LoginRefusedError) req.log.warn({ event: 'account.login.refused', reason: err.reason, projectId: ctx.projectId, email, ip: ctx.ip }, 'email login refused');
        throw err;
      }
      const value = encodeSession(created.userId, created.secret);
      const target = cookieTargetOf(req, ctx.projectId);
      reply.header('set-cookie', sessionCookies(target, value, created.expire));
      if (needsFallbackCookies(target.hostname, originHost(header(req, 'origin'), header(req, 'referer')))) {
        reply.header('x-fallback-cookies', fallbackCookiesHeader(ctx.projectId, value));
      }
      // The write waited for the read models: the session is there, with its client fields parsed.
      const record = await this.sessions.get(ctx.projectId, created.sessionId);
      if (!record) throw new Error(`session ${created.sessionId} not in the sessions read model after its write`);
      return inRequestedFormat(def.success.model, { ...toSessionModel(record), current: true }, req);
    }
  }
  Object.defineProperty(EmailSessionController, 'name', { value: name });
  return EmailSessionController;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export const createEmailSession: Slice = {
  endpoints: [CREATE_EMAIL_SESSION, CREATE_SESSION_ALIAS],
  controllers: [emailSessionController(CREATE_EMAIL_SESSION, 'CreateEmailSessionController'), emailSessionController(CREATE_SESSION_ALIAS, 'CreateSessionAliasController')],
  providers: [CreateEmailSessionHandler, LoginRateLimitGuard],
};
