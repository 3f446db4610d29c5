import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type pino from 'pino';
import { EventStore, openEventStoreDb, SqliteEventStore } from '@lib/event-store';
import { IdempotencyStore, MongoIdempotencyStore, SqliteIdempotencyStore } from '@lib/idempotency';
import { MongoReadModels, ReadModelStore } from '@lib/read-models';
import { HashingPort, KafkaHashingAdapter, LocalHashingAdapter } from '@lib/passwords';
import { IntegrationEventsPort, JsonlIntegrationEventsAdapter, KafkaIntegrationEventsAdapter } from '@lib/messaging';
import type { ServiceConfig } from './config';
import { withPersonalData } from './personal-data';
import type { ServiceMetrics } from './metrics/service-metrics';

/**
 * The one place that turns configuration into adapters, shared by every app: the same ports,
 * embedded (SQLite files, local worker pool, JSON-lines sink) or distributed (EventStoreDB,
 * MongoDB, Kafka). The EventStoreDB client is loaded only when selected.
 */
export function createEventStore(config: ServiceConfig): EventStore {
  return withPersonalData(config, openEventLog(config));
}

/** The event log as stored: personal fields sealed. Read and write it through createEventStore / withPersonalData. */
export function openEventLog(config: ServiceConfig): EventStore {
  if (config.eventStore === 'eventstoredb') {
    return openEventStoreDb(config.eventstoreConnectionString!);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteEventStore(join(config.dataDir, 'events.sqlite'));
}

/** The hashing adapter the configuration selects, reporting its queue and waits to `metrics`. */
export function createHashing(config: ServiceConfig, logger: pino.Logger, metrics: ServiceMetrics | null): HashingPort {
  if (config.hasher === 'kafka') {
    const kafka = new KafkaHashingAdapter({
      brokers: config.kafkaBrokers,
      sharedKey: config.hasherSharedKey!,
      requestTopic: config.hashingRequestTopic,
      attempts: config.hashingAttempts,
      attemptTimeoutMs: config.hashingAttemptTimeoutMs,
      maxPending: config.hashingQueueLimit,
      logger: logger.child({ component: 'hashing' }),
      onWaited: metrics?.hashingWaits('kafka'),
    });
    metrics?.watchHashingQueue('kafka', () => kafka.queueDepth);
    return kafka;
  }
  const local = new LocalHashingAdapter({ poolSize: config.hashingPoolSize, maxQueue: config.hashingQueueLimit, maxWaitMs: config.hashingMaxWaitMs, onWaited: metrics?.hashingWaits('local') });
  metrics?.watchHashingQueue('local', () => local.queueDepth);
  return local;
}

/** Where downstream events go; null when publishing is off. */
export function createIntegrationEvents(config: ServiceConfig, logger: pino.Logger): IntegrationEventsPort | null {
  switch (config.publisher) {
    case 'none':
      return null;
    case 'jsonl':
      return new JsonlIntegrationEventsAdapter({ file: config.eventsFile });
    case 'kafka': {
      return new KafkaIntegrationEventsAdapter({ brokers: config.kafkaBrokers, topic: config.eventsTopic, logger: logger.child({ component: 'publisher' }) });
    }
  }
}

/**
 * Where the keys and answers of idempotent requests are kept: beside the read models (a
 * collection of their MongoDB database, sharing its client), or embedded in its own SQLite file.
 */
export async function createIdempotencyStore(config: ServiceConfig, readStore: ReadModelStore): Promise<IdempotencyStore> {
  if (config.readModel === 'mongodb') {
    if (!(readStore instanceof MongoReadModels)) throw new Error('READ_MODEL=mongodb, but the read store is not MongoDB');
    const store = new MongoIdempotencyStore(readStore.db);
    await store.init();
    return store;
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteIdempotencyStore(join(config.dataDir, 'idempotency.sqlite'));
}
