import type { HasherConfig } from '@lib/passwords';
import { DEFAULT_REQUEST_TOPIC, parseSharedKey } from '@lib/passwords';
import { parseBrokers } from '@lib/kafka';

function optionalPositiveInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** Throws a clear error for a missing/short HASHER_SHARED_KEY or missing KAFKA_BROKERS (the process exits 1). */
export function loadHasherConfig(env: NodeJS.ProcessEnv = process.env): HasherConfig {
  return {
    brokers: parseBrokers(env.KAFKA_BROKERS),
    sharedKey: parseSharedKey(env.HASHER_SHARED_KEY),
    poolSize: optionalPositiveInt(env, 'HASHING_POOL_SIZE'),
    logLevel: env.LOG_LEVEL || 'info',
    requestTopic: env.HASHING_REQUEST_TOPIC || DEFAULT_REQUEST_TOPIC,
    groupId: env.HASHER_GROUP_ID || 'users-hasher',
    concurrency: optionalPositiveInt(env, 'HASHER_CONCURRENCY'),
    taskTimeoutMs: optionalPositiveInt(env, 'HASHING_TASK_TIMEOUT_MS') ?? 30_000,
  };
}
