import { Controller, Inject, Type } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { AnswerWithHeaders, answerParts } from './answer-headers';
import type { EndpointDef } from './endpoint-def';
import { StreamedAnswer } from './json-lines';
import { inRequestedFormat } from './request-format';
import type { RequestContext } from './request-context';

export interface Buses {
  commands: CommandBus;
  queries: QueryBus;
}

/**
 * What a route does with its validated params: send a command or a query, answer the model (or a
 * StreamedAnswer). The request is there for routes whose body is not a param object (JSON lines).
 */
export type EndpointRun = (buses: Buses, ctx: RequestContext, params: Record<string, any>, req: FastifyRequest) => Promise<unknown>;

/** The controller instances `EndpointRoutes` serves: one endpoint each. */
export interface EndpointHandler {
  readonly def: EndpointDef;
  handle(ctx: RequestContext, params: Record<string, any>, req: FastifyRequest): Promise<unknown>;
}

const ENDPOINT_HANDLER = 'appwrite:endpoint-handler';

export const isEndpointHandler = (type: unknown): boolean => typeof type === 'function' && Reflect.getMetadata(ENDPOINT_HANDLER, type) === true;

/**
 * A controller serving one endpoint declaration, so that a use case is its declaration plus one
 * function: routing, auth scope, validation, OpenAPI and the response format all come from
 * `def`. Nest makes it (dependency injection), but it declares no Nest route: `EndpointRoutes`
 * mounts it on Fastify directly, because Nest's per-request pipeline (execution context,
 * guards and param decorators resolved per call) cost more than half of a GET's time. Handlers
 * answer in the newest format; the answer leaves in the one the request asked for, with the
 * headers the handler gave it.
 */
export function endpointController(def: EndpointDef, run: EndpointRun): Type {
  @Controller()
  class EndpointController implements EndpointHandler {
    readonly def = def;
    constructor(
      @Inject(CommandBus) private readonly commands: CommandBus,
      @Inject(QueryBus) private readonly queries: QueryBus,
    ) {}

    async handle(ctx: RequestContext, params: Record<string, any>, req: FastifyRequest): Promise<unknown> {
      const answer = await run({ commands: this.commands, queries: this.queries }, ctx, params, req);
      if (answer instanceof StreamedAnswer) return answer;
      const { body, headers } = answerParts(answer);
      const formatted = def.success.status === 204 ? undefined : inRequestedFormat(def.success.model, body, req);
      return headers ? new AnswerWithHeaders(formatted, headers) : formatted;
    }
  }
  Reflect.defineMetadata(ENDPOINT_HANDLER, true, EndpointController);
  Object.defineProperty(EndpointController, 'name', { value: `${def.sdkMethod.replace(/\W/g, '_')}Controller` });
  return EndpointController;
}
