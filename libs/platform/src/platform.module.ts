import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit, Optional, Provider, Type } from '@nestjs/common';
import type pino from 'pino';
import { EventStore } from '@lib/event-store';
import { COMMAND_DEPS, CommandDeps, ProjectionSync } from '@lib/event-sourcing';
import { JwtKey } from '@lib/http';
import { EventPublisher, IntegrationEventsPort } from '@lib/messaging';
import { HashingPort } from '@lib/passwords';
import { DataKeys, PersonalDataErasure, PersonalDataEventStore, PersonalDataPolicy } from '@lib/personal-data';
import { ReservationNames } from '@lib/users';
import { CheckpointProjectionSync, ProjectionRunner, ReadModelStore } from '@lib/read-models';
import { createHashing, createIntegrationEvents, openEventLog } from './adapters';
import { ServiceConfig } from './config';
import { loadJwtKey } from './jwt-key';
import { MetricsController, MetricsServer } from './metrics/metrics-endpoint';
import { ServiceMetrics } from './metrics/service-metrics';
import { loadMasterKey, withPersonalData } from './personal-data';
import { ALL_PROJECTIONS, ALL_READ_MODELS, createReadModels, ReadModels } from './read-models';
import { refuseUnsealedLog } from './unsealed-log-guard';

export const CONFIG = 'SERVICE_CONFIG';
export const LOGGER = 'PINO_LOGGER';
const READ_MODELS = 'READ_MODELS';
const MASTER_KEY = 'DATA_ENCRYPTION_MASTER_KEY';

/** What a process runs besides serving: the projections (gateway inline, or the projector), hashing. */
export interface PlatformRole {
  runProjections: boolean;
  hashing: boolean;
}

/** Adapters handed in instead of made from the configuration (tests: an in-process EventStoreDB double). */
export interface PlatformOverrides {
  eventStore?: () => EventStore;
  /** Which fields are sealed (the sealing bench: a policy that names no one, to measure what sealing costs). */
  personalData?: PersonalDataPolicy;
}

