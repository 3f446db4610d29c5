import type { EventStore, RecordedEvent, Subscription } from '@lib/event-store';
import { AppliedEventRef, ForeignCheckpointError, Projection, ReadModelStore } from './read-model';

export interface ProjectionRunnerLogger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** Events applied in one write at most, and the queue length at which the subscription waits. */
const BATCH = 1024;
const HIGH_WATER = 2048;

/** The events a projection's subscription delivered and it has not applied yet. */
interface Lane {
  queue: RecordedEvent[];
  draining: boolean;
  /** Resolves the subscription's wait once the queue is short again. */
  room: Array<() => void>;
  /** A new subscription (after a failure) starts a new generation; the old one's events are dropped. */
  generation: number;
}

/**
 * Keeps projections caught up with the global log: one catch-up subscription per projection,
 * starting from its stored checkpoint. Events are applied in batches (one write per batch and
 * read model, `ReadModelStore.applyBatch`): under load a write's events share a commit with the
 * events of the writes around it, instead of costing one commit each per read model. A failing
 * batch is retried with back-off (the subscription restarts from the checkpoint), never skipped.
 */
export class ProjectionRunner {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly processed = new Map<string, string | null>();
  private readonly lanes = new Map<string, Lane>();
  private readonly changeCounts = new Map<string, number>();
  private waiters: Array<{ position: string; resolve: () => void }> = [];
  private running = false;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadModelStore,
    private readonly projections: Projection[],
    private readonly logger: ProjectionRunnerLogger,
  ) {}

  /** Refuses (ForeignCheckpointError) read models whose checkpoints belong to another event log. */
  async start(): Promise<void> {
    await this.readStore.bindLog(await this.events.identity());
    for (const projection of this.projections) await this.readStore.getCheckpoint(projection.name);
    this.running = true;
    for (const projection of this.projections) await this.subscribe(projection, 0);
  }

  private async subscribe(projection: Projection, attempt: number): Promise<void> {
    this.bumpChanges(projection.name);
    const checkpoint = await this.readStore.getCheckpoint(projection.name);
    this.processed.set(projection.name, checkpoint);
    const lane: Lane = { queue: [], draining: false, room: [], generation: (this.lanes.get(projection.name)?.generation ?? 0) + 1 };
    this.lanes.set(projection.name, lane);
    const subscription = this.events.subscribeAll(
      checkpoint,
      (event) => this.enqueue(projection, lane, event, attempt),
      (err) => this.failed(projection, lane, err, attempt),
    );
    this.subscriptions.set(projection.name, subscription);
  }

  private failed(projection: Projection, lane: Lane, err: unknown, attempt: number): void {
    if (this.lanes.get(projection.name) !== lane) return;
    // This generation is over: what it queued is dropped and read again from the checkpoint.
    lane.generation = -1;
    lane.queue.length = 0;
    for (const wake of lane.room.splice(0)) wake();
    void this.subscriptions.get(projection.name)?.stop();
    if (err instanceof ForeignCheckpointError) {
      this.logger.error({ err: { name: err.name, message: err.message }, projection: projection.name }, 'projection stopped');
      return;
    }
    this.logger.error({ err, projection: projection.name, attempt }, 'projection failed; retrying from checkpoint');
    const delay = Math.min(100 * 2 ** attempt, 5000);
    setTimeout(() => {
      if (this.running) void this.subscribe(projection, attempt + 1);
    }, delay).unref();
  }

  /** Queues the event and applies the queue in batches; the subscription waits (a promise) only while the queue is long. */
  private enqueue(projection: Projection, lane: Lane, event: RecordedEvent, attempt: number): Promise<void> | void {
    if (lane.generation < 0) return;
    lane.queue.push(event);
    if (!lane.draining) void this.drain(projection, lane, attempt);
    if (lane.queue.length >= HIGH_WATER) return new Promise<void>((resolve) => lane.room.push(resolve));
  }

  private async drain(projection: Projection, lane: Lane, attempt: number): Promise<void> {
    lane.draining = true;
    try {
      // One turn later: the events the subscription delivers meanwhile join this batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (lane.queue.length > 0 && lane.generation > 0) {
        const batch = lane.queue.splice(0, BATCH);
        // Only the events that change something, and the last one (the checkpoint's position):
        // most events are nothing to most read models (an import's claims, to all but one).
        const applied: Array<{ ref: AppliedEventRef; changes: unknown[] }> = [];
        batch.forEach((event, i) => {
          const changes = projection.project(event);
          if (changes.length > 0 || i === batch.length - 1) applied.push({ ref: { streamId: event.streamId, streamRevision: event.revision, position: event.position }, changes });
        });
        await this.readStore.applyBatch(projection.name, applied);
        if (applied.length > 1 || applied[0].changes.length > 0) this.bumpChanges(projection.name);
        if (lane.generation < 0) return;
        this.processed.set(projection.name, batch[batch.length - 1].position);
        this.releaseWaiters();
        if (lane.queue.length < HIGH_WATER) for (const wake of lane.room.splice(0)) wake();
      }
    } catch (err) {
      this.failed(projection, lane, err, attempt);
    } finally {
      lane.draining = false;
    }
  }

  /**
   * A number that moves whenever the projection may have changed its read model (a batch with
   * changes was committed, or it restarted): what in-memory copies of a read model compare to
   * know they are still current, without asking the store.
   */
  changes(projection: string): number {
    return this.changeCounts.get(projection) ?? 0;
  }

  private bumpChanges(projection: string): void {
    this.changeCounts.set(projection, this.changes(projection) + 1);
  }

  /** Resolves once every projection has processed the log up to `position` (read-your-writes). */
  waitFor(position: string): Promise<void> {
    if (this.isCaughtUp(position)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  /** In this process nothing gives up waiting: the same as waitFor. */
  waitWhileAdvancing(position: string): Promise<void> {
    return this.waitFor(position);
  }

  private isCaughtUp(position: string): boolean {
    for (const projection of this.projections) {
      if (this.events.comparePositions(this.processed.get(projection.name) ?? null, position) < 0) return false;
    }
    return true;
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (this.isCaughtUp(w.position) ? w.resolve() : still.push(w));
    this.waiters = still;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.subscriptions.values()].map((s) => s.stop()));
    this.subscriptions.clear();
  }
}
