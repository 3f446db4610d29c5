import type { Kafka, KafkaConfig, Producer } from 'kafkajs';
import type { CloudEventMessage } from './cloud-events';
import { IntegrationEventsPort } from './integration-events.port';
import { errorSummary, kafkajs, kafkaLogCreator, type KafkaLogger, silentKafkaLogger, withTimeout } from '@lib/kafka';

export const DEFAULT_EVENTS_TOPIC = 'users.events';

export interface KafkaIntegrationEventsOptions {
  brokers: string[];
  /** Default `users.events`. */
  topic?: string;
  clientId?: string;
  /** Create the topic when missing (default true), with `partitions` partitions (default 6). */
  createTopic?: boolean;
  partitions?: number;
  /** Default -1: the broker's default.replication.factor. */
  replicationFactor?: number;
  /** A send taking longer fails (and the publisher retries from its checkpoint); default 30 000. */
  sendTimeoutMs?: number;
  logger?: KafkaLogger;
  /** Extra kafkajs client settings (ssl, sasl...). */
  kafkaConfig?: Partial<KafkaConfig>;
}

/**
 * Publishes integration events to one Kafka topic with an idempotent producer: acks from all
 * in-sync replicas, one request in flight per broker, so retries neither duplicate nor reorder
 * inside a partition. The key is the user id: one user's events share a partition
 * and keep their order. After a failed send the producer is discarded (its sequence numbers
 * may be out of step) and a fresh one connects on the next publish.
 */
export class KafkaIntegrationEventsAdapter extends IntegrationEventsPort {
  readonly destination: string;
  private readonly kafka: Kafka;
  private readonly logger: KafkaLogger;
  private readonly sendTimeoutMs: number;
  private producer: Promise<Producer> | undefined;
  private topicReady: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: KafkaIntegrationEventsOptions) {
    super();
    if (!Array.isArray(options.brokers) || options.brokers.length === 0) throw new Error('KafkaIntegrationEventsAdapter needs brokers');
    this.destination = options.topic ?? DEFAULT_EVENTS_TOPIC;
    this.logger = options.logger ?? silentKafkaLogger;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 30_000;
    this.kafka = new (kafkajs().Kafka)({
      clientId: options.clientId ?? 'users-event-publisher',
      brokers: options.brokers,
      connectionTimeout: 3_000,
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
      logLevel: kafkajs().logLevel.WARN,
      logCreator: kafkaLogCreator(this.logger, 'integration-events'),
      ...options.kafkaConfig,
    });
  }

  async publish(events: CloudEventMessage[]): Promise<void> {
    if (this.closed) throw new Error('integration-event publisher is closed');
    if (events.length === 0) return;
    const pending = this.connect();
    let producer: Producer;
    try {
      producer = await withTimeout(pending, this.sendTimeoutMs, () => new Error('Kafka connect timed out'));
    } catch (err) {
      this.discard(pending);
      throw err;
    }
    try {
      await withTimeout(
        producer.send({
          topic: this.destination,
          acks: -1,
          messages: events.map((e) => ({ key: e.key, value: e.value, headers: e.headers })),
        }),
        this.sendTimeoutMs,
        () => new Error(`Kafka send exceeded ${this.sendTimeoutMs} ms`),
      );
    } catch (err) {
      this.logger.warn({ topic: this.destination, count: events.length, err: errorSummary(err) }, 'publishing integration events failed');
      this.discard(pending);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const producer = await this.producer?.catch(() => undefined);
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  private connect(): Promise<Producer> {
    this.producer ??= (async () => {
      if (this.options.createTopic ?? true) {
        this.topicReady ??= this.ensureTopic().catch((err: unknown) => {
          this.topicReady = undefined;
          throw err;
        });
        await this.topicReady;
      }
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: kafkajs().Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
      });
      try {
        await producer.connect();
      } catch (err) {
        await producer.disconnect().catch(() => undefined);
        throw err;
      }
      return producer;
    })();
    return this.producer;
  }

  /** Forgets a producer that failed; it is disconnected in the background. */
  private discard(pending: Promise<Producer>): void {
    if (this.producer === pending) this.producer = undefined;
    pending.then(
      (p) => p.disconnect().catch(() => undefined),
      () => undefined,
    );
  }

  private async ensureTopic(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if ((await admin.listTopics()).includes(this.destination)) return;
      const created = await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: this.destination,
            numPartitions: this.options.partitions ?? 6,
            replicationFactor: this.options.replicationFactor ?? -1,
          },
        ],
      });
      if (created) this.logger.info({ topic: this.destination }, 'created the integration-event topic');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
