import type { ProjectionSync } from '@lib/event-sourcing';
import type { ReadModelStore } from './read-model';

export class ProjectionLagError extends Error {
  constructor(readonly position: string, readonly waitedMs: number) {
    super(`read models did not reach position ${position} within ${waitedMs} ms`);
    this.name = 'ProjectionLagError';
  }
}

/**
 * Read-your-writes when projections run in another process (apps/projector): wait until every
 * projection's stored checkpoint has reached the write's position. Bounded: a stalled projector
 * turns into a clear 503 rather than a request that hangs.
 */
export class CheckpointProjectionSync implements ProjectionSync {
  constructor(
    private readonly readStore: ReadModelStore,
    private readonly projectionNames: string[],
    private readonly comparePositions: (a: string | null, b: string | null) => number,
    private readonly options: { pollMs?: number; timeoutMs?: number } = {},
  ) {}

  async waitFor(position: string): Promise<void> {
    const pollMs = this.options.pollMs ?? 5;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const started = Date.now();
    const pending = new Set(this.projectionNames);
    for (;;) {
      for (const name of [...pending]) {
        if (this.comparePositions(await this.readStore.getCheckpoint(name), position) >= 0) pending.delete(name);
      }
      if (pending.size === 0) return;
      if (Date.now() - started > timeoutMs) throw new ProjectionLagError(position, timeoutMs);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}
