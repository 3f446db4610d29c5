import { Controller, Inject, Type } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Ctx, Endpoint, EndpointDef, Params } from './endpoint';
import type { RequestContext } from './request-context';

export interface Buses {
  commands: CommandBus;
  queries: QueryBus;
}

/** What a route does with its validated params: send a command or a query, answer the model. */
export type EndpointRun = (buses: Buses, ctx: RequestContext, params: Record<string, any>) => Promise<unknown>;

/**
 * A Nest controller serving one endpoint declaration, so that a use case is its declaration
 * plus one function: routing, auth scope, validation and OpenAPI all come from `def`.
 */
export function endpointController(def: EndpointDef, run: EndpointRun): Type {
  @Controller()
  class EndpointController {
    constructor(
      @Inject(CommandBus) private readonly commands: CommandBus,
      @Inject(QueryBus) private readonly queries: QueryBus,
    ) {}

    @Endpoint(def)
    async handle(@Ctx() ctx: RequestContext, @Params() params: Record<string, any>): Promise<unknown> {
      const answer = await run({ commands: this.commands, queries: this.queries }, ctx, params);
      return def.success.status === 204 ? undefined : answer;
    }
  }
  Object.defineProperty(EndpointController, 'name', { value: `${def.sdkMethod.replace(/\W/g, '_')}Controller` });
  return EndpointController;
}
