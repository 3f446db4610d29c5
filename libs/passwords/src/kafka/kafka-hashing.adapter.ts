import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Admin, Consumer, KafkaConfig, Producer } from 'kafkajs';
import { HashingPort, type PasswordHash } from '../hashing.port';
import { HashingBusyError, HashingError, HashingTimeoutError, type HashingWaitObserver } from '../local-hashing.adapter';
import {
  DEFAULT_JOB_RETENTION_MS,
  DEFAULT_REPLY_TOPIC_PREFIX,
  DEFAULT_REQUEST_TOPIC,
  type HashingJob,
  type HashingReply,
  keyFingerprint,
  openReply,
  parseSharedKey,
  readEnvelope,
  sealJob,
} from './hashing-jobs';
import {
  ensureJobTopics,
  errorSummary,
  kafkajs,
  type KafkaLogger,
  kafkaLogCreator,
  parseBrokers,
  silentKafkaLogger,
  withTimeout,
} from '@lib/kafka';
import type { KafkaHashingOptions } from './kafka-hashing.options';

/**
 * No hasher answered in time, or Kafka is unreachable. A HashingBusyError, so the gateway's error
 * filter already answers it with 503 `general_service_unavailable` (the caller may retry).
 */
export class HashingUnavailableError extends HashingBusyError {}

interface Clients {
  admin: Admin;
  producer: Producer;
  consumer: Consumer;
}

interface Pending {
  resolve(reply: HashingReply): void;
  reject(err: Error): void;
}

const TOPIC_UNSAFE = /[^a-zA-Z0-9._-]/g;

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

/**
 * The hashing port over Kafka: the CPU-heavy Argon2/Scrypt work runs on hasher processes
 * (apps/hasher) that share the request topic in one consumer group.
 *
 * Replies come back on a reply topic of this instance (`users.hashing.replies.<instanceId>`, one
 * partition) rather than a shared one: each gateway then reads (and decrypts) only its own
 * replies, needs no filtering, and starts reading its fresh topic from the beginning, so a reply
 * can never slip in before its consumer was assigned. The topic and group are deleted on close();
 * a crashed instance leaves an empty topic behind (60 s retention), harmless and removable.
 *
 * Every job and reply is AES-256-GCM encrypted with the shared key and bound to its job id.
 * A job is sent up to `attempts` times (same id and bytes, a different partition key so a retry
 * likely reaches another hasher); whichever reply arrives first wins, later ones are ignored.
 * When none does, or Kafka is unreachable, the call rejects with HashingUnavailableError after at
 * most attempts × attemptTimeoutMs. Clients connect lazily (or at start()) and reconnect after a failure.
 */
