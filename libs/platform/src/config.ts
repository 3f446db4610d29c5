import { resolve } from 'node:path';
import { parseBrokers } from '@lib/kafka';
import { DEFAULT_GRAPHQL_LIMITS, type GraphqlLimits } from '@lib/graphql';
import { DEFAULT_REQUEST_TOPIC, type HasherConfig, HashingKeyError, parseSharedKey } from '@lib/passwords';

/**
 * Every setting of every app, read from the environment in one place. ENV_VARS is also the
 * schema the docker-compose test checks the compose file against.
 */
export const ENV_VARS = {
  PORT: 'HTTP port of the gateway (0 = any free port)',
  HOST: 'Interface the gateway listens on',
  DATA_DIR: 'Folder of the embedded SQLite files (events, read models) and the embedded event sink',
  BOOTSTRAP_PROJECT_ID: 'Project created at start if missing',
  BOOTSTRAP_API_KEY: 'Secret of an all-scopes API key created at start if missing',
  LOG_LEVEL: 'pino level',
  APPWRITE_VERSION: 'Version reported in error bodies',
  EVENT_STORE: 'sqlite | eventstoredb',
  EVENTSTORE_CONNECTION_STRING: 'EventStoreDB connection string (EVENT_STORE=eventstoredb)',
  READ_MODEL: 'sqlite | mongodb',
  MONGODB_URL: 'MongoDB URL (READ_MODEL=mongodb)',
  MONGODB_DATABASE: 'MongoDB database of the read models',
  HASHER: 'local | kafka',
  HASHING_POOL_SIZE: 'Worker threads of the local hashing pool',
  HASHING_QUEUE_LIMIT: 'Hash jobs that may wait before requests get 503',
  HASHING_MAX_WAIT_MS: 'A hash job expected to wait longer (behind the queue, at the pool\'s drain rate) is refused with 503 and Retry-After',
  HASHER_SHARED_KEY: 'AES-256 key (base64 or hex) shared by gateway and hasher (HASHER=kafka)',
  HASHING_REQUEST_TOPIC: 'Kafka topic of hashing jobs (gateway → hasher)',
  HASHER_GROUP_ID: 'Consumer group the hashers share',
  HASHING_ATTEMPTS: 'Sends of one hashing job before the gateway answers 503',
  HASHING_ATTEMPT_TIMEOUT_MS: 'How long the gateway waits for a hasher reply per attempt',
  HASHER_CONCURRENCY: 'Jobs one hasher runs at once',
  HASHING_TASK_TIMEOUT_MS: 'A hashing task running longer is killed',
  EVENTS_FILE: 'File of the embedded event sink (PUBLISHER=jsonl)',
  KAFKA_BROKERS: 'Comma-separated Kafka bootstrap servers',
  EVENTS_TOPIC: 'Kafka topic of the downstream user events',
  PROJECTIONS: 'inline (the gateway projects) | external (apps/projector does)',
  PUBLISHER: 'none | jsonl | kafka: where the downstream events go',
  JWT_SECRET: 'Secret that signs user JWTs (HS256); unset: generated once and kept in DATA_DIR/jwt-secret',
  DATA_ENCRYPTION_KEY: 'Master key (32 bytes, base64 or hex) wrapping every user\'s data key; unset: generated once into DATA_DIR/data-encryption-key. Lost: every personal field is unreadable',
  TRUSTED_PROXIES: 'Comma-separated addresses/CIDRs whose X-Forwarded-For is believed (default: loopback and private ranges)',
  GRAPHQL_MAX_BATCH_SIZE: 'GraphQL operations per request',
  GRAPHQL_MAX_DEPTH: 'GraphQL nesting of fields with sub-selections (root fields: 0)',
  GRAPHQL_MAX_COMPLEXITY: 'GraphQL cost of a document (a field: 1 + its children; a list route: its children × its limit)',
  GRAPHQL_MAX_TOKENS: 'GraphQL tokens parsed before a document is refused',
  GRAPHQL_INTROSPECTION: 'on | off: whether GraphQL answers __schema and __type',
  IDEMPOTENCY_LEASE_MS: 'How long a request with an Idempotency-Key holds its key; a retry takes over a crashed one only after it',
  METRICS: 'on | off: whether each app serves GET /metrics (Prometheus text format)',
  METRICS_PORT: 'Serve /metrics on this port instead of the app\'s HTTP port (the hasher, which has no other: instead of PORT)',
  UNSEALED_LOG_CHECK: 'on | off: whether the gateway and the projector refuse to start on an event log written before personal-data sealing (see `npm run migrate-log`)',
  // `npm run migrate-log` reads the log it copies from with these (the target is the settings above).
  SOURCE_EVENT_STORE: 'migrate-log: the old log\'s store, sqlite | eventstoredb',
  SOURCE_DATA_DIR: 'migrate-log: the old DATA_DIR (SOURCE_EVENT_STORE=sqlite; its events.sqlite, and its data-keys.sqlite and data-encryption-key if an upgraded version wrote into it)',
  SOURCE_EVENTSTORE_CONNECTION_STRING: 'migrate-log: the old EventStoreDB (SOURCE_EVENT_STORE=eventstoredb)',
  SOURCE_DATA_ENCRYPTION_KEY: 'migrate-log: the old master key, only for a log that holds sealed events (else SOURCE_DATA_DIR/data-encryption-key)',
  SOURCE_READ_MODEL: 'migrate-log: sqlite | mongodb, where the old data keys are (only for a log that holds sealed events)',
  SOURCE_MONGODB_URL: 'migrate-log: the old data keys\' MongoDB (SOURCE_READ_MODEL=mongodb)',
  SOURCE_MONGODB_DATABASE: 'migrate-log: the old data keys\' database (SOURCE_READ_MODEL=mongodb)',
} as const;
export type EnvVar = keyof typeof ENV_VARS;

