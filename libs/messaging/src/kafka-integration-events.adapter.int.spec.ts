import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CloudEvent } from 'cloudevents';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { SqliteEventStore } from '@lib/event-store';
import { SqliteReadModels } from '@lib/read-models';
import { CLOUD_EVENT_CONTENT_TYPE } from './cloud-events';
import { EventPublisher } from './event-publisher';
import { KafkaIntegrationEventsAdapter } from './kafka-integration-events.adapter';
import { deleteTestTopics, describeWithKafka } from '@lib/kafka/testing';
import { appendNameChange, appendProjectEvent, appendUserLife, eventually, HASH_IN_FIXTURES, tempDir } from '@lib/messaging/testing';

interface Received {
  partition: number;
  key: string;
  value: string;
  contentType: string;
  event: { id: string; subject: string; streamrevision: number; type: string };
}

describe('KafkaIntegrationEventsAdapter without a broker', () => {
  it('needs brokers and names its destination after the topic', () => {
    expect(() => new KafkaIntegrationEventsAdapter({ brokers: [] })).toThrow(/brokers/);
    expect(new KafkaIntegrationEventsAdapter({ brokers: ['127.0.0.1:9'] }).destination).toBe('users.events');
    expect(new KafkaIntegrationEventsAdapter({ brokers: ['127.0.0.1:9'], topic: 't' }).destination).toBe('t');
  });

  it('rejects a publish when Kafka is unreachable (so the publisher retries), within its send timeout', async () => {
    const sink = new KafkaIntegrationEventsAdapter({ brokers: ['127.0.0.1:1'], sendTimeoutMs: 2_000 });
    const started = Date.now();
    await expect(sink.publish([{ key: 'u', value: '{}', headers: {} }])).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
    await sink.close();
  });
});

