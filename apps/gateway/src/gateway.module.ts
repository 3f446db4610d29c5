import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import type pino from 'pino';
import { AppwriteErrorFilter, Authenticator, AuthGuard, EndpointRoutes, ErrorMapper, IDEMPOTENCY_OPTIONS, IdempotencyInterceptor, IdempotentRequests, SafeWrites, SessionResolver, VERSIONED_RESOURCES } from '@lib/http';
import { IdempotencyStore } from '@lib/idempotency';
import { ACCESS, AccessDirectory, ApiKeyAuthenticator, CachedAccessDirectory } from '@lib/projects';
import { createIdempotencyStore, PlatformModule, PlatformOverrides, ServiceConfig, ServiceMetrics } from '@lib/platform';
import { ProjectionRunner, ReadModelStore } from '@lib/read-models';
import { ALL_VERSIONED_RESOURCES, CONTEXTS, graphqlModule } from './contexts';
import { HealthController } from './health.controller';
import { OpenApiController } from './openapi.controller';
import { Readiness } from './readiness';
import { unavailable } from './unavailable';

/** Every context's error mappers, in order. */
const ERROR_MAPPERS: ErrorMapper[] = [...CONTEXTS.map((c) => c.errorMapper), unavailable];

/** The idempotency store, global: Erase User drops the answers about the person it erases. */
@Global()
@Module({})
class IdempotencyStorage {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: IdempotencyStorage,
      providers: [{ provide: IdempotencyStore, useFactory: (readStore: ReadModelStore) => createIdempotencyStore(config, readStore), inject: [ReadModelStore] }],
      exports: [IdempotencyStore],
    };
  }
}

@Module({})
export class GatewayModule {
  static register(config: ServiceConfig, logger: pino.Logger, metrics: ServiceMetrics | null, overrides: PlatformOverrides = {}): DynamicModule {
    return {
      module: GatewayModule,
      imports: [DiscoveryModule, PlatformModule.register(config, logger, { runProjections: config.projections === 'inline', hashing: true }, metrics, overrides), IdempotencyStorage.register(config), ...CONTEXTS.map((c) => c.module), graphqlModule(config.graphql)],
      controllers: [HealthController, OpenApiController],
      providers: [
        Readiness,
        {
          provide: Authenticator,
          // Where this process keeps the read models, it knows when access changes and can keep it in memory.
          useFactory: (access: AccessDirectory, sessions: SessionResolver | null, runner: ProjectionRunner | null) =>
            new ApiKeyAuthenticator(runner ? new CachedAccessDirectory(access, () => runner.changes(ACCESS.projection.name)) : access, sessions),
          inject: [AccessDirectory, { token: SessionResolver, optional: true }, { token: ProjectionRunner, optional: true }],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: AppwriteErrorFilter, useFactory: () => new AppwriteErrorFilter(config.appwriteVersion, ERROR_MAPPERS) },
        { provide: APP_FILTER, useExisting: AppwriteErrorFilter },
        { provide: IDEMPOTENCY_OPTIONS, useValue: { leaseMs: config.idempotencyLeaseMs } },
        { provide: VERSIONED_RESOURCES, useValue: ALL_VERSIONED_RESOURCES },
        IdempotentRequests,
        SafeWrites,
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        EndpointRoutes,
      ],
    };
  }
}
