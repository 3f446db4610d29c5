import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendAnswer } from './answer-headers';
import { AppwriteErrorFilter } from './appwrite-error.filter';
import { authenticateRequest } from './auth.guard';
import { Authenticator } from './authenticator';
import { AuthenticatedRequest, endpointParams } from './endpoint';
import { EndpointHandler, isEndpointHandler } from './endpoint-controller';
import { SafeWrites } from './safe-writes';
import { StreamedAnswer } from './json-lines';

/**
 * Mounts every `endpointController` on Fastify as a plain route: authenticate (Appwrite's order:
 * before validation), validate, run, answer with the declared status (and the answer's own
 * headers, see AnswerWithHeaders), or the error envelope
 * through the same filter Nest's routes use. What Nest's router did for these routes, in one
 * function per request.
 */
@Injectable()
export class EndpointRoutes implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly adapterHost: HttpAdapterHost,
    private readonly authenticator: Authenticator,
    private readonly errors: AppwriteErrorFilter,
    private readonly safeWrites: SafeWrites,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    for (const wrapper of this.discovery.getControllers()) {
      if (!isEndpointHandler(wrapper.metatype) || !wrapper.instance) continue;
      this.mount(fastify, wrapper.instance as EndpointHandler);
    }
  }

  private mount(fastify: FastifyInstance, handler: EndpointHandler): void {
    const { def } = handler;
    const { authenticator, errors } = this;
    const safety = this.safeWrites.forRoute(def);
    fastify.route({
      method: def.method,
      url: def.path,
      async handler(req: FastifyRequest, reply: FastifyReply) {
        try {
          await authenticateRequest(authenticator, def, req as AuthenticatedRequest);
          await safety.open(req as AuthenticatedRequest);
          const params = endpointParams(def, req);
          const ctx = safety.contextOf(req as AuthenticatedRequest, params);
          const answer = await handler.handle(ctx, params, req);
          await safety.confirm(ctx);
          if (answer instanceof StreamedAnswer) return reply.code(def.success.status).headers(answer.headers).type(answer.contentType).send(answer.body);
          return sendAnswer(reply, def.success.status, answer);
        } catch (err) {
          errors.reply(err, req, reply);
          return reply;
        }
      },
    });
  }
}