export interface ServiceConfig {
  port: number;
  host: string;
  dataDir: string;
  bootstrapProjectId: string | null;
  bootstrapApiKey: string | null;
  logLevel: string;
  appwriteVersion: string;
  eventStore: 'sqlite' | 'eventstoredb';
  eventstoreConnectionString: string | null;
  readModel: 'sqlite' | 'mongodb';
  mongodbUrl: string | null;
  mongodbDatabase: string;
  hasher: 'local' | 'kafka';
  hashingPoolSize: number | undefined;
  /** Hash jobs allowed to wait for a worker; beyond it a request gets 503 instead of piling up memory. */
  hashingQueueLimit: number;
  hashingMaxWaitMs: number;
  hasherSharedKey: string | null;
  hashingRequestTopic: string | undefined;
  hashingAttempts: number;
  hashingAttemptTimeoutMs: number;
  /** Consumer group the hashers share; each job goes to one of them. */
  hasherGroupId: string;
  /** Jobs one hasher runs at once; undefined = 2 × its pool size. */
  hasherConcurrency: number | undefined;
  /** A hashing task running longer is killed and answered `timeout`. */
  hashingTaskTimeoutMs: number;
  kafkaBrokers: string[];
  eventsTopic: string;
  eventsFile: string;
  projections: 'inline' | 'external';
  publisher: 'none' | 'jsonl' | 'kafka';
  jwtSecret: string | null;
  /** The master key of the personal data's keys (DATA_ENCRYPTION_KEY); null: generated into DATA_DIR. */
  dataEncryptionKey: Buffer | null;
  /** Refuse to start on a log written before sealing (UNSEALED_LOG_CHECK, default on). */
  unsealedLogCheck: boolean;
  /** Peers whose X-Forwarded-For gives the client's address (proxy-addr syntax: addresses and CIDRs). */
  trustedProxies: string[];
  /** GraphQL's abuse limits and introspection switch. */
  graphql: GraphqlLimits;
  /** Longer than any request runs (hashing waits, Kafka attempts, read-your-writes): a live attempt never loses its key. */
  idempotencyLeaseMs: number;
  metrics: MetricsConfig;
}

/** Whether an app serves GET /metrics, and where. */
export interface MetricsConfig {
  enabled: boolean;
  /** Its own port; null: the app's HTTP port (PORT). */
  port: number | null;
}

