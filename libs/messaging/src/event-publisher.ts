import type { EventStore, RecordedEvent, Subscription } from '@lib/event-store';
import { ForeignCheckpointError, type ReadModelStore } from '@lib/read-models';
import { type CloudEventMappingOptions, type CloudEventMessage, toCloudEventMessage } from './cloud-events';
import type { IntegrationEventsPort } from './integration-events.port';
import { errorSummary } from '@lib/kafka';

export interface EventPublisherLogger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface EventPublisherOptions {
  /** Checkpoint name in the read store; default `publisher:<sink.destination>`, e.g. `publisher:users.events`. */
  checkpointName?: string;
  /** Most events per publish; default 200. */
  batchSize?: number;
  /** Most bytes of message values per publish (a Kafka request must stay below message.max.bytes); default 512 KiB. */
  maxBatchBytes?: number;
  /**
   * How long a batch smaller than batchSize waits for more events before it goes; default 5 ms.
   * Each batch is a write, an fsync (JSON lines) or a produce request (Kafka) and a checkpoint:
   * under a write load, waiting a few milliseconds gathers a turn's worth of events into one.
   */
  lingerMs?: number;
  /** Events read ahead of publishing; the subscription waits beyond it; default 2000. */
  maxBuffered?: number;
  /** Back-off after a failure: initial × 2^attempt, capped; defaults 200 ms and 30 s. */
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  mapping?: CloudEventMappingOptions;
  logger?: EventPublisherLogger;
  /** Told how long the sink took to accept each batch (seconds); metrics. */
  onPublished?: (seconds: number) => void;
}

class Superseded extends Error {
  constructor() {
    super('publisher generation superseded');
  }
}

const quiet: EventPublisherLogger = { error() {}, info() {} };

/**
 * Publishes the user events of the log as integration events, driven by the log itself (no dual
 * writes): a catch-up subscription from its own checkpoint, kept in the read store like a
 * projection's (`applyChanges(name, ref, [])`). A pump publishes what the subscription buffered,
 * in log order, in batches of what has accumulated (one event when quiet, up to batchSize under
 * load), and moves the checkpoint to a batch's last event only once the sink accepted the batch.
 *
 * On any failure (sink, checkpoint, subscription) everything read ahead is dropped and, after a
 * bounded exponential back-off, publishing restarts from the stored checkpoint: at least once,
 * never a gap, per-user order kept (a repeat may follow a batch that was published but not
 * checkpointed; consumers drop ids they have seen or revisions at or below the last they saw).
 */
/** The checkpoint the publisher of a sink keeps in the read store. */
export const publisherCheckpointName = (sink: Pick<IntegrationEventsPort, 'destination'>) => `publisher:${sink.destination}`;

export class EventPublisher {
  readonly checkpointName: string;
  private readonly batchSize: number;
  private readonly lingerMs: number;
  private readonly maxBatchBytes: number;
  private readonly maxBuffered: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly logger: EventPublisherLogger;
  private running = false;
  private generation = 0;
  private attempt = 0;
  private subscription: Subscription | undefined;
  private pumpDone: Promise<void> = Promise.resolve();
  private queue: RecordedEvent[] = [];
  private wakePump: (() => void) | undefined;
  private wakeReader: (() => void) | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private published: string | null = null;
  private waiters: Array<{ position: string; resolve: () => void }> = [];

  constructor(
    private readonly events: EventStore,
    private readonly checkpoints: ReadModelStore,
    private readonly sink: IntegrationEventsPort,
    private readonly options: EventPublisherOptions = {},
  ) {
    this.checkpointName = options.checkpointName ?? publisherCheckpointName(sink);
    this.batchSize = options.batchSize ?? 200;
    this.lingerMs = options.lingerMs ?? 5;
    this.maxBatchBytes = options.maxBatchBytes ?? 512 * 1024;
    this.maxBuffered = Math.max(options.maxBuffered ?? 2000, this.batchSize);
    this.initialDelayMs = options.retryInitialDelayMs ?? 200;
    this.maxDelayMs = options.retryMaxDelayMs ?? 30_000;
    this.logger = options.logger ?? quiet;
  }

  /** The last position published and checkpointed (null: nothing yet). */
  get checkpoint(): string | null {
    return this.published;
  }

  /** Reads the checkpoint and starts publishing; rejects if the checkpoint cannot be read. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.run(++this.generation);
    } catch (err) {
      this.running = false;
      this.generation++;
      throw err;
    }
  }

  /** Stops reading, lets the batch being published finish (and checkpoint), then resolves. */
  async stop(): Promise<void> {
    this.running = false;
    this.generation++;
    clearTimeout(this.retryTimer);
    this.wake();
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
    await this.pumpDone;
    this.queue = [];
  }

