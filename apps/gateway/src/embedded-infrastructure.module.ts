import { DynamicModule, Global, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type pino from 'pino';
import { warmUpUserAgentParser } from '../../../libs/client-info/src';
import { EventStore } from '../../../libs/event-store/src/event-store.port';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite/sqlite-event-store';
import { HashingPort } from '../../../libs/passwords/src/hashing.port';
import { LocalHashingAdapter } from '../../../libs/passwords/src/local-hashing.adapter';
import { ProjectionRunner } from '../../../libs/projections/src/projection-runner';
import { accessProjection } from '../../../libs/projects/src/access.projection';
import { ApiKeyAuthenticator } from '../../../libs/projects/src/api-key-authenticator';
import { ReadStore } from '../../../libs/read-store/src/read-store.port';
import { SqliteReadStore } from '../../../libs/read-store/src/sqlite/sqlite-read-store';
import { ProjectionSync } from '../../../libs/users/src/application/projection-sync.port';
import { USER_PROJECTIONS } from '../../../libs/users/src/projections';
import { ServiceConfig } from '../../../libs/platform/src/config';

export const CONFIG = 'GATEWAY_CONFIG';
export const LOGGER = 'PINO_LOGGER';
export const ALL_PROJECTIONS = [...USER_PROJECTIONS, accessProjection];

/** Starts the projections before the first request and closes every store on shutdown. */
@Injectable()
class Lifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly hashing: HashingPort,
  ) {}
  async onModuleInit() {
    // The user-agent parser compiles its rules on first use (~1 s); pay that before serving, not in a request.
    warmUpUserAgentParser();
    await this.runner.start();
  }
  async onApplicationShutdown() {
    await this.runner.stop();
    await this.hashing.close();
    await this.events.close();
    await this.readStore.close();
  }
}

/**
 * The embedded adapters: events and read models in SQLite files under DATA_DIR, hashing on
 * an in-process worker pool, projections running in this process. Nothing else to install.
 */
@Global()
@Module({})
export class EmbeddedInfrastructureModule {
  static register(config: ServiceConfig, logger: pino.Logger): DynamicModule {
    mkdirSync(config.dataDir, { recursive: true });
    return {
      module: EmbeddedInfrastructureModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: EventStore, useFactory: () => new SqliteEventStore(join(config.dataDir, 'events.sqlite')) },
        { provide: ReadStore, useFactory: () => new SqliteReadStore(join(config.dataDir, 'read-model.sqlite')) },
        { provide: HashingPort, useFactory: () => new LocalHashingAdapter({ poolSize: config.hashingPoolSize, maxQueue: config.hashingQueueLimit }) },
        {
          provide: ProjectionRunner,
          useFactory: (events: EventStore, readStore: ReadStore) =>
            new ProjectionRunner(events, readStore, ALL_PROJECTIONS, logger.child({ component: 'projections' })),
          inject: [EventStore, ReadStore],
        },
        { provide: ProjectionSync, useExisting: ProjectionRunner },
        { provide: ApiKeyAuthenticator, useFactory: (readStore: ReadStore) => new ApiKeyAuthenticator(readStore), inject: [ReadStore] },
        Lifecycle,
      ],
      exports: [CONFIG, LOGGER, EventStore, ReadStore, HashingPort, ProjectionRunner, ProjectionSync, ApiKeyAuthenticator],
    };
  }
}