/** Starts the projections before the first request and closes every adapter on shutdown. */
@Injectable()
class Lifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(CONFIG) private readonly config: ServiceConfig,
    private readonly events: EventStore,
    private readonly sealed: PersonalDataEventStore,
    private readonly keys: DataKeys,
    private readonly readStore: ReadModelStore,
    @Optional() private readonly runner?: ProjectionRunner,
    @Optional() private readonly hashing?: HashingPort,
    @Optional() private readonly publisher?: EventPublisher,
    @Optional() private readonly sink?: IntegrationEventsPort,
  ) {}
  async onModuleInit() {
    // A log from before sealing is copied first (npm run migrate-log), before anything here writes a key for it.
    if (this.config.unsealedLogCheck) await refuseUnsealedLog(this.sealed);
    // A wrong DATA_ENCRYPTION_KEY stops the start here, with its own message.
    await this.keys.ready();
    if (this.runner) {
      // No user-agent warm-up here: it held readiness ~0.5–1 s. The apps run it once they serve.
      await this.runner.start();
    } else {
      await this.readStore.bindLog(await this.events.identity());
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
 * The ports, bound to the adapters the configuration selects (adapters.ts, read-models.ts), for
 * any app: the event store, the read store and every read model's queries, hashing,
 * read-your-writes. `runProjections` makes this process keep the read models
 * (the embedded gateway, the projector); otherwise writes wait on the projector's checkpoints.
 * With `metrics` (the app's registry, null when METRICS=off) each port reports to it and the app
 * serves GET /metrics, on its HTTP port or on METRICS_PORT.
 */
@Global()
@Module({})
export class PlatformModule {
  static register(config: ServiceConfig, logger: pino.Logger, role: PlatformRole, metrics: ServiceMetrics | null, overrides: PlatformOverrides = {}): DynamicModule {
    const queryPorts: Provider[] = ALL_READ_MODELS.map((m) => ({ provide: m.port, useFactory: (rm: ReadModels) => rm.queries.get(m.port), inject: [READ_MODELS] }));
    const providers: Provider[] = [
      { provide: CONFIG, useValue: config },
      { provide: LOGGER, useValue: logger },
      { provide: MASTER_KEY, useFactory: () => loadMasterKey(config) },
      // Every reader and writer of the log goes through the personal-data seal.
      { provide: PersonalDataEventStore, useFactory: (master: Buffer) => withPersonalData(config, overrides.eventStore?.() ?? openEventLog(config), master, overrides.personalData), inject: [MASTER_KEY] },
      {
        provide: EventStore,
        // Timed outermost: an append's latency includes its sealing.
        useFactory: (sealed: PersonalDataEventStore) => (metrics ? metrics.timeAppends(sealed) : sealed),
        inject: [PersonalDataEventStore],
      },
      { provide: DataKeys, useFactory: (sealed: PersonalDataEventStore) => sealed.keys, inject: [PersonalDataEventStore] },
      { provide: PersonalDataErasure, useExisting: PersonalDataEventStore },
      { provide: ReservationNames, useFactory: (master: Buffer) => ReservationNames.fromMasterKey(master), inject: [MASTER_KEY] },
      { provide: READ_MODELS, useFactory: (events: EventStore) => createReadModels(config, events), inject: [EventStore] },
      {
        provide: ReadModelStore,
        useFactory: (rm: ReadModels, sealed: PersonalDataEventStore) => {
          metrics?.watchProjections(sealed.stored, rm.store, ALL_PROJECTIONS.map((p) => p.name));
          return rm.store;
        },
        inject: [READ_MODELS, PersonalDataEventStore],
      },
      ...queryPorts,
      { provide: COMMAND_DEPS, useFactory: (events: EventStore, sync: ProjectionSync): CommandDeps => ({ events, sync }), inject: [EventStore, ProjectionSync] },
      { provide: JwtKey, useFactory: () => loadJwtKey(config) },
      Lifecycle,
    ];
    const exported: Array<string | Provider | Function> = [CONFIG, LOGGER, EventStore, DataKeys, PersonalDataErasure, ReservationNames, ReadModelStore, ...ALL_READ_MODELS.map((m) => m.port), COMMAND_DEPS, ProjectionSync, JwtKey];
    if (role.hashing) {
      providers.push({ provide: HashingPort, useFactory: () => createHashing(config, logger, metrics) });
      exported.push(HashingPort);
    }
    if (role.runProjections) {
      providers.push(
        {
          provide: ProjectionRunner,
          useFactory: (events: EventStore, store: ReadModelStore) => new ProjectionRunner(events, store, ALL_PROJECTIONS, logger.child({ component: 'projections' })),
          inject: [EventStore, ReadModelStore],
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
            useFactory: (events: EventStore, store: ReadModelStore, sealed: PersonalDataEventStore) => {
              const publisher = new EventPublisher(events, store, sink, { logger: logger.child({ component: 'publisher' }), onPublished: metrics?.publishDurations(sink.destination) });
              metrics?.watchPublisher(sealed.stored, publisher, sink.destination);
              return publisher;
            },
            inject: [EventStore, ReadModelStore, PersonalDataEventStore],
          },
        );
      }
      exported.push(ProjectionRunner);
    } else {
      providers.push({
        provide: ProjectionSync,
        useFactory: (events: EventStore, store: ReadModelStore) => new CheckpointProjectionSync(store, ALL_PROJECTIONS.map((p) => p.name), (a, b) => events.comparePositions(a, b)),
        inject: [EventStore, ReadModelStore],
      });
    }
    const controllers: Type[] = [];
    if (metrics) {
      providers.push({ provide: ServiceMetrics, useValue: metrics });
      exported.push(ServiceMetrics);
      const port = config.metrics.port;
      if (port === null) controllers.push(MetricsController);
      else providers.push({ provide: MetricsServer, useFactory: () => new MetricsServer(metrics, { port, host: config.host, appwriteVersion: config.appwriteVersion }) });
    }
    return { module: PlatformModule, providers, controllers, exports: exported as never[] };
  }
}