export class KafkaHashingAdapter extends HashingPort {
  readonly instanceId: string;
  readonly requestTopic: string;
  readonly replyTopic: string;
  readonly attempts: number;
  readonly attemptTimeoutMs: number;
  private readonly key: Buffer;
  private readonly brokers: string[];
  private readonly groupId: string;
  private readonly partitions: number;
  private readonly retentionMs: number;
  private readonly maxPending: number;
  private readonly closeTimeoutMs: number;
  private readonly deleteOnClose: boolean;
  private readonly clientId: string;
  private readonly logger: KafkaLogger;
  private readonly kafkaConfig: Partial<KafkaConfig>;
  private readonly onWaited: HashingWaitObserver | undefined;
  private readonly pending = new Map<string, Pending>();
  private starting: Promise<Clients> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: KafkaHashingOptions) {
    super();
    this.key = parseSharedKey(options.sharedKey);
    if (!Array.isArray(options.brokers) || options.brokers.length === 0) throw new Error('KafkaHashingAdapter needs brokers');
    this.brokers = options.brokers;
    const instance = options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.instanceId = instance.replace(TOPIC_UNSAFE, '_').slice(0, 180);
    this.requestTopic = options.requestTopic ?? DEFAULT_REQUEST_TOPIC;
    this.replyTopic = `${options.replyTopicPrefix ?? DEFAULT_REPLY_TOPIC_PREFIX}${this.instanceId}`;
    this.groupId = `users-hashing-replies-${this.instanceId}`;
    this.partitions = positive(options.requestTopicPartitions, 12, 'requestTopicPartitions');
    this.retentionMs = positive(options.retentionMs, DEFAULT_JOB_RETENTION_MS, 'retentionMs');
    this.attempts = positive(options.attempts, 2, 'attempts');
    this.attemptTimeoutMs = positive(options.attemptTimeoutMs, 15_000, 'attemptTimeoutMs');
    this.maxPending = positive(options.maxPending, 1000, 'maxPending');
    this.closeTimeoutMs = options.closeTimeoutMs === 0 ? 0 : positive(options.closeTimeoutMs, 5_000, 'closeTimeoutMs');
    this.deleteOnClose = options.deleteReplyTopicOnClose ?? true;
    this.clientId = options.clientId ?? 'users-gateway-hashing';
    this.logger = options.logger ?? silentKafkaLogger;
    this.kafkaConfig = options.kafkaConfig ?? {};
    this.onWaited = options.onWaited;
  }

  /** Jobs sent to the hashers and not answered yet. */
  get queueDepth(): number {
    return this.pending.size;
  }

  /** Fingerprint of the shared key (compare with the hasher's startup log). */
  get keyId(): string {
    return keyFingerprint(this.key);
  }

  /** Connects, creates the job topics and joins the reply group. Optional: calls start lazily. */
  async start(): Promise<void> {
    await this.clients();
  }

  async hash(plain: string): Promise<PasswordHash> {
    if (typeof plain !== 'string') throw new TypeError('password must be a string');
    const reply = await this.call({ op: 'hash', password: plain });
    if (reply.ok && reply.op === 'hash') return reply.result;
    throw new HashingError('Password hash got a mismatched reply');
  }

  async verify(
    plain: string,
    stored: { password: string | null; hash: string; hashOptions: Record<string, unknown> },
  ): Promise<boolean> {
    // Same early answers as the local pool: no round trip for what cannot match.
    if (typeof plain !== 'string' || stored === null || typeof stored !== 'object') return false;
    if (typeof stored.password !== 'string') return false;
    const reply = await this.call({
      op: 'verify',
      password: plain,
      stored: { password: stored.password, hash: stored.hash, hashOptions: stored.hashOptions ?? {} },
    });
    if (reply.ok && reply.op === 'verify') return reply.result === true;
    throw new HashingError('Password verify got a mismatched reply');
  }

  /** Lets waiting calls finish (up to closeTimeoutMs), then disconnects and drops the reply topic. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** NestJS lifecycle hook (duck-typed). */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  private async call(job: HashJobBody): Promise<Extract<HashingReply, { ok: true }>> {
    if (this.closing) throw new HashingError('Hashing client is closed');
    if (this.pending.size >= this.maxPending) throw new HashingBusyError('Password hashing queue is full');
    const id = randomUUID();
    const started = Date.now();
    const deadline = started + this.attempts * this.attemptTimeoutMs;
    const replied = new Promise<HashingReply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    // A rejection from close() must not surface as unhandled while nobody awaits `replied`.
    replied.catch(() => undefined);
    try {
      let clients: Clients;
      try {
        clients = await withTimeout(this.clients(), deadline - started, () => new HashingError('Kafka connect timed out'));
      } catch (err) {
        this.logger.error({ jobId: id, err: errorSummary(err) }, 'hashing: Kafka unavailable');
        throw new HashingUnavailableError('Password hashing service unavailable (Kafka unreachable)', { cause: err });
      }
      const value = sealJob(this.key, id, { ...job, replyTo: this.replyTopic, expiresAt: deadline } as HashingJob);
      for (let attempt = 1; attempt <= this.attempts; attempt++) {
        const window = Math.min(this.attemptTimeoutMs, deadline - Date.now());
        if (window <= 0) break;
        // A retry goes out under another key, so most likely to another partition: if the hasher
        // owning the first one died, its partitions stay unassigned until its session times out.
        const partitionKey = attempt === 1 ? id : `${id}/${attempt}`;
        clients.producer
          .send({ topic: this.requestTopic, acks: 1, messages: [{ key: partitionKey, value }] })
          .catch((err: unknown) => this.logger.warn({ jobId: id, attempt, err: errorSummary(err) }, 'hashing: job send failed'));
        const outcome = await withTimeout(replied, window, () => new AttemptTimeout()).catch((err: unknown) => {
          if (err instanceof AttemptTimeout) return null;
          throw err;
        });
        if (outcome) return this.unwrap(outcome);
        this.logger.warn({ jobId: id, attempt, attempts: this.attempts, waitedMs: window }, 'hashing: no reply from a hasher');
      }
      throw new HashingUnavailableError(`Password hashing service unavailable (no hasher replied within ${Date.now() - started} ms)`);
    } finally {
      this.pending.delete(id);
      this.onWaited?.(job.op, (Date.now() - started) / 1000);
    }
  }

  private unwrap(reply: HashingReply): Extract<HashingReply, { ok: true }> {
    if (reply.ok) return reply;
    switch (reply.error) {
      case 'busy':
        throw new HashingBusyError('Password hashing queue is full (hasher)');
      case 'timeout':
        throw new HashingTimeoutError('Password hashing exceeded the hasher time limit');
      default:
        throw new HashingError(`Password hashing failed in the hasher (${reply.error})`);
    }
  }

  private onReply(value: Buffer | null): void {
    let envelope;
    try {
      envelope = readEnvelope(value);
    } catch (err) {
      this.logger.warn({ err: errorSummary(err) }, 'hashing: ignoring a malformed reply');
      return;
    }
    const waiting = this.pending.get(envelope.id);
    if (!waiting) return; // a late or duplicate reply (the job was retried, or its caller gave up)
    try {
      const { reply } = openReply(this.key, envelope);
      this.pending.delete(envelope.id);
      waiting.resolve(reply);
    } catch (err) {
      // Not rejected: a forged or damaged reply must not beat the genuine one.
      this.logger.error({ jobId: envelope.id, kid: envelope.kid, err: errorSummary(err) }, 'hashing: reply failed authentication');
    }
  }

  private clients(): Promise<Clients> {
    if (this.closing) return Promise.reject(new HashingError('Hashing client is closed'));
    this.starting ??= this.connect().catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  private async connect(): Promise<Clients> {
    const kafka = new (kafkajs().Kafka)({
      clientId: this.clientId,
      brokers: this.brokers,
      connectionTimeout: 3_000,
      // Bounded: an unreachable cluster must turn into a 503, not an endless reconnect loop.
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
      logLevel: kafkajs().logLevel.WARN,
      logCreator: kafkaLogCreator(this.logger, 'hashing-client'),
      ...this.kafkaConfig,
    });
    const admin = kafka.admin();
    const producer = kafka.producer({
      createPartitioner: kafkajs().Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    const consumer = kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
    const clients: Clients = { admin, producer, consumer };
    const startTimeoutMs = this.attempts * this.attemptTimeoutMs;
    let abandoned = false;
    const steps = async () => {
      await admin.connect();
      await ensureJobTopics(
        admin,
        [
          { topic: this.requestTopic, numPartitions: this.partitions },
          { topic: this.replyTopic, numPartitions: 1 },
        ],
        this.retentionMs,
        this.logger,
      );
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topic: this.replyTopic, fromBeginning: true });
      const joined = new Promise<void>((resolve) => {
        const off = consumer.on(consumer.events.GROUP_JOIN, () => {
          off();
          resolve();
        });
      });
      consumer.on(consumer.events.CRASH, (event) => {
        const restart = (event.payload as { restart?: boolean }).restart === true;
        this.logger.error({ err: errorSummary(event.payload.error), restart }, 'hashing: reply consumer crashed');
        if (!restart && this.starting) {
          // Reconnect from scratch on the next call; waiting calls time out into 503s meanwhile.
          this.starting = undefined;
          void disconnectAll(clients, this.logger);
        }
      });
      await consumer.run({ eachMessage: async ({ message }) => this.onReply(message.value) });
      await joined;
      if (abandoned) throw new HashingError('connect abandoned');
      this.logger.info(
        { requestTopic: this.requestTopic, replyTopic: this.replyTopic, keyId: this.keyId },
        'hashing: connected to Kafka',
      );
      return clients;
    };
    const running = steps();
    try {
      return await withTimeout(running, startTimeoutMs, () => new HashingError(`Kafka connect exceeded ${startTimeoutMs} ms`));
    } catch (err) {
      abandoned = true;
      await disconnectAll(clients, this.logger);
      // Steps still under way when the timer fired may connect something later: disconnect it too.
      void running.then(
        () => disconnectAll(clients, this.logger),
        () => disconnectAll(clients, this.logger),
      );
      throw err;
    }
  }

  private async shutdown(): Promise<void> {
    if (this.pending.size > 0 && this.closeTimeoutMs > 0) {
      const deadline = Date.now() + this.closeTimeoutMs;
      while (this.pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    }
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.reject(new HashingUnavailableError('Hashing client closed'));
    }
    const clients = await this.starting?.catch(() => undefined);
    this.starting = undefined;
    if (!clients) return;
    await clients.consumer.disconnect().catch(() => undefined);
    await clients.producer.disconnect().catch(() => undefined);
    if (this.deleteOnClose) {
      try {
        await withTimeout(
          (async () => {
            await clients.admin.deleteGroups([this.groupId]).catch(() => undefined);
            await clients.admin.deleteTopics({ topics: [this.replyTopic], timeout: 3_000 });
          })(),
          5_000,
          () => new HashingError('deleting the reply topic timed out'),
        );
      } catch (err) {
        this.logger.warn({ topic: this.replyTopic, err: errorSummary(err) }, 'hashing: could not delete the reply topic');
      }
    }
    await clients.admin.disconnect().catch(() => undefined);
  }
}

type HashJobBody =
  | { op: 'hash'; password: string }
  | { op: 'verify'; password: string; stored: { password: string; hash: string; hashOptions: Record<string, unknown> } };

class AttemptTimeout extends Error {}

async function disconnectAll(clients: Clients, logger: KafkaLogger): Promise<void> {
  for (const client of [clients.consumer, clients.producer, clients.admin]) {
    try {
      await withTimeout(client.disconnect(), 5_000, () => new Error('disconnect timed out'));
    } catch (err) {
      logger.debug({ err: errorSummary(err) }, 'hashing: disconnect failed');
    }
  }
}
