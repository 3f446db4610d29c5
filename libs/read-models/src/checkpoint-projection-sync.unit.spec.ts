import { CheckpointProjectionSync, ProjectionLagError } from './checkpoint-projection-sync';
import type { ReadModelStore } from './read-model';

/** Checkpoints held in memory, moved by the test; the sync only reads them. */
function checkpoints(initial: Record<string, number | null>, readMs = 0) {
  const at = { ...initial };
  const reads = { count: 0 };
  const store = {
    getCheckpoint: async (name: string) => {
      reads.count++;
      if (readMs > 0) await new Promise((r) => setTimeout(r, readMs));
      return at[name] === null ? null : String(at[name]);
    },
  } as unknown as ReadModelStore;
  const compare = (a: string | null, b: string | null) => (a === null ? (b === null ? 0 : -1) : b === null ? 1 : Number(a) - Number(b));
  return { at, reads, sync: new CheckpointProjectionSync(store, Object.keys(at), compare, { timeoutMs: 1000, stallMs: 2000 }) };
}

/** The outcome of a wait once `ms` of (fake) time have passed, advancing `tick` every 100 ms. */
async function after(ms: number, wait: Promise<void>, tick: () => void = () => undefined): Promise<'resolved' | 'lag' | 'pending'> {
  let outcome: 'resolved' | 'lag' | 'pending' = 'pending';
  wait.then(
    () => (outcome = 'resolved'),
    (err) => (outcome = err instanceof ProjectionLagError ? 'lag' : 'pending'),
  );
  for (let t = 0; t < ms && outcome === 'pending'; t += 100) {
    tick();
    await jest.advanceTimersByTimeAsync(100);
  }
  return outcome;
}

describe('CheckpointProjectionSync', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('waitFor: every projection at the position, within one write\'s wait', async () => {
    const { at, sync } = checkpoints({ users: 5, logs: 3 });
    const wait = sync.waitFor('5');
    at.logs = 5;
    expect(await after(500, wait)).toBe('resolved');
  });

  it('many waiters share one read of the checkpoints at a time: the read store\'s load does not grow with them', async () => {
    // A read takes 50 ms (a busy read store): 200 waiters polling on their own would read thousands of times in 500 ms.
    const { at, reads, sync } = checkpoints({ users: 0, logs: 0 }, 50);
    const waits = Array.from({ length: 200 }, (_, i) => sync.waitFor(String(1 + (i % 5))));
    const all = Promise.all(waits);
    expect(await after(500, all.then(() => undefined), () => ((at.users! += 1), (at.logs! += 1)))).toBe('resolved');
    // One read of the two checkpoints per 50 ms and a poll's pause, whoever waits.
    expect(reads.count).toBeLessThanOrEqual(2 * 10);
    expect(reads.count).toBeGreaterThan(0);
  });

  it('waitFor gives up after its wait even while the read models advance', async () => {
    const { at, sync } = checkpoints({ users: 0, logs: 0 });
    const advance = () => {
      at.users! += 1;
      at.logs! += 1;
    };
    expect(await after(5000, sync.waitFor('40'), advance)).toBe('lag');
  });

  it('waitWhileAdvancing waits as long as the slowest projection moves, and gives up once it stalls', async () => {
    const { at, sync } = checkpoints({ users: 0, logs: 0 });
    // 40 steps of 100 ms: four times one write's wait; and a pause of one write's wait is no stall yet.
    expect(await after(10_000, sync.waitWhileAdvancing('40'), () => ((at.users = 40), (at.logs! += 1)))).toBe('resolved');
    const paused = sync.waitWhileAdvancing('41');
    expect(await after(1500, paused)).toBe('pending');
    Object.assign(at, { users: 41, logs: 41 });
    expect(await after(500, paused)).toBe('resolved');
    expect(await after(10_000, sync.waitWhileAdvancing('80'), () => (at.users! += 1))).toBe('lag');
  });
});
