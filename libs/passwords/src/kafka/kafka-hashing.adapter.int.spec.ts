import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type pino from 'pino';
import { startHasher, type RunningHasher } from './start-hasher';
import { createLogger } from '@lib/platform';
import { deleteTestTopics, describeWithKafka } from '@lib/kafka/testing';
import { LocalHashingAdapter } from '../local-hashing.adapter';
import { readEnvelope, sealJob } from './hashing-jobs';
import { HashingUnavailableError, KafkaHashingAdapter } from './kafka-hashing.adapter';

const PASSWORD = 'Tr0ub4dor&3-correct-horse';
const PHC_PREFIX = '$argon2id$v=19$m=65536,t=4,p=3$';

/** A pino logger writing into an array (to check that no line holds a password or hash). */
function memoryLogger(level = 'debug'): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger(level, 'users-hasher', { write: (s: string) => void lines.push(s) }), lines };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('KafkaHashingAdapter without a broker', () => {
  it('fails fast on a missing or short HASHER_SHARED_KEY', () => {
    expect(() => new KafkaHashingAdapter({ brokers: ['127.0.0.1:9'], sharedKey: '' })).toThrow(/HASHER_SHARED_KEY is not set/);
    expect(() => new KafkaHashingAdapter({ brokers: ['127.0.0.1:9'], sharedKey: randomBytes(16).toString('base64') })).toThrow(
      /HASHER_SHARED_KEY must be 32 bytes/,
    );
  });

  it('rejects with HashingUnavailableError (503) within the bound when Kafka is unreachable, and closes cleanly', async () => {
    const adapter = new KafkaHashingAdapter({
      brokers: ['127.0.0.1:1'],
      sharedKey: randomBytes(32),
      attempts: 2,
      attemptTimeoutMs: 1_000,
    });
    const started = Date.now();
    const err = await adapter.hash(PASSWORD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HashingUnavailableError);
    expect(String((err as Error).message)).not.toContain(PASSWORD);
    expect(Date.now() - started).toBeLessThan(2_000 + 1_500);
    // verify of a user without a password needs no round trip.
    expect(await adapter.verify(PASSWORD, { password: null, hash: 'argon2', hashOptions: {} })).toBe(false);
    await adapter.close();
    await expect(adapter.hash(PASSWORD)).rejects.toThrow(/closed/);
  });
});

