import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, SqliteEventStore } from '@lib/event-store';
import type { CommandContext, CommandExecution } from './command-context';
import type { DomainEvent } from './decider';
import { Aggregate, handleCommand, loadStream, toEventsToAppend } from './handle-command';
import { RevisionPrecondition, StaleRevisionError } from './revision-precondition';

/** A counter: every command adds to it. */
type Added = DomainEvent<'Added', { n: number }>;
const COUNTER: Aggregate<{ n: number }, Added, number> = {
  decider: { decide: ({ n }) => (n === 0 ? [] : [{ type: 'Added', data: { n }, occurredAt: '2024-01-01T00:00:00.000+00:00' }]), evolve: (s, e) => s + e.data.n, initialState: () => 0 },
  schema: { types: ['Added'], schemaVersion: 1 },
};

const ctx = (over: Partial<CommandContext> = {}): CommandContext => ({ actor: { type: 'system', id: 'test' }, requestId: 'r1', ip: '', userAgent: '', ...over });

let dir: string;
let events: EventStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handle-command-'));
  events = new SqliteEventStore(join(dir, 'events.sqlite'));
});
afterEach(async () => {
  await events.close();
  rmSync(dir, { recursive: true, force: true });
});

const stream = () => `counter-${randomUUID()}`;
/** A stream with `count` events (revisions 0 … count-1). */
async function given(count: number): Promise<string> {
  const s = stream();
  for (let i = 0; i < count; i++) await handleCommand({ events }, COUNTER, s, { n: 1 }, ctx());
  return s;
}
const revisions = async (s: string) => (await events.readStream(s)).map((e) => e.revision);

