import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type pino from 'pino';
import { EventStore } from '../../event-store/src/event-store.port';
import { SqliteEventStore } from '../../event-store/src/sqlite/sqlite-event-store';
import { HashingPort } from '../../passwords/src/hashing.port';
import { LocalHashingAdapter } from '../../passwords/src/local-hashing.adapter';
import { ReadStore } from '../../read-store/src/read-store.port';
import type { IntegrationEventsPort } from '../../messaging/src/integration-events.port';
import { JsonlIntegrationEventsAdapter } from '../../messaging/src/jsonl-integration-events.adapter';
import { SqliteReadStore } from '../../read-store/src/sqlite/sqlite-read-store';
import { accessProjection } from '../../projects/src/access.projection';
import { USER_PROJECTIONS } from '../../users/src/projections';
import type { ServiceConfig } from './config';

/** Every projection the read models are made of. */
export const ALL_PROJECTIONS = [...USER_PROJECTIONS, accessProjection];

/**
 * The one place that turns configuration into adapters, shared by every app: the same ports,
 * embedded (SQLite files, local worker pool, JSON-lines sink) or distributed (EventStoreDB,
 * MongoDB, Kafka). The distributed adapters are loaded only when selected.
 */
export function createEventStore(config: ServiceConfig): EventStore {
  if (config.eventStore === 'eventstoredb') {
    const { EventStoreDbEventStore } = require('../../event-store/src/eventstoredb/eventstoredb-event-store') as typeof import('../../event-store/src/eventstoredb/eventstoredb-event-store');
    return new EventStoreDbEventStore(config.eventstoreConnectionString!);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteEventStore(join(config.dataDir, 'events.sqlite'));
}

export async function createReadStore(config: ServiceConfig, events: EventStore): Promise<ReadStore> {
  const comparePositions = (a: string | null, b: string | null) => events.comparePositions(a, b);
  if (config.readModel === 'mongodb') {
    const { MongoReadStore } = require('../../read-store/src/mongodb/mongodb-read-store') as typeof import('../../read-store/src/mongodb/mongodb-read-store');
    return MongoReadStore.connect(config.mongodbUrl!, config.mongodbDatabase, { comparePositions });
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteReadStore(join(config.dataDir, 'read-model.sqlite'), { comparePositions });
}

export function createHashing(config: ServiceConfig, logger: pino.Logger): HashingPort {
  if (config.hasher === 'kafka') {
    const { KafkaHashingAdapter } = require('../../passwords/src/kafka/kafka-hashing.adapter') as typeof import('../../passwords/src/kafka/kafka-hashing.adapter');
    return new KafkaHashingAdapter({
      brokers: config.kafkaBrokers,
      sharedKey: config.hasherSharedKey!,
      requestTopic: config.hashingRequestTopic,
      attempts: config.hashingAttempts,
      attemptTimeoutMs: config.hashingAttemptTimeoutMs,
      maxPending: config.hashingQueueLimit,
      logger: logger.child({ component: 'hashing' }),
    });
  }
  return new LocalHashingAdapter({ poolSize: config.hashingPoolSize, maxQueue: config.hashingQueueLimit });
}

/** Where downstream events go; null when publishing is off. */
export function createIntegrationEvents(config: ServiceConfig, logger: pino.Logger): IntegrationEventsPort | null {
  switch (config.publisher) {
    case 'none':
      return null;
    case 'jsonl':
      return new JsonlIntegrationEventsAdapter({ file: config.eventsFile });
    case 'kafka': {
      const { KafkaIntegrationEventsAdapter } = require('../../messaging/src/kafka-integration-events.adapter') as typeof import('../../messaging/src/kafka-integration-events.adapter');
      return new KafkaIntegrationEventsAdapter({ brokers: config.kafkaBrokers, topic: config.eventsTopic, logger: logger.child({ component: 'publisher' }) });
    }
  }
}
