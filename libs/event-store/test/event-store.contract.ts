import { randomUUID } from 'node:crypto';
import { EventStore, EventToAppend, RecordedEvent, WrongExpectedRevisionError } from '../src/event-store.port';

/** Opens a store on one log; every call is another process, or a restart, on the same log. */
export type OpenStore = () => Promise<EventStore>;

export interface EventStoreContractOptions {
  /** False when every newLog() is in fact the same log (one shared server): the test that two logs differ is left out. */
  distinctLogs?: boolean;
  /** Whether the store claims appendsAtomically: then its appendToStreams is tested as all or nothing, else as refused. */
  atomicAppends?: boolean;
}

/**
 * Every event-store adapter runs this suite. `newLog` creates a log (a fresh one where the adapter
 * can) and returns how to open stores on it.
 */
export function describeEventStoreContract(name: string, newLog: () => Promise<OpenStore>, options: EventStoreContractOptions = {}): void {
  describe(`event store contract: ${name}`, () => {
    let open: OpenStore;
    let store: EventStore;
    const extra: EventStore[] = [];
    beforeEach(async () => {
      open = await newLog();
      store = await open();
    });
    afterEach(async () => {
      await Promise.all(extra.splice(0).map((s) => s.close()));
      await store.close();
    });
    const another = async (opener: OpenStore = open) => {
      const s = await opener();
      extra.push(s);
      return s;
    };

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

    it('reads a stream from a revision on: its end, as another reader appended it', async () => {
      const s = stream();
      await store.append(s, [event('A', { n: 0 }), event('B', { n: 1 }), event('C', { n: 2 })], 'no_stream');
      await (await another()).append(s, [event('D', { n: 3 })], 2);
      const tail = await store.readStream(s, 2);
      expect(tail.map((e) => [e.type, e.revision, e.data.n])).toEqual([
        ['C', 2, 2],
        ['D', 3, 3],
      ]);
      expect(tail).toEqual((await store.readStream(s)).slice(2));
      expect(await store.readStream(s, 4)).toEqual([]);
      expect(await store.readStream(stream(), 1)).toEqual([]);
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

    it(`says it ${options.atomicAppends ? 'appends' : 'does not append'} to several streams atomically`, () => {
      expect(store.appendsAtomically).toBe(options.atomicAppends ?? false);
    });

    if (options.atomicAppends) {
      it('appends to several streams at once, each at its own expected revision, in order', async () => {
        const before = await lastPosition(store);
        const [s1, s2, s3] = [stream(), stream(), stream()];
        await store.append(s2, [event('X')], 'no_stream');
        const results = await store.appendToStreams([
          { streamId: s1, events: [event('A'), event('B')], expected: 'no_stream' },
          { streamId: s2, events: [event('C')], expected: 0 },
          { streamId: s3, events: [event('D')], expected: 'any' },
        ]);
        expect(results.map((r) => r.nextRevision)).toEqual([1, 1, 0]);
        const all = await readEverythingAfter(store, before);
        expect(all.map((e) => e.type)).toEqual(['X', 'A', 'B', 'C', 'D']);
        expect(results.map((r) => r.position)).toEqual([all[2].position, all[3].position, all[4].position]);
        expect((await store.readStream(s2)).map((e) => [e.type, e.revision])).toEqual([['X', 0], ['C', 1]]);
      });

      it('writes nothing on any stream when the expected revision of one does not hold', async () => {
        const [held, free] = [stream(), stream()];
        await store.append(held, [event('X')], 'no_stream');
        const before = await lastPosition(store);
        for (const parts of [
          [{ streamId: held, events: [event('A')], expected: 'no_stream' as const }, { streamId: free, events: [event('B')], expected: 'no_stream' as const }],
          [{ streamId: free, events: [event('B')], expected: 'no_stream' as const }, { streamId: held, events: [event('A')], expected: 5 }],
        ]) {
          const failure = await store.appendToStreams(parts).catch((err: unknown) => err);
          expect(failure).toBeInstanceOf(WrongExpectedRevisionError);
          expect((failure as WrongExpectedRevisionError).streamId).toBe(held);
        }
        expect(await store.readStream(free)).toEqual([]);
        expect(await store.readStream(held)).toHaveLength(1);
        expect(await readEverythingAfter(store, before)).toEqual([]);
      });

      it('lets one of many concurrent appends on a shared stream win, and writes none of the losers\' streams', async () => {
        const shared = stream();
        const own = Array.from({ length: 20 }, () => stream());
        const results = await Promise.allSettled(
          own.map((s) => store.appendToStreams([{ streamId: shared, events: [event('Claim')], expected: 'no_stream' }, { streamId: s, events: [event('Own')], expected: 'no_stream' }])),
        );
        const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        expect(won).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(WrongExpectedRevisionError);
        for (const [i, s] of own.entries()) expect(await store.readStream(s)).toHaveLength(i === won[0] ? 1 : 0);
        // A plain append issued with a failing one is not failed by it.
        const plain = stream();
        const [lost, alone] = await Promise.allSettled([
          store.appendToStreams([{ streamId: shared, events: [event('Claim')], expected: 'no_stream' }, { streamId: stream(), events: [event('Own')], expected: 'no_stream' }]),
          store.append(plain, [event('P')], 'no_stream'),
        ]);
        expect(lost.status).toBe('rejected');
        expect(alone.status).toBe('fulfilled');
        expect(await store.readStream(shared)).toHaveLength(1);
      });

      it('treats a retried append to several streams of the same event ids as already done', async () => {
        const parts = [
          { streamId: stream(), events: [event('A')], expected: 'no_stream' as const },
          { streamId: stream(), events: [event('B'), event('C')], expected: 'no_stream' as const },
        ];
        const first = await store.appendToStreams(parts);
        expect(await store.appendToStreams(parts)).toEqual(first);
        expect(await store.readStream(parts[1].streamId)).toHaveLength(2);
      });

      it('refuses an append to several streams that names a stream twice', async () => {
        const s = stream();
        await expect(store.appendToStreams([{ streamId: s, events: [event('A')], expected: 'no_stream' }, { streamId: s, events: [event('B')], expected: 0 }])).rejects.toThrow();
        expect(await store.readStream(s)).toEqual([]);
      });
    } else {
      it('refuses an append to several streams, writing nothing', async () => {
        const [s1, s2] = [stream(), stream()];
        await expect(store.appendToStreams([{ streamId: s1, events: [event('A')], expected: 'no_stream' }, { streamId: s2, events: [event('B')], expected: 'no_stream' }])).rejects.toThrow(/atomically/);
        expect(await store.readStream(s1)).toEqual([]);
        expect(await store.readStream(s2)).toEqual([]);
      });
    }

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

    it('counts the events of the global log as a read of all of it finds them', async () => {
      await store.append(stream(), [event('A'), event('B')], 'no_stream');
      const count = await store.countAll();
      expect(count).toBe((await readEverythingAfter(store, null)).length);
      expect(count).toBeGreaterThanOrEqual(2);
      await store.append(stream(), [event('C')], 'no_stream');
      expect(await store.countAll()).toBe(count + 1);
    });

    it('gives every event a 40-digit sortKey whose text order is the log order, the same in every read', async () => {
      const before = await lastPosition(store);
      const s1 = stream();
      const s2 = stream();
      await store.append(s1, [event('A'), event('B'), event('C')], 'no_stream');
      await store.append(s2, [event('D')], 'no_stream');
      await store.append(s1, [event('E'), event('F')], 2);
      const all = await readEverythingAfter(store, before);
      expect(all.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
      for (const e of all) expect(e.sortKey).toMatch(/^\d{40}$/);
      for (const a of all) {
        for (const b of all) {
          const byText = a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0;
          expect(byText).toBe(Math.sign(store.comparePositions(a.position, b.position)));
        }
      }
      const fromStreams = [...(await store.readStream(s1)), ...(await store.readStream(s2))];
      const sortKeyOf = new Map(all.map((e) => [e.id, e.sortKey]));
      for (const e of fromStreams) expect(e.sortKey).toBe(sortKeyOf.get(e.id));
    });

    it('has one identity for every store opened on the log, before and after a reopen', async () => {
      const id = await store.identity();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(await store.identity()).toBe(id);
      const second = await another();
      expect(await second.identity()).toBe(id);
      await second.close();
      expect(await (await another()).identity()).toBe(id);
    });

    it('agrees on the identity when several stores ask for it first at the same time', async () => {
      const stores = [store, await another(), await another()];
      const ids = await Promise.all(stores.map((s) => s.identity()));
      expect(new Set(ids).size).toBe(1);
      expect(await (await another()).identity()).toBe(ids[0]);
    });

    it('keeps whatever records the identity out of readAll and subscribeAll', async () => {
      const before = await lastPosition(store);
      await (await another()).identity();
      await store.identity();
      const s = stream();
      await store.append(s, [event('A')], 'no_stream');
      expect((await readEverythingAfter(store, before)).map((e) => e.streamId)).toEqual([s]);
      const seen: RecordedEvent[] = [];
      const sub = store.subscribeAll(before, async (e) => {
        seen.push(e);
      });
      await waitUntil(() => seen.length >= 1);
      await store.append(s, [event('B')], 0);
      await waitUntil(() => seen.length >= 2);
      await sub.stop();
      expect(seen.map((e) => e.type)).toEqual(['A', 'B']);
    });

    if (options.distinctLogs !== false) {
      it('gives another log another identity', async () => {
        const other = await another(await newLog());
        expect(await other.identity()).not.toBe(await store.identity());
      });
    }

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
