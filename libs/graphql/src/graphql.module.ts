import { Controller, DynamicModule, Inject, Module, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { AppwriteException } from '@lib/appwrite';
import { Endpoint, EndpointDef, rawBodyOf } from '@lib/http';
import { runOperation } from './graphql-executor';
import { GraphqlLimits } from './graphql-limits';
import { operationOfQueryString, operationsOfBody, type GraphqlOperation } from './graphql-request';
import { buildGraphqlSchema, graphqlFieldName } from './graphql-schema';
import { GRAPHQL_GET, GRAPHQL_MUTATION, GRAPHQL_QUERY } from './graphql.endpoints';
import { GraphqlCallContext, injectingRunner } from './route-runner';

const GRAPHQL_SOURCE = Symbol('GRAPHQL_SOURCE');

/** The routes GraphQL serves (every REST route of the contexts), their response models and the limits. */
export interface GraphqlSource {
  routes: readonly EndpointDef[];
  models: Readonly<Record<string, unknown>>;
  limits: GraphqlLimits;
}

@Controller()
class GraphqlController {
  private schema: GraphQLSchema | null = null;
  private readonly listFields: ReadonlySet<string>;

  constructor(
    @Inject(GRAPHQL_SOURCE) private readonly source: GraphqlSource,
    private readonly adapter: HttpAdapterHost,
  ) {
    this.listFields = new Set(source.routes.filter((r) => r.params.some((p) => p.name === 'queries')).map(graphqlFieldName));
  }

  /** Built on first use: the Fastify instance it runs routes on exists only once the app is up. */
  private schemaOf(): GraphQLSchema {
    this.schema ??= buildGraphqlSchema(this.source.routes, this.source.models, injectingRunner(this.adapter.httpAdapter.getInstance<FastifyInstance>()));
    return this.schema;
  }

  // The declaration routes it and the guard checks its scope; the body is not a param object, so no @Params.
  @Endpoint(GRAPHQL_QUERY)
  query(@Req() req: FastifyRequest) {
    return this.post(req);
  }

  @Endpoint(GRAPHQL_MUTATION)
  mutation(@Req() req: FastifyRequest) {
    return this.post(req);
  }

  @Endpoint(GRAPHQL_GET)
  async get(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.run(operationOfQueryString(req.query as Record<string, unknown>, this.source.limits), false, req, true);
    } catch (err) {
      if (err instanceof AppwriteException && err.type === 'graphql_method_unsupported') void reply.header('allow', 'POST');
      throw err;
    }
  }

  private post(req: FastifyRequest) {
    const { operations, batch } = operationsOfBody(rawBodyOf(req), String(req.headers['content-type'] ?? ''), String(req.headers['x-sdk-graphql'] ?? '') === 'true', this.source.limits);
    return this.run(operations, batch, req, false);
  }

  /** A batch answers an array in request order; a single operation its result. */
  private async run(operations: GraphqlOperation[], batch: boolean, req: FastifyRequest, readOnly: boolean) {
    const context: GraphqlCallContext = { headers: req.headers, ip: req.ip };
    const results = [];
    // One after another: a batch does what its operations would do over REST, in order.
    for (const operation of operations) results.push(await runOperation(this.schemaOf(), operation, this.source.limits, this.listFields, context, readOnly));
    return batch ? results : results[0];
  }
}

/** Appwrite's GraphQL API over the routes it is given (graphql.md). */
@Module({})
export class GraphqlModule {
  static register(source: GraphqlSource): DynamicModule {
    return { module: GraphqlModule, controllers: [GraphqlController], providers: [{ provide: GRAPHQL_SOURCE, useValue: source }] };
  }
}
