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
 *
 * Every waiter of the process shares one read of the checkpoints at a time: a waiter that polls
 * while a read is under way takes its answer. Each waiter reading on its own every few ms made
 * the read store's load grow with the number of writes in flight, until (FerretDB, a busy
 * machine) the projector's own writes queued behind those reads and the waits timed out.
 */
export class CheckpointProjectionSync implements ProjectionSync {
  private reading: Promise<Map<string, string | null>> | null = null;

  constructor(
    private readonly readStore: ReadModelStore,
    private readonly projectionNames: string[],
    private readonly comparePositions: (a: string | null, b: string | null) => number,
    private readonly options: {
      pollMs?: number;
      timeoutMs?: number;
      /** How long the read models may stand still in a waitWhileAdvancing (one projector batch into FerretDB can take seconds on a busy machine). */
      stallMs?: number;
    } = {},
  ) {}

  waitFor(position: string): Promise<void> {
    return this.wait(position, false);
  }

  /** Gives up once the slowest projection has not moved for `stallMs` (default 60 s); polled less often, as such waits are long. */
  waitWhileAdvancing(position: string): Promise<void> {
    return this.wait(position, true);
  }

  private async wait(position: string, whileAdvancing: boolean): Promise<void> {
    const pollMs = whileAdvancing ? Math.max(this.options.pollMs ?? 5, 50) : (this.options.pollMs ?? 5);
    const timeoutMs = whileAdvancing ? (this.options.stallMs ?? 60_000) : (this.options.timeoutMs ?? 10_000);
    let started = Date.now();
    let slowest: string | null = null;
    const pending = new Set(this.projectionNames);
    for (;;) {
      let behind: string | null = null;
      const checkpoints = await this.readCheckpoints();
      for (const name of [...pending]) {
        const checkpoint = checkpoints.get(name) ?? null;
        if (this.comparePositions(checkpoint, position) >= 0) pending.delete(name);
        else if (behind === null || this.comparePositions(checkpoint, behind) < 0) behind = checkpoint;
      }
      if (pending.size === 0) return;
      if (whileAdvancing && this.comparePositions(behind, slowest) > 0) {
        slowest = behind;
        started = Date.now();
      }
      if (Date.now() - started > timeoutMs) throw new ProjectionLagError(position, timeoutMs);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** Every projection's checkpoint, read once for all the waiters that ask while the read is under way. */
  private readCheckpoints(): Promise<Map<string, string | null>> {
    return (this.reading ??= (async () => {
      const names = this.projectionNames;
      const positions = await Promise.all(names.map((name) => this.readStore.getCheckpoint(name)));
      return new Map(names.map((name, i) => [name, positions[i]]));
    })().finally(() => (this.reading = null)));
  }
}