/** Loopback and private ranges: where a reverse proxy in front of the service normally sits. */
export const DEFAULT_TRUSTED_PROXIES = ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'];

export class ConfigError extends Error {}

function oneOf<T extends string>(name: EnvVar, value: string | undefined, allowed: readonly T[], fallback: T): T {
  const v = (value ?? fallback) as T;
  if (!allowed.includes(v)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}; got "${value}"`);
  return v;
}

function int(name: EnvVar, value: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer between ${min} and ${max}; got "${value}"`);
  return n;
}

function dataEncryptionKey(raw: string): Buffer {
  try {
    return parseSharedKey(raw, 'DATA_ENCRYPTION_KEY');
  } catch (err) {
    if (err instanceof HashingKeyError) throw new ConfigError(`${err.message} (e.g. \`openssl rand -base64 32\`)`);
    throw err;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const config: ServiceConfig = {
    port: int('PORT', env.PORT, 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(env.DATA_DIR || './data'),
    bootstrapProjectId: env.BOOTSTRAP_PROJECT_ID || null,
    bootstrapApiKey: env.BOOTSTRAP_API_KEY || null,
    logLevel: env.LOG_LEVEL || 'info',
    appwriteVersion: env.APPWRITE_VERSION || '1.3.8',
    eventStore: oneOf('EVENT_STORE', env.EVENT_STORE, ['sqlite', 'eventstoredb'] as const, 'sqlite'),
    eventstoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || null,
    readModel: oneOf('READ_MODEL', env.READ_MODEL, ['sqlite', 'mongodb'] as const, 'sqlite'),
    mongodbUrl: env.MONGODB_URL || null,
    mongodbDatabase: env.MONGODB_DATABASE || 'users',
    hasher: oneOf('HASHER', env.HASHER, ['local', 'kafka'] as const, 'local'),
    hashingPoolSize: env.HASHING_POOL_SIZE ? int('HASHING_POOL_SIZE', env.HASHING_POOL_SIZE, 1, 1, 256) : undefined,
    hashingQueueLimit: int('HASHING_QUEUE_LIMIT', env.HASHING_QUEUE_LIMIT, 1000),
    hashingMaxWaitMs: int('HASHING_MAX_WAIT_MS', env.HASHING_MAX_WAIT_MS, 5000, 1),
    hasherSharedKey: env.HASHER_SHARED_KEY || null,
    hashingRequestTopic: env.HASHING_REQUEST_TOPIC || undefined,
    hashingAttempts: int('HASHING_ATTEMPTS', env.HASHING_ATTEMPTS, 2, 1, 10),
    hashingAttemptTimeoutMs: int('HASHING_ATTEMPT_TIMEOUT_MS', env.HASHING_ATTEMPT_TIMEOUT_MS, 15_000, 100),
    hasherGroupId: env.HASHER_GROUP_ID || 'users-hasher',
    hasherConcurrency: env.HASHER_CONCURRENCY ? int('HASHER_CONCURRENCY', env.HASHER_CONCURRENCY, 1, 1, 1024) : undefined,
    hashingTaskTimeoutMs: int('HASHING_TASK_TIMEOUT_MS', env.HASHING_TASK_TIMEOUT_MS, 30_000, 1),
    kafkaBrokers: (env.KAFKA_BROKERS || '').split(',').map((b) => b.trim()).filter(Boolean),
    eventsTopic: env.EVENTS_TOPIC || 'users.events',
    eventsFile: resolve(env.EVENTS_FILE || resolve(env.DATA_DIR || './data', 'integration-events.jsonl')),
    projections: oneOf('PROJECTIONS', env.PROJECTIONS, ['inline', 'external'] as const, 'inline'),
    publisher: oneOf('PUBLISHER', env.PUBLISHER, ['none', 'jsonl', 'kafka'] as const, env.KAFKA_BROKERS ? 'kafka' : 'jsonl'),
    jwtSecret: env.JWT_SECRET || null,
    dataEncryptionKey: env.DATA_ENCRYPTION_KEY ? dataEncryptionKey(env.DATA_ENCRYPTION_KEY) : null,
    unsealedLogCheck: oneOf('UNSEALED_LOG_CHECK', env.UNSEALED_LOG_CHECK, ['on', 'off'] as const, 'on') === 'on',
    trustedProxies: env.TRUSTED_PROXIES === undefined ? DEFAULT_TRUSTED_PROXIES : env.TRUSTED_PROXIES.split(',').map((p) => p.trim()).filter(Boolean),
    graphql: {
      maxBatch: int('GRAPHQL_MAX_BATCH_SIZE', env.GRAPHQL_MAX_BATCH_SIZE, DEFAULT_GRAPHQL_LIMITS.maxBatch, 1, 1000),
      maxDepth: int('GRAPHQL_MAX_DEPTH', env.GRAPHQL_MAX_DEPTH, DEFAULT_GRAPHQL_LIMITS.maxDepth, 0, 100),
      maxComplexity: int('GRAPHQL_MAX_COMPLEXITY', env.GRAPHQL_MAX_COMPLEXITY, DEFAULT_GRAPHQL_LIMITS.maxComplexity, 1),
      maxTokens: int('GRAPHQL_MAX_TOKENS', env.GRAPHQL_MAX_TOKENS, DEFAULT_GRAPHQL_LIMITS.maxTokens, 10),
      introspection: oneOf('GRAPHQL_INTROSPECTION', env.GRAPHQL_INTROSPECTION, ['on', 'off'] as const, DEFAULT_GRAPHQL_LIMITS.introspection ? 'on' : 'off') === 'on',
    },
    idempotencyLeaseMs: int('IDEMPOTENCY_LEASE_MS', env.IDEMPOTENCY_LEASE_MS, 60_000, 100),
    metrics: {
      enabled: oneOf('METRICS', env.METRICS, ['on', 'off'] as const, 'on') === 'on',
      port: env.METRICS_PORT ? int('METRICS_PORT', env.METRICS_PORT, 0, 1, 65535) : null,
    },
  };
  const need = (ok: unknown, message: string) => {
    if (!ok) throw new ConfigError(message);
  };
  need(config.eventStore !== 'eventstoredb' || config.eventstoreConnectionString, 'EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING');
  need(config.readModel !== 'mongodb' || config.mongodbUrl, 'READ_MODEL=mongodb needs MONGODB_URL');
  need(config.hasher !== 'kafka' || config.kafkaBrokers.length, 'HASHER=kafka needs KAFKA_BROKERS');
  need(config.hasher !== 'kafka' || config.hasherSharedKey, 'HASHER=kafka needs HASHER_SHARED_KEY');
  need(config.publisher !== 'kafka' || config.kafkaBrokers.length, 'PUBLISHER=kafka needs KAFKA_BROKERS');
  need(config.jwtSecret === null || Buffer.byteLength(config.jwtSecret) >= 32, 'JWT_SECRET must be at least 32 bytes');
  need(config.metrics.port !== config.port, 'METRICS_PORT must differ from PORT (unset it to serve /metrics on PORT)');
  return config;
}

/** What apps/hasher runs with: the hasher's own settings, and where it serves /metrics (its only HTTP). */
export interface HasherAppConfig extends HasherConfig {
  metrics: { enabled: boolean; port: number; host: string; appwriteVersion: string };
}

/**
 * The hasher's settings, from the same configuration as every app. Throws a clear error for a
 * missing or short HASHER_SHARED_KEY or missing KAFKA_BROKERS (the process then exits 1).
 */
export function loadHasherConfig(env: NodeJS.ProcessEnv = process.env): HasherAppConfig {
  const config = loadConfig(env);
  return {
    brokers: parseBrokers(env.KAFKA_BROKERS),
    sharedKey: parseSharedKey(env.HASHER_SHARED_KEY),
    poolSize: config.hashingPoolSize,
    logLevel: config.logLevel,
    requestTopic: config.hashingRequestTopic ?? DEFAULT_REQUEST_TOPIC,
    groupId: config.hasherGroupId,
    concurrency: config.hasherConcurrency,
    taskTimeoutMs: config.hashingTaskTimeoutMs,
    metrics: { enabled: config.metrics.enabled, port: config.metrics.port ?? config.port, host: config.host, appwriteVersion: config.appwriteVersion },
  };
}
