import { availableParallelism } from 'node:os';
import type pino from 'pino';
import { type HashingWaitObserver, LocalHashingAdapter } from '../local-hashing.adapter';
import { HasherService } from './hasher.service';

/** Every setting a hasher process runs with (apps/hasher reads them from the environment). */
export interface HasherConfig {
  brokers: string[];
  sharedKey: Buffer;
  /** Worker threads; undefined = CPU count. */
  poolSize: number | undefined;
  logLevel: string;
  requestTopic: string;
  /** Consumer group the hashers share; each job goes to one of them. */
  groupId: string;
  /** Jobs run at once (default 2 × pool size, so the pool never idles while a reply is sent). */
  concurrency: number | undefined;
  /** A task running longer is killed and answered `timeout`. */
  taskTimeoutMs: number;
}

export interface RunningHasher {
  service: HasherService;
  hashing: LocalHashingAdapter;
  /** Stops consuming, lets taken jobs finish and reply, then stops the worker threads. Idempotent. */
  stop(): Promise<void>;
}

/** Wires the worker pool and the Kafka consumer; used by main.ts and by tests in-process. */
export async function startHasher(
  config: HasherConfig,
  logger: pino.Logger,
  options: { onFatal?: (err: unknown) => void; workerFilename?: string; onWaited?: HashingWaitObserver } = {},
): Promise<RunningHasher> {
  const poolSize = config.poolSize ?? Math.max(1, availableParallelism());
  const concurrency = config.concurrency ?? poolSize * 2;
  const hashing = new LocalHashingAdapter({
    poolSize,
    // Never more waiting than the consumer hands over: 'busy' would only come from a bug.
    maxQueue: concurrency,
    taskTimeoutMs: config.taskTimeoutMs,
    workerFilename: options.workerFilename,
    onWaited: options.onWaited,
    onError: (err) => logger.error({ err: { name: err.name, message: err.message } }, 'hashing pool error'),
  });
  const service = new HasherService({
    brokers: config.brokers,
    sharedKey: config.sharedKey,
    hashing,
    logger,
    requestTopic: config.requestTopic,
    groupId: config.groupId,
    concurrency,
    onFatal: options.onFatal,
  });
  try {
    await service.start();
  } catch (err) {
    await service.stop().catch(() => undefined);
    await hashing.close();
    throw err;
  }
  logger.info({ poolSize, concurrency, brokers: config.brokers }, 'hasher started');
  let stopping: Promise<void> | undefined;
  return {
    service,
    hashing,
    stop: () =>
      (stopping ??= (async () => {
        await service.stop();
        await hashing.close();
      })()),
  };
}
