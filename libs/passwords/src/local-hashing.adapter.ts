import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import Piscina from 'piscina';
import { DEFAULT_HASH_ALGORITHM, defaultHashOptions } from './default-hash';
import { HashingPort, type PasswordHash } from './hashing.port';
import { type HashTask, type TaskOutcome, type VerifyTask, wallClockMs } from './hashing.worker';

const WORKER_BASENAME = 'hashing.worker';

export interface LocalHashingOptions {
  /** Worker threads; default: available CPUs (min 1). Each argon2 hash holds 64 MiB while it runs. */
  poolSize?: number;
  /** Tasks allowed to wait for a free worker before hash/verify reject with HashingBusyError; default poolSize × 16. */
  maxQueue?: number;
  /**
   * Per-task limit (ms) after which the worker is killed and the call rejects with HashingTimeoutError;
   * default: none. Imported hashes set their own cost (phpass up to 2^30 MD5 rounds, bcrypt cost 31).
   */
  taskTimeoutMs?: number;
  /**
   * A task whose expected wait (tasks ahead of it × the average task time ÷ pool size) exceeds
   * this many ms is refused at once with HashingBusyError, instead of queueing: the queue sheds
   * load while an answer is still useful. Default: none (only maxQueue bounds the queue).
   */
  maxWaitMs?: number;
  /** How long close() lets queued and running tasks finish before killing the threads; default 30 000. */
  closeTimeoutMs?: number;
  /** Override the compiled worker location (mainly for tests). */
  workerFilename?: string;
  /** Told, for every task a worker ran, how long it waited for the worker thread (metrics). */
  onWaited?: HashingWaitObserver;
  /**
   * Pool-level failures not tied to a task (e.g. a worker crashing while idle). Without a listener
   * Piscina's 'error' event would throw and take the process down. Default: process.emitWarning.
   */
  onError?: (error: Error) => void;
}

/** How long a password task waited before its work began (seconds); for metrics. */
export type HashingWaitObserver = (operation: 'hash' | 'verify', seconds: number) => void;

export class HashingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The bounded queue is full, or would make the caller wait too long: shed load (503, Retry-After). */
export class HashingBusyError extends HashingError {
  constructor(
    message: string,
    options?: { cause?: unknown },
    /** When a retry can expect a free worker. */
    readonly retryAfterSeconds = 1,
  ) {
    super(message, options);
  }
}

export class HashingTimeoutError extends HashingError {}

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new HashingError(`No package.json above ${start}: cannot locate the compiled hashing worker`);
    dir = parent;
  }
}

/**
 * Piscina can only start a .js file. From dist the worker sits beside this file; under ts-jest this
 * file is the .ts source, so the worker is taken from the same relative place in the dist tree.
 */
