import { randomUUID } from 'node:crypto';
import { EventToAppend, openEventStoreDb, WrongExpectedRevisionError } from '@lib/event-store';
import { FakeEventStoreDbClient } from '@lib/event-store/testing';
import { AppendOutcome, TimedEventStore } from './timed-event-store';

const event = (): EventToAppend => ({
  id: randomUUID(),
  type: 'Noted',
  data: { n: 1 },
  metadata: { eventId: randomUUID(), occurredAt: '2030-01-01T00:00:00.000+00:00', schemaVersion: 1, actor: { type: 'system', id: 'spec' }, requestId: 'r', ip: '', userAgent: '' },
});

describe('TimedEventStore', () => {
  const observed: Array<{ outcome: AppendOutcome; seconds: number }> = [];
  // The EventStoreDB adapter over the in-memory double of its client: a real adapter, no I/O.
  const store = new TimedEventStore(openEventStoreDb(new FakeEventStoreDbClient() as never), (outcome, seconds) => observed.push({ outcome, seconds }));
  afterAll(() => store.close());

  it('times each append by how it ended, and answers what the store answered', async () => {
    const first = await store.append('s-1', [event()], 'no_stream');
    await expect(store.append('s-1', [event()], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(first.nextRevision).toBe(0);
    expect(observed.map((o) => o.outcome)).toEqual(['appended', 'conflict']);
    expect(observed.every((o) => o.seconds >= 0 && Number.isFinite(o.seconds))).toBe(true);
  });

  it('passes reads, subscriptions and positions through to the store untimed', async () => {
    observed.length = 0;
    const { position } = await store.append('s-2', [event()], 'no_stream');
    const all = await store.readAll(null, 100);
    expect(all.at(-1)!.position).toBe(position);
    expect((await store.readStream('s-2')).map((e) => e.data)).toEqual([{ n: 1 }]);
    expect(store.comparePositions(all[0].position, position)).toBeLessThan(0);
    expect(await store.identity()).toEqual(expect.any(String));
    expect(observed.map((o) => o.outcome)).toEqual(['appended']);
  });

  it('counts an append the store could not make as failed, and rethrows its error', async () => {
    const seen: AppendOutcome[] = [];
    const closed = new TimedEventStore(openEventStoreDb(new FakeEventStoreDbClient() as never), (outcome) => seen.push(outcome));
    await closed.close();
    await expect(closed.append('s-3', [event()], 'any')).rejects.toThrow();
    expect(seen).toEqual(['failed']);
  });
});
