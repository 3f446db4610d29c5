import type { EventStore, RecordedEvent, Subscription } from '@lib/event-store';
import { ForeignCheckpointError, Projection, ReadModelStore } from './read-model';

export interface ProjectionRunnerLogger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * Keeps projections caught up with the global log: one catch-up subscription per projection,
 * starting from its stored checkpoint. A failing event is retried with back-off (the
 * subscription restarts from the checkpoint), never skipped.
 */
export class ProjectionRunner {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly processed = new Map<string, string | null>();
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
    const checkpoint = await this.readStore.getCheckpoint(projection.name);
    this.processed.set(projection.name, checkpoint);
    const subscription = this.events.subscribeAll(
      checkpoint,
      (event) => this.apply(projection, event),
      (err) => {
        if (err instanceof ForeignCheckpointError) {
          this.logger.error({ err: { name: err.name, message: err.message }, projection: projection.name }, 'projection stopped');
          return;
        }
        this.logger.error({ err, projection: projection.name, attempt }, 'projection failed; retrying from checkpoint');
        const delay = Math.min(100 * 2 ** attempt, 5000);
        setTimeout(() => {
          if (this.running) void this.subscribe(projection, attempt + 1);
        }, delay).unref();
      },
    );
    this.subscriptions.set(projection.name, subscription);
  }

  private async apply(projection: Projection, event: RecordedEvent): Promise<void> {
    const changes = projection.project(event);
    await this.readStore.apply(
      projection.name,
      { streamId: event.streamId, streamRevision: event.revision, position: event.position },
      changes,
    );
    this.processed.set(projection.name, event.position);
    this.releaseWaiters();
  }

  /** Resolves once every projection has processed the log up to `position` (read-your-writes). */
  waitFor(position: string): Promise<void> {
    if (this.isCaughtUp(position)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
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
