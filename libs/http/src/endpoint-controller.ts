import { Controller, Inject, Req, Type } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { Ctx, Endpoint, EndpointDef, Params } from './endpoint';
import { inRequestedFormat } from './request-format';
import type { RequestContext } from './request-context';

export interface Buses {
  commands: CommandBus;
  queries: QueryBus;
}

/** What a route does with its validated params: send a command or a query, answer the model. */
export type EndpointRun = (buses: Buses, ctx: RequestContext, params: Record<string, any>) => Promise<unknown>;

/**
 * A Nest controller serving one endpoint declaration, so that a use case is its declaration
 * plus one function: routing, auth scope, validation, OpenAPI and the response format all come
 * from `def`. Handlers answer in the newest format; the answer leaves in the one the request
 * asked for (libs/appwrite formats/response-filters.ts). Done here rather than by a Nest
 * interceptor, whose per-request async-context binding cost a tenth of a GET's time.
 */
export function endpointController(def: EndpointDef, run: EndpointRun): Type {
  @Controller()
  class EndpointController {
    constructor(
      @Inject(CommandBus) private readonly commands: CommandBus,
      @Inject(QueryBus) private readonly queries: QueryBus,
    ) {}

    @Endpoint(def)
    async handle(@Ctx() ctx: RequestContext, @Params() params: Record<string, any>, @Req() req: FastifyRequest): Promise<unknown> {
      const answer = await run({ commands: this.commands, queries: this.queries }, ctx, params);
      if (def.success.status === 204) return undefined;
      return inRequestedFormat(def.success.model, answer, req);
    }
  }
  Object.defineProperty(EndpointController, 'name', { value: `${def.sdkMethod.replace(/\W/g, '_')}Controller` });
  return EndpointController;
}
