import type { EventStore, RecordedEvent } from '@lib/event-store';
import type { Projection, ReadModelStore } from './read-model';

export interface RebuildProgress {
  projection: string;
  applied: number;
  total: number;
  eventsPerSecond: number;
}

/** Batches handed to the shadows and not written yet, at most. */
const IN_FLIGHT = 4;

const refOf = (event: RecordedEvent) => ({ streamId: event.streamId, streamRevision: event.revision, position: event.position });

/**
 * Rebuilds projections blue/green: replays the whole log into shadow stores beside the live
 * one (reads keep being served from the live one), then swaps each in once caught up.
 *
 * The log is read in large batches, and each batch goes to a shadow as one `applyBatch` (one
 * SQLite transaction, one round of MongoDB bulk writes) instead of one write per event. Several
 * projections share one pass: a batch is read and decoded once and applied to every shadow at
 * once (the shadows are separate files or collections, so their writes do not wait on each other).
 */
export class ProjectionRebuilder {
  constructor(
    private readonly events: EventStore,
    private readonly live: ReadModelStore,
    private readonly batchSize = 1000,
  ) {}

  async rebuild(projection: Projection, onProgress: (p: RebuildProgress) => void = () => {}): Promise<RebuildProgress> {
    return (await this.rebuildAll([projection], onProgress))[0];
  }

  /** One pass over the log for all of `projections`, then their swaps, one after the other. */
  async rebuildAll(projections: Projection[], onProgress: (p: RebuildProgress) => void = () => {}): Promise<RebuildProgress[]> {
    await this.live.bindLog(await this.events.identity());
    const shadows: ReadModelStore[] = [];
    try {
      for (const projection of projections) shadows.push(await this.live.openShadow(projection.name));
    } catch (err) {
      for (const shadow of shadows) await shadow.close().catch(() => undefined);
      throw err;
    }
    // What the progress counts to (the log keeps growing while we replay): counted, not read.
    const total = await this.events.countAll();
    const started = Date.now();
    const applied = projections.map(() => 0);
    const progress = (i: number): RebuildProgress => ({
      projection: projections[i].name,
      applied: applied[i],
      total: Math.max(total, applied[i]),
      eventsPerSecond: Math.round(applied[i] / Math.max((Date.now() - started) / 1000, 0.001)),
    });
    const apply = (i: number, batch: RecordedEvent[]) => shadows[i].applyBatch(projections[i].name, batch.map((event) => ({ ref: refOf(event), changes: projections[i].project(event) })));
    let swapped = 0;
    try {
      let position: string | null = null;
      // Batches are read while the ones before them are written: a shadow on a thread of its own
      // (SqliteShadowThread) writes on another core meanwhile. A few batches may wait there, so
      // that neither side waits for the other's slower batch.
      const inFlight: Promise<void>[] = [];
      for (;;) {
        const batch = await this.events.readAll(position, this.batchSize);
        if (inFlight.length === IN_FLIGHT) await inFlight.shift();
        if (batch.length > 0) {
          const written = Promise.all(projections.map((_, i) => apply(i, batch))).then(() =>
            projections.forEach((_, i) => {
              applied[i] += batch.length;
              onProgress(progress(i));
            }),
          );
          // Awaited in its turn; until then its failure is not an unhandled rejection.
          written.catch(() => undefined);
          inFlight.push(written);
          position = batch[batch.length - 1].position;
        }
        if (batch.length < this.batchSize) break;
      }
      for (const written of inFlight) await written;
      const results: RebuildProgress[] = [];
      for (let i = 0; i < projections.length; i++) {
        // The catch-up runs under the swap's lock: the events appended since the pass (from the
        // shadow's checkpoint), up to at least the live checkpoint.
        const catchUp = async (target: string | null) => {
          let at = await shadows[i].getCheckpoint(projections[i].name);
          for (;;) {
            const batch = await this.events.readAll(at, this.batchSize);
            if (batch.length > 0) {
              await apply(i, batch);
              applied[i] += batch.length;
              at = batch[batch.length - 1].position;
            }
            if (batch.length < this.batchSize && (target === null || this.events.comparePositions(at, target) >= 0)) return;
          }
        };
        await this.live.swapIn(projections[i].name, shadows[i], catchUp);
        swapped = i + 1;
        results.push(progress(i));
        onProgress(results[i]);
      }
      return results;
    } finally {
      // A failed pass leaves the shadows behind unswapped; openShadow starts the next attempt afresh.
      for (const shadow of shadows.slice(swapped)) await shadow.close().catch(() => undefined);
    }
  }
}