describeWithKafka('EventPublisher → Kafka (real broker, SQLite stores)', (brokers) => {
  const suite = randomBytes(4).toString('hex');
  const topic = `users.events.test-${suite}`;
  const kafka = new Kafka({ clientId: 'events-test-consumer', brokers, logLevel: logLevel.NOTHING });
  let tmp: ReturnType<typeof tempDir>;
  let events: SqliteEventStore;
  let checkpoints: SqliteReadModels;
  let consumer: Consumer;
  const received: Received[] = [];
  const errors: object[] = [];
  const logger = { error: (o: object) => void errors.push(o), info: () => undefined };

  const lastPosition = async () => {
    const all = await events.readAll(null, 100_000);
    return all[all.length - 1].position;
  };
  const userEventIds = async () => (await events.readAll(null, 100_000)).filter((e) => e.streamId.startsWith('user-'));

  beforeAll(async () => {
    tmp = tempDir('publisher-kafka-');
    events = new SqliteEventStore(join(tmp.dir, 'events.sqlite'), { pollIntervalMs: 20 });
    checkpoints = new SqliteReadModels(join(tmp.dir, 'read-model.sqlite'), {});
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await deleteTestTopics(brokers, [topic]);
    await events.close();
    await checkpoints.close();
    tmp.cleanup();
  });

  async function startConsumer(): Promise<void> {
    consumer = kafka.consumer({ groupId: `events-test-${suite}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const value = message.value!.toString('utf8');
        received.push({
          partition,
          key: message.key!.toString('utf8'),
          value,
          contentType: String(message.headers?.['content-type'] ?? ''),
          event: JSON.parse(value),
        });
      },
    });
  }

  function expectPerUserLogOrder(expected: Awaited<ReturnType<typeof userEventIds>>): void {
    const byUser = new Map<string, string[]>();
    for (const r of received) {
      const list = byUser.get(r.key) ?? [];
      if (!list.includes(r.event.id)) list.push(r.event.id);
      byUser.set(r.key, list);
    }
    const users = new Set(expected.map((e) => e.streamId.split(':')[1]));
    for (const user of users) {
      const logOrder = expected.filter((e) => e.streamId.endsWith(`:${user}`)).map((e) => e.id);
      expect(byUser.get(user)).toEqual(logOrder);
      // A user's events share one partition.
      expect(new Set(received.filter((r) => r.key === user).map((r) => r.partition)).size).toBe(1);
      // Revisions are consecutive per user (what a consumer uses to drop repeats).
      const revisions = received.filter((r) => r.key === user).map((r) => r.event.streamrevision);
      expect(revisions).toEqual(revisions.map((_, i) => i));
    }
  }

  it('publishes every user event once, as CloudEvents, in log order per user, without hashes', async () => {
    await appendProjectEvent(events, 'demo');
    for (let u = 0; u < 6; u++) await appendUserLife(events, 'demo', `user-${u}`, 3);
    const sink = new KafkaIntegrationEventsAdapter({ brokers, topic });
    const publisher = new EventPublisher(events, checkpoints, sink, { logger, batchSize: 5 });
    await publisher.start();
    // Interleaved live writes while the backlog is published.
    for (let i = 0; i < 10; i++) await appendNameChange(events, 'demo', `user-${i % 6}`, `live-${i}`);
    await publisher.waitFor(await lastPosition());
    await publisher.stop();
    await sink.close();
    expect(await checkpoints.getCheckpoint(`publisher:${topic}`)).toBe(await lastPosition());

    await startConsumer();
    const expected = await userEventIds();
    await eventually(() => received.length >= expected.length, 30_000, 'every event downstream');
    expect(received.map((r) => r.event.id).sort()).toEqual(expected.map((e) => e.id).sort());
    expectPerUserLogOrder(expected);
    for (const r of received) {
      expect(r.value).not.toContain(HASH_IN_FIXTURES);
      expect(r.value).not.toContain('$argon2id$');
      expect(r.contentType).toBe(CLOUD_EVENT_CONTENT_TYPE);
      expect(() => new CloudEvent(JSON.parse(r.value), true)).not.toThrow();
    }
    const admin = kafka.admin();
    await admin.connect();
    expect((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions).toHaveLength(6);
    await admin.disconnect();
    expect(errors).toEqual([]);
  });

  it('resumes from its checkpoint after a restart without loss (events written while stopped included)', async () => {
    const before = received.length;
    const whileStopped: string[] = [];
    for (let i = 0; i < 5; i++) whileStopped.push(await appendNameChange(events, 'demo', `user-${i}`, `offline-${i}`));
    await appendUserLife(events, 'demo', 'late-user', 2);
    const sink = new KafkaIntegrationEventsAdapter({ brokers, topic });
    const publisher = new EventPublisher(events, checkpoints, sink, { logger });
    await publisher.start();
    await publisher.waitFor(await lastPosition());
    await publisher.stop();
    await sink.close();
    const expected = await userEventIds();
    await eventually(() => received.length >= expected.length, 30_000, 'the events after the restart');
    // A clean restart repeats nothing.
    expect(received).toHaveLength(expected.length);
    // Different users sit on different partitions: only per-user order is defined.
    expect(received.slice(before).map((r) => r.event.id)).toEqual(expect.arrayContaining(whileStopped));
    expectPerUserLogOrder(expected);
  });

  it('does not move past events while Kafka is unreachable; a publisher that can reach it delivers them', async () => {
    const before = received.length;
    const during: string[] = [];
    for (let i = 0; i < 4; i++) during.push(await appendNameChange(events, 'demo', 'user-0', `outage-${i}`));
    const checkpointBefore = await checkpoints.getCheckpoint(`publisher:${topic}`);
    // Same checkpoint name, a broker that is down.
    const dead = new KafkaIntegrationEventsAdapter({ brokers: ['127.0.0.1:1'], topic, sendTimeoutMs: 1_000 });
    const failing = new EventPublisher(events, checkpoints, dead, { logger, retryInitialDelayMs: 50, retryMaxDelayMs: 200 });
    errors.length = 0;
    await failing.start();
    await eventually(() => errors.length >= 2, 20_000, 'publish failures');
    await failing.stop();
    await dead.close();
    expect(await checkpoints.getCheckpoint(`publisher:${topic}`)).toBe(checkpointBefore);

    const sink = new KafkaIntegrationEventsAdapter({ brokers, topic });
    const publisher = new EventPublisher(events, checkpoints, sink, { logger });
    await publisher.start();
    await publisher.waitFor(await lastPosition());
    await publisher.stop();
    await sink.close();
    await eventually(() => received.length >= before + during.length, 30_000, 'the events written during the outage');
    expect(received.slice(before).map((r) => r.event.id)).toEqual(during);
    expectPerUserLogOrder(await userEventIds());
  });
});
