import { Worker } from 'node:worker_threads';
import { AppliedEventRef, ReadModelStore } from '../read-model';
import { compiledModule } from './compiled-module';
import type { SqliteStorage } from './sqlite-storage';

/** What the thread is started with (see sqlite-shadow.worker.ts). */
export interface ShadowThreadData {
  file: string;
  projection: string;
  module: string;
  exportName: string;
  busyTimeoutMs: number | undefined;
  log: string | null;
}

type Batch = ReadonlyArray<{ ref: AppliedEventRef; changes: unknown[] }>;

export type ShadowCall = { id: number } & (
  | { op: 'applyBatch'; events: Batch }
  | { op: 'apply'; ref: AppliedEventRef; changes: unknown[] }
  | { op: 'getCheckpoint' }
  | { op: 'finishLoad' }
  | { op: 'close' }
);

export type ShadowReply = { id: number; result?: unknown; error?: { name: string; message: string; stack?: string } };

type CallOf<Op> = Omit<Extract<ShadowCall, { op: Op }>, 'id'>;

/**
 * A rebuild's shadow written on a worker thread: the same SqliteReadModels shadow, but its
 * SQLite writes (the rows, their indexes at the end) run beside the thread that reads, decrypts
 * and projects the log, on another core. The changes cross by structured clone; the calls run
 * there one after the other, in the order they were made.
 */
export class SqliteShadowThread extends ReadModelStore {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private failure: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(
    readonly file: string,
    private readonly projection: string,
    storage: SqliteStorage & { thread: NonNullable<SqliteStorage['thread']> },
    options: { busyTimeoutMs?: number; log: string | null },
  ) {
    super();
    const data: ShadowThreadData = {
      file,
      projection,
      module: compiledModule(storage.thread.module),
      exportName: storage.thread.exportName,
      busyTimeoutMs: options.busyTimeoutMs,
      log: options.log,
    };
    this.worker = new Worker(compiledModule(__filename.replace(/sqlite-shadow-thread\.(ts|js)$/, 'sqlite-shadow.worker.$1')), { workerData: data });
    // The thread's first answer (id 0): the storage it loaded, which must be this one.
    this.pending.set(0, {
      resolve: (loaded) => {
        const { version, ddl } = loaded as { version: number; ddl: string };
        if (version !== storage.version || ddl !== storage.ddl) this.fail(new Error(`The compiled storage of ${projection} (${data.module}) is not the one running here: run \`npm run build\``));
      },
      reject: (error) => this.fail(error),
    });
    this.worker.on('message', (reply: ShadowReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.fail(new Error(`the shadow thread of ${projection} stopped (exit code ${code})`));
        resolve();
      }),
    );
  }

  /** The thread keeps the process alive while a call waits on it, not while it idles (a shadow left open). */
  private holdWhilePending(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private settle(reply: ShadowReply): void {
    const call = this.pending.get(reply.id);
    if (!call) return;
    this.pending.delete(reply.id);
    this.holdWhilePending();
    if (!reply.error) return call.resolve(reply.result);
    const error = new Error(reply.error.message);
    error.name = reply.error.name;
    if (reply.error.stack) error.stack = reply.error.stack;
    call.reject(error);
    // The calls after it were made counting on it (a batch after a failed one would skip its events).
    this.fail(error);
  }

  /** Every call not answered yet, and every later one, fails with `error`. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const [id, call] of this.pending) {
      this.pending.delete(id);
      call.reject(error);
    }
    this.holdWhilePending();
  }

  private call<Op extends ShadowCall['op']>(call: CallOf<Op>): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.holdWhilePending();
      this.worker.postMessage({ ...call, id });
    });
  }

  async bindLog(): Promise<void> {
    // Bound when the thread started (the live store's log): a shadow serves one rebuild.
  }

  async apply(projection: string, ref: AppliedEventRef, changes: unknown[]): Promise<boolean> {
    this.own(projection);
    return (await this.call<'apply'>({ op: 'apply', ref, changes })) as boolean;
  }

  override async applyBatch(projection: string, events: Batch): Promise<void> {
    this.own(projection);
    if (events.length > 0) await this.call<'applyBatch'>({ op: 'applyBatch', events });
  }

  async getCheckpoint(projection: string): Promise<string | null> {
    this.own(projection);
    return (await this.call<'getCheckpoint'>({ op: 'getCheckpoint' })) as string | null;
  }

  /** The indexes the load went without (see late-indexes.ts), built there. */
  async finishLoad(): Promise<void> {
    await this.call<'finishLoad'>({ op: 'finishLoad' });
  }

  async close(): Promise<void> {
    if (!this.failure) await this.call<'close'>({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
    await this.exited;
  }

  async reset(): Promise<void> {
    throw new Error('a shadow is not reset: openShadow starts a rebuild afresh');
  }

  async openShadow(): Promise<ReadModelStore> {
    throw new Error('a shadow has no shadow');
  }

  async swapIn(): Promise<void> {
    throw new Error('a shadow is swapped into its live store, not the other way');
  }

  async purgeDeleted(): Promise<void> {
    throw new Error('a shadow keeps nothing deleted');
  }

  private own(projection: string): void {
    if (projection !== this.projection) throw new Error(`this shadow holds ${this.projection}, not ${projection}`);
  }
}
