import { DynamicModule, Global, Injectable, Module, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type pino from 'pino';
import { warmUpUserAgentParser } from '../../client-info/src';
import { EventStore } from '../../event-store/src/event-store.port';
import { HashingPort } from '../../passwords/src/hashing.port';
import { CheckpointProjectionSync } from '../../projections/src/checkpoint-projection-sync';
import { ProjectionRunner } from '../../projections/src/projection-runner';
import { ApiKeyAuthenticator } from '../../projects/src/api-key-authenticator';
import { ReadStore } from '../../read-store/src/read-store.port';
import { ProjectionSync } from '../../users/src/application/projection-sync.port';
import { EventPublisher } from '../../messaging/src/event-publisher';
import { IntegrationEventsPort } from '../../messaging/src/integration-events.port';
import { ALL_PROJECTIONS, createEventStore, createHashing, createIntegrationEvents, createReadStore } from './adapters';
import { ServiceConfig } from './config';

export const CONFIG = 'SERVICE_CONFIG';
export const LOGGER = 'PINO_LOGGER';

/** What a process runs besides serving: the projections (gateway inline, or the projector). */
export interface PlatformRole {
  runProjections: boolean;
  hashing: boolean;
}

/** Starts the projections before the first request and closes every adapter on shutdown. */
@Injectable()
class Lifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    @Optional() private readonly runner?: ProjectionRunner,
    @Optional() private readonly hashing?: HashingPort,
    @Optional() private readonly publisher?: EventPublisher,
    @Optional() private readonly sink?: IntegrationEventsPort,
  ) {}
  async onModuleInit() {
    if (this.runner) {
      // The user-agent parser compiles its rules on first use (~1 s): pay that before serving.
      warmUpUserAgentParser();
      await this.runner.start();
    }
    await this.publisher?.start();
  }
  async onApplicationShutdown() {
    await this.publisher?.stop();
    await this.sink?.close();
    await this.runner?.stop();
    await this.hashing?.close();
    await this.events.close();
    await this.readStore.close();
  }
}

/**
 * The ports, bound to the adapters the configuration selects (see adapters.ts), for any app.
 * `runProjections` makes this process keep the read models (the embedded gateway, the
 * projector); otherwise writes wait on the projector's checkpoints.
 */
@Global()
@Module({})
export class PlatformModule {
  static register(config: ServiceConfig, logger: pino.Logger, role: PlatformRole): DynamicModule {
    const providers: any[] = [
      { provide: CONFIG, useValue: config },
      { provide: LOGGER, useValue: logger },
      { provide: EventStore, useFactory: () => createEventStore(config) },
      { provide: ReadStore, useFactory: (events: EventStore) => createReadStore(config, events), inject: [EventStore] },
      { provide: ApiKeyAuthenticator, useFactory: (readStore: ReadStore) => new ApiKeyAuthenticator(readStore), inject: [ReadStore] },
      Lifecycle,
    ];
    const exported: any[] = [CONFIG, LOGGER, EventStore, ReadStore, ApiKeyAuthenticator];
    if (role.hashing) {
      providers.push({ provide: HashingPort, useFactory: () => createHashing(config, logger) });
      exported.push(HashingPort);
    }
    if (role.runProjections) {
      providers.push(
        {
          provide: ProjectionRunner,
          useFactory: (events: EventStore, readStore: ReadStore) =>
            new ProjectionRunner(events, readStore, ALL_PROJECTIONS, logger.child({ component: 'projections' })),
          inject: [EventStore, ReadStore],
        },
        { provide: ProjectionSync, useExisting: ProjectionRunner },
      );
      // Downstream publishing runs where the projections run: from the log, with its own checkpoint.
      const sink = createIntegrationEvents(config, logger);
      if (sink) {
        providers.push(
          { provide: IntegrationEventsPort, useValue: sink },
          {
            provide: EventPublisher,
            useFactory: (events: EventStore, readStore: ReadStore) => new EventPublisher(events, readStore, sink, { logger: logger.child({ component: 'publisher' }) }),
            inject: [EventStore, ReadStore],
          },
        );
      }
      exported.push(ProjectionRunner, ProjectionSync);
    } else {
      providers.push({
        provide: ProjectionSync,
        useFactory: (events: EventStore, readStore: ReadStore) =>
          new CheckpointProjectionSync(readStore, ALL_PROJECTIONS.map((p) => p.name), (a, b) => events.comparePositions(a, b)),
        inject: [EventStore, ReadStore],
      });
      exported.push(ProjectionSync);
    }
    return { module: PlatformModule, providers, exports: exported };
  }
}

