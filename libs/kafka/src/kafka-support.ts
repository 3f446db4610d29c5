import type { Admin, ITopicConfig, LogEntry, logCreator } from 'kafkajs';

/**
 * The KafkaJS module, loaded when a Kafka adapter is first made: the embedded stack, which has
 * none, never pays its start-up time or memory.
 */
export const kafkajs = (): typeof import('kafkajs') => require('kafkajs');

/** The few logger methods the Kafka adapters use; a pino logger fits. */
export interface KafkaLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export const silentKafkaLogger: KafkaLogger = { error() {}, warn() {}, info() {}, debug() {} };

/** KafkaJS's own log lines into our structured logger (its default writes JSON to the console). */
export function kafkaLogCreator(logger: KafkaLogger, component: string): logCreator {
  const KafkaLogLevel = kafkajs().logLevel;
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _ts, ...extra } = log;
      // Deliberate: an idempotent producer with bounded retries, so a stuck send fails (the publisher
      // then restarts from its checkpoint with a fresh producer; a hashing call retries or answers 503).
      if (message === 'Limiting retries for the idempotent producer may invalidate EoS guarantees') return;
      const obj = { component, kafka: namespace, ...extra };
      if (level === KafkaLogLevel.ERROR) logger.error(obj, message);
      else if (level === KafkaLogLevel.WARN) logger.warn(obj, message);
      else if (level === KafkaLogLevel.INFO) logger.info(obj, message);
      else logger.debug(obj, message);
    };
}

export function parseBrokers(raw: string | undefined, name = 'KAFKA_BROKERS'): string[] {
  const brokers = (raw ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers.length === 0) throw new Error(`${name} is not set: give a comma-separated list of host:port`);
  return brokers;
}

export interface JobTopicSpec {
  topic: string;
  numPartitions: number;
}

/**
 * Creates the missing topics with short retention. `segment.ms` equals the retention because
 * Kafka only deletes closed segments: with the default (7 days) nothing would ever expire.
 * Existing topics are left as they are; a longer retention than asked is reported.
 */
export async function ensureJobTopics(
  admin: Admin,
  specs: JobTopicSpec[],
  retentionMs: number,
  logger: KafkaLogger,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    const topics: ITopicConfig[] = missing.map((s) => ({
      topic: s.topic,
      numPartitions: s.numPartitions,
      configEntries: [
        { name: 'cleanup.policy', value: 'delete' },
        { name: 'retention.ms', value: String(retentionMs) },
        { name: 'segment.ms', value: String(retentionMs) },
      ],
    }));
    await admin.createTopics({ topics, waitForLeaders: true });
    logger.info({ topics: missing.map((s) => s.topic), retentionMs }, 'created hashing job topics');
  }
  const present = specs.filter((s) => existing.has(s.topic));
  if (present.length === 0) return;
  try {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((s) => ({ type: kafkajs().ConfigResourceTypes.TOPIC, name: s.topic, configNames: ['retention.ms'] })),
    });
    for (const resource of described.resources) {
      const retention = Number(resource.configEntries.find((c) => c.configName === 'retention.ms')?.configValue);
      if (Number.isFinite(retention) && (retention < 0 || retention > retentionMs)) {
        logger.warn(
          { topic: resource.resourceName, retentionMs: retention, wantedMs: retentionMs },
          'hashing job topic keeps messages longer than configured; lower its retention.ms',
        );
      }
    }
  } catch (err) {
    logger.debug({ err: errorSummary(err) }, 'could not describe hashing topic configs');
  }
}

/** An error reduced to name and message (KafkaJS errors carry broker internals, never payloads). */
export function errorSummary(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}

/** Races a promise against a timer; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