export function resolveWorkerFilename(moduleFilename: string = __filename): string {
  const dir = path.dirname(moduleFilename);
  if (!moduleFilename.endsWith('.ts')) return path.join(dir, `${WORKER_BASENAME}.js`);
  const root = findRepoRoot(dir);
  const compiled = path.join(root, 'dist', path.relative(root, dir), `${WORKER_BASENAME}.js`);
  if (!existsSync(compiled)) {
    throw new HashingError(
      `Compiled password-hashing worker not found at ${compiled}. Run \`npm run build\` first: ` +
        'the worker pool runs the compiled JavaScript even when the adapter is loaded from TypeScript sources.',
    );
  }
  return compiled;
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

export class LocalHashingAdapter extends HashingPort {
  readonly poolSize: number;
  readonly maxQueue: number;
  private readonly pool: Piscina;
  private readonly taskTimeoutMs: number | undefined;
  private readonly closeTimeoutMs: number;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly maxWaitMs: number | undefined;
  private readonly onWaited: HashingWaitObserver | undefined;
  /**
   * Moving average of the time between two task completions while every worker is busy: the
   * pool's drain rate, whatever the algorithm mix. 0 until measured (nothing is shed before).
   */
  private completionIntervalMs = 0;
  private lastCompletion = 0;
  private readonly workerExits = new Map<Worker, Promise<unknown>>();
  private closing: Promise<void> | undefined;

  constructor(options: LocalHashingOptions = {}) {
    super();
    this.poolSize = positiveInt(options.poolSize, Math.max(1, availableParallelism()), 'poolSize');
    this.maxQueue = options.maxQueue === 0 ? 0 : positiveInt(options.maxQueue, this.poolSize * 16, 'maxQueue');
    this.taskTimeoutMs =
      options.taskTimeoutMs === undefined ? undefined : positiveInt(options.taskTimeoutMs, 0, 'taskTimeoutMs');
    this.closeTimeoutMs = options.closeTimeoutMs === 0 ? 0 : positiveInt(options.closeTimeoutMs, 30_000, 'closeTimeoutMs');
    this.maxWaitMs = options.maxWaitMs === undefined ? undefined : positiveInt(options.maxWaitMs, 0, 'maxWaitMs');
    this.onWaited = options.onWaited;
    this.pool = new Piscina({
      filename: options.workerFilename ?? resolveWorkerFilename(),
      minThreads: this.poolSize,
      maxThreads: this.poolSize,
      maxQueue: this.maxQueue,
      // Argon2 is one long synchronous call; atomics-based waiting buys nothing here.
      useAtomics: false,
    });
    const onError = options.onError ?? ((error: Error) => process.emitWarning(error, 'PasswordHashingPool'));
    this.pool.on('error', (error: unknown) => onError(error instanceof Error ? error : new HashingError(String(error))));
  }

  async hash(plain: string): Promise<PasswordHash> {
    if (typeof plain !== 'string') throw new TypeError('password must be a string');
    const task: HashTask = { password: plain };
    const phc = await this.run<string>('hash', task);
    return { password: phc, hash: DEFAULT_HASH_ALGORITHM, hashOptions: defaultHashOptions() };
  }

  async verify(
    plain: string,
    stored: { password: string | null; hash: string; hashOptions: Record<string, unknown> },
  ): Promise<boolean> {
    if (typeof plain !== 'string' || stored === null || typeof stored !== 'object') return false;
    if (typeof stored.password !== 'string') return false;
    const task: VerifyTask = {
      password: plain,
      stored: { password: stored.password, hash: stored.hash, hashOptions: stored.hashOptions ?? {} },
    };
    return (await this.run<boolean>('verify', task)) === true;
  }

  /** Lets queued and running tasks finish (up to closeTimeoutMs), then stops the threads. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.drainAndDestroy();
    return this.closing;
  }

  /** NestJS lifecycle hook (duck-typed, so no @nestjs import is needed here). */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  /**
   * Not Piscina.close(): it races the drain against a referenced closeTimeout timer that is never
   * cleared, which keeps the process (and jest) alive for the full timeout after every close.
   */
  private async drainAndDestroy(): Promise<void> {
    if (this.inFlight.size > 0 && this.closeTimeoutMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.closeTimeoutMs);
        timer.unref();
      });
      await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
      clearTimeout(timer);
    }
    // A worker killed by taskTimeoutMs exits asynchronously; if that exit lands after destroy(),
    // Piscina starts a replacement nobody would stop (under jest it even keeps the process alive).
    // So wait for every thread ever seen to exit, and sweep again while new ones appear.
    for (let round = 0; round < 5; round++) {
      this.noteWorkers();
      await this.pool.destroy();
      await this.allSeenWorkersExited(5_000);
      if (this.pool.threads.length === 0) return;
    }
  }

  private noteWorkers(): void {
    for (const worker of this.pool.threads) {
      // threadId becomes -1 once a worker has exited, when 'exit' can no longer be awaited.
      if (this.workerExits.has(worker) || worker.threadId < 0) continue;
      const exited = once(worker, 'exit')
        .catch(() => undefined)
        .then(() => this.workerExits.delete(worker));
      this.workerExits.set(worker, exited);
    }
  }

  private async allSeenWorkersExited(limitMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, limitMs);
      timer.unref();
    });
    await Promise.race([Promise.all(this.workerExits.values()), limit]);
    clearTimeout(timer);
  }

  /** Tasks waiting for a free worker thread. */
  get queueDepth(): number {
    return this.pool.queueSize;
  }

  /** What a task queued now would wait before a worker starts it (ms): the tasks ahead of it at the drain rate. */
  expectedWaitMs(): number {
    const ahead = Math.max(0, this.inFlight.size - this.poolSize + 1);
    return ahead * this.completionIntervalMs;
  }

  private noteCompletion(): void {
    const now = performance.now();
    // Only the gap between two completions of a pool that stayed saturated measures its rate:
    // an idle spell (or a half-used pool) in between is not work.
    if (this.lastCompletion > 0) {
      const interval = now - this.lastCompletion;
      this.completionIntervalMs = this.completionIntervalMs === 0 ? interval : this.completionIntervalMs * 0.8 + interval * 0.2;
    }
    // This task is still counted in inFlight: after it, is every worker still busy?
    this.lastCompletion = this.inFlight.size - 1 >= this.poolSize ? now : 0;
  }

  private async run<T>(name: 'hash' | 'verify', task: HashTask | VerifyTask): Promise<T> {
    if (this.closing) throw new HashingError('Hashing pool is closed');
    if (this.maxWaitMs !== undefined) {
      const wait = this.expectedWaitMs();
      if (wait > this.maxWaitMs) throw new HashingBusyError(`Password hashing would wait about ${Math.round(wait)} ms`, undefined, Math.max(1, Math.ceil(wait / 1000)));
    }
    const signal = this.taskTimeoutMs === undefined ? undefined : AbortSignal.timeout(this.taskTimeoutMs);
    if (signal) this.noteWorkers();
    const submittedAt = wallClockMs();
    const running = this.pool.run(task, { name, signal }) as Promise<TaskOutcome<T>>;
    this.inFlight.add(running);
    try {
      const { result, startedAt } = await running;
      this.noteCompletion();
      this.onWaited?.(name, Math.max(0, startedAt - submittedAt) / 1000);
      return result;
    } catch (err: unknown) {
      // Messages are fixed text: a task error must never echo its input (the plaintext password).
      const message = err instanceof Error ? err.message : '';
      if (message === 'Task queue is at limit' || message === 'No task queue available and all Workers are busy') {
        throw new HashingBusyError('Password hashing queue is full', { cause: err });
      }
      if (signal?.aborted || (err instanceof Error && err.name === 'AbortError')) {
        throw new HashingTimeoutError(`Password ${name} exceeded ${this.taskTimeoutMs} ms`, { cause: err });
      }
      throw new HashingError(`Password ${name} failed in the worker pool`, { cause: err });
    } finally {
      this.inFlight.delete(running);
    }
  }
}
