import { randomUUID } from 'node:crypto';
import { EventStore, EventToAppend, RecordedEvent, WrongExpectedRevisionError } from '../src/event-store.port';

/** Every event-store adapter runs this suite; `open` must return a fresh, empty store. */
export function describeEventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const event = (type: string, data: Record<string, unknown> = {}): EventToAppend => ({
      id: randomUUID(),
      type,
      data,
      metadata: {
        eventId: randomUUID(),
        occurredAt: '2024-01-01T00:00:00.000+00:00',
        schemaVersion: 1,
        actor: { type: 'system', id: 'test' },
        requestId: 'r1',
        ip: '127.0.0.1',
        userAgent: 'jest',
      },
    });
    const stream = () => `test-${randomUUID()}`;

    it('appends to a new stream with no_stream and reads it back in order with data and metadata', async () => {
      const s = stream();
      const a = event('A', { n: 1, nested: { z: 1, a: [1, 2] } });
      const b = event('B', { n: 2 });
      const result = await store.append(s, [a, b], 'no_stream');
      expect(result.nextRevision).toBe(1);
      const read = await store.readStream(s);
      expect(read.map((e) => [e.type, e.revision, e.id, e.streamId])).toEqual([
        ['A', 0, a.id, s],
        ['B', 1, b.id, s],
      ]);
      expect(read[0].data).toEqual({ n: 1, nested: { z: 1, a: [1, 2] } });
      expect(Object.keys(read[0].data.nested as object)).toEqual(['z', 'a']);
      expect(read[0].metadata).toEqual(a.metadata);
      expect(read[1].position).toBe(result.position);
    });

    it('reads an absent stream as empty', async () => {
      expect(await store.readStream(stream())).toEqual([]);
    });

    it('enforces expected revisions', async () => {
      const s = stream();
      await expect(store.append(s, [event('A')], 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(s, [event('A')], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await store.append(s, [event('A')], 'no_stream');
      await expect(store.append(s, [event('B')], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(s, [event('B')], 1)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await store.append(s, [event('B')], 0);
      await store.append(s, [event('C')], 'stream_exists');
      await store.append(s, [event('D')], 'any');
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
    });

    it('lets exactly one of many concurrent appends with the same expected revision win', async () => {
      const s = stream();
      await store.append(s, [event('A')], 'no_stream');
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.append(s, [event(`B${i}`)], 0)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(s)).toHaveLength(2);
    });

    it('treats a retried append of the same event ids as already done', async () => {
      const s = stream();
      const a = event('A');
      const first = await store.append(s, [a], 'no_stream');
      const again = await store.append(s, [a], 'no_stream');
      expect(again).toEqual(first);
      expect(await store.readStream(s)).toHaveLength(1);
    });

    it('reads the global log in append order, strictly after a position, in pages', async () => {
      const before = await lastPosition(store);
      const s1 = stream();
      const s2 = stream();
      await store.append(s1, [event('A')], 'no_stream');
      await store.append(s2, [event('B')], 'no_stream');
      await store.append(s1, [event('C')], 0);
      const all = await readEverythingAfter(store, before);
      expect(all.map((e) => e.type)).toEqual(['A', 'B', 'C']);
      for (let i = 1; i < all.length; i++) expect(store.comparePositions(all[i - 1].position, all[i].position)).toBeLessThan(0);
      const page = await store.readAll(all[0].position, 1);
      expect(page.map((e) => e.type)).toEqual(['B']);
    });

    it('subscribes from a position: catches up, then receives live events, in order', async () => {
      const before = await lastPosition(store);
      const s = stream();
      await store.append(s, [event('A'), event('B')], 'no_stream');
      const seen: RecordedEvent[] = [];
      const sub = store.subscribeAll(before, async (e) => {
        seen.push(e);
      });
      await store.append(s, [event('C')], 1);
      await waitUntil(() => seen.length >= 3);
      await sub.stop();
      expect(seen.map((e) => e.type)).toEqual(['A', 'B', 'C']);
      const resumed: string[] = [];
      const sub2 = store.subscribeAll(seen[1].position, async (e) => {
        resumed.push(e.type);
      });
      await waitUntil(() => resumed.length >= 1);
      await sub2.stop();
      expect(resumed).toEqual(['C']);
    });

    it('stops a subscription whose handler fails and reports the error', async () => {
      const before = await lastPosition(store);
      await store.append(stream(), [event('A'), event('B')], 'no_stream');
      const errors: unknown[] = [];
      const seen: string[] = [];
      const sub = store.subscribeAll(
        before,
        async (e) => {
          seen.push(e.type);
          throw new Error('boom');
        },
        (err) => errors.push(err),
      );
      await waitUntil(() => errors.length === 1);
      await sub.stop();
      expect(seen).toEqual(['A']);
    });
  });
}

async function lastPosition(store: EventStore): Promise<string | null> {
  const all = await readEverythingAfter(store, null);
  return all.length ? all[all.length - 1].position : null;
}

async function readEverythingAfter(store: EventStore, after: string | null): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let from = after;
  for (;;) {
    const page = await store.readAll(from, 1000);
    out.push(...page);
    if (page.length < 1000) return out;
    from = page[page.length - 1].position;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