  /** Resolves once the publisher has checkpointed the log up to `position`. */
  waitFor(position: string): Promise<void> {
    if (this.events.comparePositions(this.published, position) >= 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  private async run(gen: number): Promise<void> {
    const checkpoint = await this.checkpoints.getCheckpoint(this.checkpointName).catch((err: unknown) => {
      if (!(err instanceof ForeignCheckpointError)) throw err;
      // Downstream consumers have this log's events still to come: publishing starts over only on purpose.
      throw new ForeignCheckpointError(err.projection, err.storedLog, err.currentLog, 'publish this log from its start with `npm run replay -- publisher` (consumers see it as new events)');
    });
    if (gen !== this.generation || !this.running) return;
    this.published = checkpoint;
    this.queue = [];
    this.releaseWaiters();
    this.subscription = this.events.subscribeAll(
      checkpoint,
      (event) => this.enqueue(gen, event),
      (err) => void this.fail(gen, err, 'subscription'),
    );
    this.pumpDone = this.pump(gen);
  }

  private async enqueue(gen: number, event: RecordedEvent): Promise<void> {
    while (gen === this.generation && this.queue.length >= this.maxBuffered) {
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    }
    // Throwing stops this subscription; its onError is ignored as it belongs to an old generation.
    if (gen !== this.generation) throw new Superseded();
    this.queue.push(event);
    this.wakePump?.();
  }

  private async pump(gen: number): Promise<void> {
    while (gen === this.generation) {
      if (this.queue.length === 0) {
        await new Promise<void>((resolve) => (this.wakePump = resolve));
        this.wakePump = undefined;
        continue;
      }
      if (this.lingerMs > 0 && this.queue.length < this.batchSize) {
        await new Promise((resolve) => setTimeout(resolve, this.lingerMs));
        if (gen !== this.generation || this.queue.length === 0) continue;
      }
      try {
        const { batch, messages } = this.takeBatch();
        this.wakeReader?.();
        if (messages.length > 0) await this.publish(messages);
        const last = batch[batch.length - 1];
        // As a batch: the checkpoint shares a commit with the read models' batches of this turn.
        await this.checkpoints.applyBatch(this.checkpointName, [{ ref: { streamId: last.streamId, streamRevision: last.revision, position: last.position }, changes: [] }]);
        this.published = last.position;
        this.attempt = 0;
        this.releaseWaiters();
      } catch (err) {
        // Not awaited: fail() waits for this pump to have returned.
        void this.fail(gen, err, 'publish');
        return;
      }
    }
  }

  private async publish(messages: CloudEventMessage[]): Promise<void> {
    const started = performance.now();
    await this.sink.publish(messages);
    this.options.onPublished?.((performance.now() - started) / 1000);
  }

  /** Consecutive events from the head of the queue within the count and byte limits (at least one). */
  private takeBatch(): { batch: RecordedEvent[]; messages: CloudEventMessage[] } {
    const messages: CloudEventMessage[] = [];
    let bytes = 0;
    let taken = 0;
    while (taken < this.queue.length && taken < this.batchSize) {
      const message = toCloudEventMessage(this.queue[taken], this.options.mapping);
      const size = message ? Buffer.byteLength(message.value) + Buffer.byteLength(message.key) : 0;
      if (taken > 0 && bytes + size > this.maxBatchBytes) break;
      if (message) messages.push(message);
      bytes += size;
      taken += 1;
    }
    // Removed only now: if mapping threw above, the queue is dropped by the restart anyway.
    return { batch: this.queue.splice(0, taken), messages };
  }

  private async fail(gen: number, err: unknown, where: string): Promise<void> {
    if (gen !== this.generation) return;
    const next = ++this.generation;
    const delay = Math.min(this.initialDelayMs * 2 ** this.attempt, this.maxDelayMs);
    this.attempt += 1;
    this.logger.error(
      { err: errorSummary(err), where, attempt: this.attempt, retryInMs: delay, checkpoint: this.published, name: this.checkpointName },
      'publishing integration events failed; retrying from the checkpoint',
    );
    this.wake();
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop().catch(() => undefined);
    // A batch still in flight finishes (and checkpoints) before the next generation reads the checkpoint.
    await this.pumpDone;
    if (!this.running || next !== this.generation) return;
    this.retryTimer = setTimeout(() => {
      if (!this.running || next !== this.generation) return;
      this.run(next).catch((e: unknown) => void this.fail(next, e, 'checkpoint'));
    }, delay);
    this.retryTimer.unref();
  }

  private wake(): void {
    this.wakePump?.();
    this.wakeReader?.();
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.events.comparePositions(this.published, w.position) >= 0) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}
