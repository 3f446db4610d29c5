import type { Consumer, Kafka, KafkaConfig, Producer } from 'kafkajs';
import type { HashingPort } from '../hashing.port';
import { HashingBusyError, HashingTimeoutError } from '../local-hashing.adapter';
import {
  DEFAULT_JOB_RETENTION_MS,
  DEFAULT_REQUEST_TOPIC,
  HashingDecryptError,
  type HashingEnvelope,
  type HashingJob,
  type HashingReply,
  type HashingReplyError,
  keyFingerprint,
  openJob,
  readEnvelope,
  sealReply,
} from './hashing-jobs';
import { ensureJobTopics, errorSummary, kafkajs, type KafkaLogger, kafkaLogCreator } from '@lib/kafka';
import { Slots } from './slots';

/** Clocks of gateways and hashers differ a little: only drop jobs clearly past their deadline. */
const EXPIRY_SLACK_MS = 5_000;

export interface HasherServiceOptions {
  brokers: string[];
  sharedKey: Buffer;
  /** Where the work runs: the local worker pool (LocalHashingAdapter). Owned by the caller. */
  hashing: HashingPort;
  logger: KafkaLogger;
  requestTopic?: string;
  groupId?: string;
  /** Jobs in progress at once; default 8. */
  concurrency?: number;
  /** Used only when this process creates the request topic. */
  requestTopicPartitions?: number;
  retentionMs?: number;
  clientId?: string;
  kafkaConfig?: Partial<KafkaConfig>;
  /** The consumer died for good (kafkajs gave up): the process should exit and be restarted. */
  onFatal?: (err: unknown) => void;
}

export interface HasherStats {
  done: number;
  failed: number;
  expired: number;
  rejected: number;
}

/**
 * Consumes encrypted hashing jobs from the request topic in a consumer group (several hashers
 * share the partitions), runs each on the hashing pool and produces the encrypted reply to the
 * topic the job names. `eachMessage` only waits for a free slot, so one partition keeps the whole
 * pool busy; an offset is committed once its job has started, so a job in progress when a hasher
 * crashes is lost, and the gateway's retry (same job id) sends it again.
 */
export class HasherService {
  readonly stats: HasherStats = { done: 0, failed: 0, expired: 0, rejected: 0 };
  private readonly requestTopic: string;
  private readonly groupId: string;
  private readonly slots: Slots;
  private readonly kafka: Kafka;
  private readonly keyId: string;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: HasherServiceOptions) {
    this.requestTopic = options.requestTopic ?? DEFAULT_REQUEST_TOPIC;
    this.groupId = options.groupId ?? 'users-hasher';
    this.slots = new Slots(options.concurrency ?? 8);
    this.keyId = keyFingerprint(options.sharedKey);
    this.kafka = new (kafkajs().Kafka)({
      clientId: options.clientId ?? 'users-hasher',
      brokers: options.brokers,
      connectionTimeout: 3_000,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
      logLevel: kafkajs().logLevel.WARN,
      logCreator: kafkaLogCreator(options.logger, 'kafkajs'),
      ...options.kafkaConfig,
    });
  }

  /** Creates the request topic if missing, connects, and resolves once the group has assigned partitions. */
  async start(): Promise<void> {
    const { logger } = this.options;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureJobTopics(
        admin,
        [{ topic: this.requestTopic, numPartitions: this.options.requestTopicPartitions ?? 12 }],
        this.options.retentionMs ?? DEFAULT_JOB_RETENTION_MS,
        logger,
      );
    } finally {
      await admin.disconnect();
    }
    this.producer = this.kafka.producer({
      createPartitioner: kafkajs().Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      // A reply topic may be gone (its gateway stopped): give up quickly instead of retrying for long.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    await this.producer.connect();
    const consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 1_000 });
    this.consumer = consumer;
    await consumer.connect();
    // A new group starts at the beginning: jobs sent before the first hasher joined are still
    // served; stale ones are dropped unprocessed by their deadline.
    await consumer.subscribe({ topic: this.requestTopic, fromBeginning: true });
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, (event) => {
        off();
        logger.info({ groupId: this.groupId, assignment: event.payload.memberAssignment }, 'hasher joined the group');
        resolve();
      });
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const restart = (event.payload as { restart?: boolean }).restart === true;
      logger.error({ err: errorSummary(event.payload.error), restart }, 'job consumer crashed');
      if (!restart && !this.stopping) this.options.onFatal?.(event.payload.error);
    });
    await consumer.run({
      eachMessage: async ({ message }) => {
        await this.slots.acquire();
        const job = this.handle(message.value).finally(() => {
          this.slots.release();
          this.inFlight.delete(job);
        });
        this.inFlight.add(job);
      },
    });
    await joined;
    logger.info({ requestTopic: this.requestTopic, groupId: this.groupId, keyId: this.keyId }, 'hasher ready');
  }

  /** Stops taking jobs, finishes the ones already taken (replies included), disconnects. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.consumer?.disconnect().catch((err: unknown) => this.options.logger.warn({ err: errorSummary(err) }, 'consumer disconnect failed'));
      await Promise.allSettled([...this.inFlight]);
      await this.producer?.disconnect().catch(() => undefined);
      this.options.logger.info({ ...this.stats }, 'hasher stopped');
    })();
    return this.stopping;
  }

  private async handle(value: Buffer | null): Promise<void> {
    const { logger, sharedKey, hashing } = this.options;
    const started = Date.now();
    let envelope: HashingEnvelope;
    let id: string;
    let job: HashingJob;
    try {
      envelope = readEnvelope(value);
      ({ id, job } = openJob(sharedKey, envelope));
    } catch (err) {
      this.stats.rejected += 1;
      if (err instanceof HashingDecryptError) {
        logger.error({ err: errorSummary(err), ourKeyId: this.keyId }, 'job failed authentication (different HASHER_SHARED_KEY or tampered)');
      } else {
        logger.warn({ err: errorSummary(err) }, 'ignoring a malformed job');
      }
      return;
    }
    if (started > job.expiresAt + EXPIRY_SLACK_MS) {
      this.stats.expired += 1;
      logger.debug({ jobId: id, op: job.op, lateMs: started - job.expiresAt }, 'job expired before it started; dropped');
      return;
    }
    let reply: HashingReply;
    try {
      reply =
        job.op === 'hash'
          ? { ok: true, op: 'hash', result: await hashing.hash(job.password) }
          : { ok: true, op: 'verify', result: await hashing.verify(job.password, job.stored) };
      this.stats.done += 1;
    } catch (err) {
      this.stats.failed += 1;
      reply = { ok: false, error: classify(err) };
      logger.warn({ jobId: id, op: job.op, err: errorSummary(err) }, 'job failed');
    }
    try {
      await this.producer!.send({ topic: job.replyTo, acks: 1, messages: [{ key: id, value: sealReply(sharedKey, id, reply) }] });
      logger.debug({ jobId: id, op: job.op, ok: reply.ok, ms: Date.now() - started }, 'job done');
    } catch (err) {
      logger.warn({ jobId: id, op: job.op, replyTo: job.replyTo, err: errorSummary(err) }, 'could not send the reply');
    }
  }
}

function classify(err: unknown): HashingReplyError {
  if (err instanceof HashingBusyError) return 'busy';
  if (err instanceof HashingTimeoutError) return 'timeout';
  return 'failed';
}