describeWithKafka('KafkaHashingAdapter against a real broker and hasher', (brokers) => {
  const suite = randomBytes(4).toString('hex');
  const requestTopic = `users.hashing.requests.test-${suite}`;
  const key = randomBytes(32);
  const hasherLog = memoryLogger();
  let hasher: RunningHasher;
  let adapter: KafkaHashingAdapter;
  const latency: Record<string, number> = {};

  beforeAll(async () => {
    hasher = await startHasher(
      {
        brokers,
        sharedKey: key,
        poolSize: 2,
        logLevel: 'debug',
        requestTopic,
        groupId: `users-hasher-test-${suite}`,
        concurrency: 4,
        taskTimeoutMs: 30_000,
      },
      hasherLog.logger,
    );
    adapter = new KafkaHashingAdapter({ brokers, sharedKey: key.toString('base64'), requestTopic, instanceId: `test-${suite}` });
    await adapter.start();
  }, 60_000);

  afterAll(async () => {
    await adapter?.close();
    await hasher?.stop();
    await deleteTestTopics(brokers, [requestTopic, `${requestTopic}.nobody`]);
    // eslint-disable-next-line no-console
    if (Object.keys(latency).length) console.log('hash round trip (median ms):', JSON.stringify(latency));
  });

  it('hashes and verifies through Kafka', async () => {
    const hashed = await adapter.hash(PASSWORD);
    expect(hashed.password.startsWith(PHC_PREFIX)).toBe(true);
    expect(hashed).toMatchObject({ hash: 'argon2', hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 } });
    expect(await adapter.verify(PASSWORD, hashed)).toBe(true);
    expect(await adapter.verify('wrong password', hashed)).toBe(false);
    // Imported algorithms run in the hasher too.
    expect(await adapter.verify('secret', { password: '5ebe2294ecd0e0f08eab7690d2a6ee69', hash: 'md5', hashOptions: {} })).toBe(true);
  });

  it('serves concurrent calls, each with its own reply', async () => {
    const passwords = Array.from({ length: 8 }, (_, i) => `password-${i}-${suite}`);
    const hashes = await Promise.all(passwords.map((p) => adapter.hash(p)));
    const checks = await Promise.all(hashes.map((h, i) => adapter.verify(passwords[(i + 1) % passwords.length], h)));
    expect(checks.every((ok) => ok === false)).toBe(true);
    const own = await Promise.all(hashes.map((h, i) => adapter.verify(passwords[i], h)));
    expect(own.every(Boolean)).toBe(true);
  });

  it('puts no plaintext password on the request topic and no clear hash on the reply topic', async () => {
    const marker = `plain-${suite}-${randomBytes(6).toString('hex')}`;
    const hashed = await adapter.hash(marker);
    await adapter.verify(marker, hashed);
    const kafka = new Kafka({ clientId: 'raw-reader', brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `raw-reader-${suite}` });
    const raw = new Map<string, Buffer[]>([
      [requestTopic, []],
      [adapter.replyTopic, []],
    ]);
    await consumer.connect();
    await consumer.subscribe({ topics: [requestTopic, adapter.replyTopic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ topic, message }) => void raw.get(topic)!.push(message.value!) });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (raw.get(requestTopic)!.length < 2 || raw.get(adapter.replyTopic)!.length < 2)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await consumer.disconnect();
    const requests = raw.get(requestTopic)!;
    const replies = raw.get(adapter.replyTopic)!;
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(replies.length).toBeGreaterThanOrEqual(2);
    for (const value of [...requests, ...replies]) {
      expect(value.includes(Buffer.from(marker))).toBe(false);
      expect(value.includes(Buffer.from(marker).toString('base64').slice(0, 16))).toBe(false);
      expect(value.includes(Buffer.from(hashed.password))).toBe(false);
      expect(value.includes(Buffer.from('$argon2id$'))).toBe(false);
    }
    expect(readEnvelope(requests[0]).kind).toBe('job');
    expect(readEnvelope(replies[0]).kind).toBe('reply');
    // Nor in the hasher's logs.
    const logs = hasherLog.lines.join('');
    expect(logs).toContain('"msg":"job done"');
    expect(logs).not.toContain(marker);
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain('$argon2id$');
  });

  it('created the job topics with short retention', async () => {
    const admin = new Kafka({ clientId: 'cfg-reader', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [requestTopic, adapter.replyTopic].map((name) => ({ type: 2, name, configNames: ['retention.ms', 'segment.ms'] })),
      });
      for (const r of resources) {
        const cfg = Object.fromEntries(r.configEntries.map((c) => [c.configName, c.configValue]));
        expect(cfg).toEqual({ 'retention.ms': '60000', 'segment.ms': '60000' });
      }
      const meta = await admin.fetchTopicMetadata({ topics: [requestTopic] });
      expect(meta.topics[0].partitions).toHaveLength(12);
    } finally {
      await admin.disconnect();
    }
  });

  it('answers 503 (HashingUnavailableError) within attempts × timeout when no hasher consumes the topic', async () => {
    const lonely = new KafkaHashingAdapter({
      brokers,
      sharedKey: key,
      requestTopic: `${requestTopic}.nobody`,
      attempts: 2,
      attemptTimeoutMs: 1_500,
    });
    await lonely.start();
    const started = Date.now();
    const err = await lonely.hash(PASSWORD).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    await lonely.close();
    expect(err).toBeInstanceOf(HashingUnavailableError);
    expect(elapsed).toBeGreaterThanOrEqual(2_900);
    expect(elapsed).toBeLessThan(4_500);
  });

  it('a gateway with another key gets 503 (the hasher cannot open its jobs) and the hasher logs why', async () => {
    const wrong = new KafkaHashingAdapter({ brokers, sharedKey: randomBytes(32), requestTopic, attempts: 1, attemptTimeoutMs: 2_000 });
    await expect(wrong.hash(PASSWORD)).rejects.toBeInstanceOf(HashingUnavailableError);
    await wrong.close();
    expect(hasherLog.lines.join('')).toContain('job failed authentication');
  });

  it('the hasher drops expired jobs unprocessed and ignores forged ones', async () => {
    const producer = new Kafka({ clientId: 'raw-writer', brokers, logLevel: logLevel.NOTHING }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const { expired, rejected, done } = hasher.service.stats;
    const stale = sealJob(key, 'stale-job', { op: 'hash', password: PASSWORD, replyTo: adapter.replyTopic, expiresAt: Date.now() - 60_000 });
    const forged = sealJob(randomBytes(32), 'forged-job', { op: 'hash', password: PASSWORD, replyTo: adapter.replyTopic, expiresAt: Date.now() + 60_000 });
    await producer.send({ topic: requestTopic, messages: [{ key: 'a', value: stale }, { key: 'b', value: forged }, { key: 'c', value: 'junk' }] });
    await producer.disconnect();
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (hasher.service.stats.expired === expired || hasher.service.stats.rejected < rejected + 2)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(hasher.service.stats).toMatchObject({ expired: expired + 1, rejected: rejected + 2, done });
  });

  it('deletes its reply topic on close', async () => {
    const temp = new KafkaHashingAdapter({ brokers, sharedKey: key, requestTopic });
    await temp.verify(PASSWORD, { password: '5ebe2294ecd0e0f08eab7690d2a6ee69', hash: 'md5', hashOptions: {} });
    const admin = new Kafka({ clientId: 'topics', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    expect(await admin.listTopics()).toContain(temp.replyTopic);
    await temp.close();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await admin.listTopics()).includes(temp.replyTopic)) await new Promise((r) => setTimeout(r, 200));
    expect(await admin.listTopics()).not.toContain(temp.replyTopic);
    await admin.disconnect();
  });

  it('measures the hash round trip over Kafka against the local pool', async () => {
    const local = new LocalHashingAdapter({ poolSize: 2 });
    try {
      await local.hash('warm-up');
      await adapter.hash('warm-up');
      const times = { kafka: [] as number[], local: [] as number[] };
      for (let i = 0; i < 10; i++) {
        let t = performance.now();
        await local.hash(`p-${i}`);
        times.local.push(performance.now() - t);
        t = performance.now();
        await adapter.hash(`p-${i}`);
        times.kafka.push(performance.now() - t);
      }
      latency.local = Math.round(median(times.local));
      latency.kafka = Math.round(median(times.kafka));
      latency.overhead = latency.kafka - latency.local;
      expect(latency.kafka).toBeLessThan(latency.local + 1_000);
    } finally {
      await local.close();
    }
  });
});