describe('handleCommand with an If-Match precondition', () => {
  it('writes when the stream is at an accepted revision, and uses up the precondition', async () => {
    const s = await given(2);
    const precondition = new RevisionPrecondition(s, [1]);
    const result = await handleCommand({ events }, COUNTER, s, { n: 5 }, ctx({ precondition }));
    expect(result.after).toBe(7);
    expect(await revisions(s)).toEqual([0, 1, 2]);
    expect(precondition.wasConsumed).toBe(true);
    // A second write of the same request to the stream is not held to the old revision.
    await handleCommand({ events }, COUNTER, s, { n: 1 }, ctx({ precondition }));
    expect(await revisions(s)).toEqual([0, 1, 2, 3]);
  });

  it('refuses a stale revision before deciding: StaleRevisionError, nothing prepared, nothing written', async () => {
    const s = await given(3);
    const prepare = jest.fn();
    await expect(handleCommand({ events }, COUNTER, s, { n: 5 }, ctx({ precondition: new RevisionPrecondition(s, [1]) }), { prepare })).rejects.toBeInstanceOf(StaleRevisionError);
    expect(prepare).not.toHaveBeenCalled();
    expect(await revisions(s)).toEqual([0, 1, 2]);
  });

  it('does not retry into a write after a concurrent one: the other write wins, this one fails and undoes its claims', async () => {
    const s = await given(1);
    const undo = jest.fn(async () => undefined);
    // Another client writes between this command's read and its append.
    const prepare = async () => {
      await handleCommand({ events }, COUNTER, s, { n: 100 }, ctx({ requestId: 'other' }));
      return undo;
    };
    await expect(handleCommand({ events }, COUNTER, s, { n: 5 }, ctx({ precondition: new RevisionPrecondition(s, [0]) }), { prepare })).rejects.toBeInstanceOf(StaleRevisionError);
    expect(undo).toHaveBeenCalledTimes(1);
    const stored = await events.readStream(s);
    expect(stored.map((e) => [e.revision, e.data.n, e.metadata.requestId])).toEqual([
      [0, 1, 'r1'],
      [1, 100, 'other'],
    ]);
  });

  it('without a precondition, the same race is retried into a write (the default)', async () => {
    const s = await given(1);
    let raced = false;
    const prepare = async () => {
      if (!raced) {
        raced = true;
        await handleCommand({ events }, COUNTER, s, { n: 100 }, ctx());
      }
    };
    const result = await handleCommand({ events }, COUNTER, s, { n: 5 }, ctx(), { prepare });
    expect(result.after).toBe(106);
  });

  it('`*` needs the stream to exist; other streams of the command are not held to it', async () => {
    const missing = stream();
    await expect(handleCommand({ events }, COUNTER, missing, { n: 1 }, ctx({ precondition: new RevisionPrecondition(missing, 'any') }))).rejects.toBeInstanceOf(StaleRevisionError);
    expect(await revisions(missing)).toEqual([]);
    const s = await given(4);
    const precondition = new RevisionPrecondition(s, [0]);
    await handleCommand({ events }, COUNTER, stream(), { n: 1 }, ctx({ precondition }));
    expect(precondition.wasConsumed).toBe(false);
    await handleCommand({ events }, COUNTER, s, { n: 1 }, ctx({ precondition: new RevisionPrecondition(s, 'any') }));
    expect(await revisions(s)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a command that decides nothing checks the precondition too', async () => {
    const s = await given(2);
    await expect(handleCommand({ events }, COUNTER, s, { n: 0 }, ctx({ precondition: new RevisionPrecondition(s, [0]) }))).rejects.toBeInstanceOf(StaleRevisionError);
    const precondition = new RevisionPrecondition(s, [1]);
    await handleCommand({ events }, COUNTER, s, { n: 0 }, ctx({ precondition }));
    expect(precondition.wasConsumed).toBe(true);
  });
});

describe('handleCommand in an idempotent attempt', () => {
  const execution = (beforeAppend: (streamId: string) => Promise<void> = async () => undefined): CommandExecution & { streams: string[] } => {
    const streams: string[] = [];
    return {
      id: 'attempt-1',
      streams,
      beforeAppend: async (streamId) => {
        streams.push(streamId);
        await beforeAppend(streamId);
      },
    };
  };

  it('tags every appended event with the attempt, after telling the attempt which stream it writes', async () => {
    const s = stream();
    const attempt = execution();
    await handleCommand({ events }, COUNTER, s, { n: 1 }, ctx({ execution: attempt }));
    expect(attempt.streams).toEqual([s]);
    expect((await events.readStream(s)).map((e) => e.metadata.idempotencyAttemptId)).toEqual(['attempt-1']);
    await handleCommand({ events }, COUNTER, s, { n: 1 }, ctx());
    expect((await events.readStream(s))[1].metadata).not.toHaveProperty('idempotencyAttemptId');
  });

  it('appends nothing, and undoes what it prepared, when the attempt refuses (it lost its key)', async () => {
    const s = stream();
    const undo = jest.fn(async () => undefined);
    const refusing = execution(async () => {
      throw new Error('lease over');
    });
    await expect(handleCommand({ events }, COUNTER, s, { n: 1 }, ctx({ execution: refusing }), { prepare: async () => undo })).rejects.toThrow('lease over');
    expect(undo).toHaveBeenCalledTimes(1);
    expect(await revisions(s)).toEqual([]);
  });

  it('keeps the tag out of events of requests without an idempotency key', () => {
    const [plain] = toEventsToAppend([{ type: 'Added', data: { n: 1 }, occurredAt: 'now' }], ctx(), COUNTER.schema);
    expect(Object.keys(plain.metadata).sort()).toEqual(['actor', 'eventId', 'ip', 'occurredAt', 'requestId', 'schemaVersion', 'userAgent']);
  });
});

describe('handleCommand with appends alongside', () => {
  const claimOn = (claim: string, expected: 'no_stream' | number = 'no_stream') => ({ streamId: claim, events: toEventsToAppend([{ type: 'Added', data: { n: 1 }, occurredAt: 'now' }], ctx(), COUNTER.schema), expected });

  it('commits them with the command\'s own events, the command\'s last, and answers with its position', async () => {
    const [s, claim] = [stream(), stream()];
    const attempt = { id: 'attempt-1', streams: [] as string[], beforeAppend: async (id: string) => void attempt.streams.push(id) };
    const result = await handleCommand({ events }, COUNTER, s, { n: 5 }, ctx({ execution: attempt }), { prepare: async () => ({ alongside: [claimOn(claim)] }) });
    const all = await events.readAll(null, 10);
    expect(all.map((e) => e.streamId)).toEqual([claim, s]);
    expect(result.position).toBe(all[1].position);
    expect(attempt.streams).toEqual([claim, s]);
  });

  it('writes neither when a stream alongside moved, and decides them again in the retry', async () => {
    const [s, claim] = [stream(), stream()];
    let prepared = 0;
    const prepare = async () => {
      prepared += 1;
      // The first attempt's claim is decided on a stream another writer then takes.
      if (prepared === 1) {
        const stale = claimOn(claim);
        await events.append(claim, [claimOn(claim).events[0]], 'no_stream');
        return { alongside: [stale] };
      }
      return { alongside: [claimOn(claim, 0)] };
    };
    await handleCommand({ events }, COUNTER, s, { n: 5 }, ctx(), { prepare });
    expect(prepared).toBe(2);
    expect(await revisions(claim)).toEqual([0, 1]);
    expect(await revisions(s)).toEqual([0]);
  });

  it('writes none of them when the command\'s own stream moved, and gives up after its attempts', async () => {
    const [s, claim] = [await given(1), stream()];
    const prepare = async () => {
      await handleCommand({ events }, COUNTER, s, { n: 100 }, ctx({ requestId: 'other' }));
      return { alongside: [claimOn(claim)] };
    };
    await expect(handleCommand({ events }, COUNTER, s, { n: 5 }, ctx(), { prepare, maxAttempts: 3 })).rejects.toThrow(/after 3 attempts/);
    expect(await revisions(claim)).toEqual([]);
    expect((await events.readStream(s)).map((e) => e.data.n)).toEqual([1, 100, 100, 100]);
  });
});

describe('loadStream from what this process knows of the stream', () => {
  it('reads only the events after the known revision, and folds in what another process appended', async () => {
    const s = await given(3);
    const other = new SqliteEventStore(join(dir, 'events.sqlite'));
    try {
      await other.append(s, toEventsToAppend([{ type: 'Added', data: { n: 10 }, occurredAt: '2024-01-01T00:00:00.000+00:00' }], ctx(), COUNTER.schema), 2);
    } finally {
      await other.close();
    }
    const reads = jest.spyOn(events, 'readStream');
    const loaded = await loadStream(events, s, COUNTER);
    expect(reads).toHaveBeenCalledWith(s, 3);
    expect(loaded).toEqual({ state: 13, expected: 3 });
    // And the next command is decided on that state, at that revision.
    expect((await handleCommand({ events }, COUNTER, s, { n: 1 }, ctx())).after).toBe(14);
    expect(await revisions(s)).toEqual([0, 1, 2, 3, 4]);
  });

  it('shares a state among the use cases of one aggregate (same evolve and schema, another decide), and not with another fold', async () => {
    const s = await given(2);
    const reads = jest.spyOn(events, 'readStream');
    const doubling: Aggregate<{ n: number }, Added, number> = { ...COUNTER, decider: { ...COUNTER.decider, decide: ({ n }) => COUNTER.decider.decide({ n: 2 * n }, 0) } };
    expect((await handleCommand({ events }, doubling, s, { n: 1 }, ctx())).after).toBe(4);
    expect(reads).toHaveBeenLastCalledWith(s, 2);
    // Another evolve folds the same events into another state: it reads the stream whole.
    const negated: Aggregate<{ n: number }, Added, number> = { ...COUNTER, decider: { ...COUNTER.decider, evolve: (st, e) => st - e.data.n } };
    expect((await loadStream(events, s, negated)).state).toBe(-4);
    expect(reads).toHaveBeenLastCalledWith(s, 0);
  });

  it('forgets a stream\'s state when its store says the stream\'s events now read otherwise (an erasure)', async () => {
    const redacted: Array<(streamId: string) => void> = [];
    const erasing = new (class extends SqliteEventStore {
      override onStreamRedacted(listener: (streamId: string) => void): void {
        redacted.push(listener);
      }
    })(join(dir, 'erasing.sqlite'));
    try {
      const s = stream();
      await handleCommand({ events: erasing }, COUNTER, s, { n: 1 }, ctx());
      const reads = jest.spyOn(erasing, 'readStream');
      await loadStream(erasing, s, COUNTER);
      expect(reads).toHaveBeenLastCalledWith(s, 1);
      redacted.forEach((listener) => listener(s));
      await loadStream(erasing, s, COUNTER);
      expect(reads).toHaveBeenLastCalledWith(s, 0);
    } finally {
      await erasing.close();
    }
  });

  it('gives out states no caller can change', async () => {
    type Noted = DomainEvent<'Noted', { note: string }>;
    const NOTES: Aggregate<{ note: string }, Noted, { notes: string[] }> = {
      decider: { decide: ({ note }) => [{ type: 'Noted', data: { note }, occurredAt: '2024-01-01T00:00:00.000+00:00' }], evolve: (st, e) => ({ notes: [...st.notes, e.data.note] }), initialState: () => ({ notes: [] }) },
      schema: { types: ['Noted'], schemaVersion: 1 },
    };
    const s = stream();
    await handleCommand({ events }, NOTES, s, { note: 'first' }, ctx());
    const { state } = await loadStream(events, s, NOTES);
    expect(() => state.notes.push('sneaked in')).toThrow(TypeError);
    expect((await loadStream(events, s, NOTES)).state).toEqual({ notes: ['first'] });
  });
});
