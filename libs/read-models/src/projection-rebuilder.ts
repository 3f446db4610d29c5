import type { EventStore, RecordedEvent } from '@lib/event-store';
import type { Projection, ReadModelStore } from './read-model';

export interface RebuildProgress {
  projection: string;
  applied: number;
  total: number;
  eventsPerSecond: number;
}

/**
 * Rebuilds a projection blue/green: replays the whole log into a shadow store beside the live
 * one (reads keep being served from the live one), then swaps it in once caught up.
 */
export class ProjectionRebuilder {
  constructor(
    private readonly events: EventStore,
    private readonly live: ReadModelStore,
    private readonly batchSize = 1000,
  ) {}

  async rebuild(projection: Projection, onProgress: (p: RebuildProgress) => void = () => {}): Promise<RebuildProgress> {
    await this.live.bindLog(await this.events.identity());
    const shadow = await this.live.openShadow(projection.name);
    const total = await this.countEvents();
    const started = Date.now();
    let applied = 0;
    const progress = (): RebuildProgress => ({
      projection: projection.name,
      applied,
      total: Math.max(total, applied),
      eventsPerSecond: Math.round(applied / Math.max((Date.now() - started) / 1000, 0.001)),
    });
    const applyUntil = async (target: string | null) => {
      let position = await shadow.getCheckpoint(projection.name);
      for (;;) {
        const batch = await this.events.readAll(position, this.batchSize);
        for (const event of batch) await this.apply(shadow, projection, event);
        applied += batch.length;
        if (batch.length) {
          position = batch[batch.length - 1].position;
          onProgress(progress());
        }
        const reachedTarget = target === null || this.events.comparePositions(position, target) >= 0;
        if (batch.length < this.batchSize && reachedTarget) return;
      }
    };
    await applyUntil(null);
    await this.live.swapIn(projection.name, shadow, (livePosition) => applyUntil(livePosition));
    const done = progress();
    onProgress(done);
    return done;
  }

  private apply(store: ReadModelStore, projection: Projection, event: RecordedEvent) {
    return store.apply(
      projection.name,
      { streamId: event.streamId, streamRevision: event.revision, position: event.position },
      projection.project(event),
    );
  }

  /** An estimate for the progress bar (the log keeps growing while we replay). */
  private async countEvents(): Promise<number> {
    let count = 0;
    let position: string | null = null;
    for (;;) {
      const batch = await this.events.readAll(position, 10_000);
      count += batch.length;
      if (batch.length < 10_000) return count;
      position = batch[batch.length - 1].position;
    }
  }
}
