import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '../../test/event-store.contract';
import { EventToAppend, RecordedEvent, WrongExpectedRevisionError } from '../event-store.port';
import { EventStoreDbEventStore, EventStoreDbEventStoreOptions, LOG_IDENTITY_STREAM } from './eventstoredb-event-store';
import { decodePosition, fromSortKey } from './eventstoredb-position';
import { FakeEventStoreDbClient, FakeEventStoreDbOptions } from '../../test/fake-eventstoredb-client';

// The adapter's own logic (paging, exclusivity, filtering, subscription lifecycle, error mapping,
// retries) against an in-process double of the client and server (test/fake-eventstoredb-client.ts).
// This does not replace the contract run against a real EventStoreDB (eventstoredb-event-store.spec.ts).
const onDouble = (options: FakeEventStoreDbOptions, storeOptions: EventStoreDbEventStoreOptions = {}) => async () => {
  const fake = new FakeEventStoreDbClient(options);
  return async () => new EventStoreDbEventStore(fake.asClient(), storeOptions);
};
describeEventStoreContract('eventstoredb adapter on the double, with system records in the log', onDouble({ systemNoise: true }, { readPageSize: 3 }));
describeEventStoreContract(
  'eventstoredb adapter on the double, re-delivering the start record, appends without a position',
  onDouble({ systemNoise: true, redeliverStartRecord: true, omitAppendPosition: true }),
);
describeEventStoreContract(
  'eventstoredb adapter on the double, explicit-transaction layout (events share a commit position)',
  onDouble({ legacyTransactions: true, systemNoise: true }, { readPageSize: 2 }),
);

describe('EventStoreDbEventStore on a fake client', () => {
  const event = (type: string, data: Record<string, unknown> = {}): EventToAppend => ({
    id: randomUUID(),
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      occurredAt: '2024-01-01T00:00:00.000+00:00',
      schemaVersion: 1,
      actor: { type: 'system', id: 't' },
      requestId: 'r',
      ip: '',
      userAgent: '',
    },
  });
  const until = async (condition: () => boolean) => {
    const deadline = Date.now() + 3000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('reports the stream, the expected and the actual revision of a conflict', async () => {
    const store = new EventStoreDbEventStore(new FakeEventStoreDbClient().asClient());
    await store.append('user-1', [event('A'), event('B')], 'no_stream');
    const conflict = await store.append('user-1', [event('C')], 0).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
    expect(conflict).toMatchObject({ streamId: 'user-1', expected: 0, actual: 1 });
    const missing = await store.append('user-2', [event('C')], 'stream_exists').catch((e: unknown) => e);
    expect(missing).toMatchObject({ streamId: 'user-2', expected: 'stream_exists', actual: 'no_stream' });
    await store.close();
  });

  it('keeps positions past 2^53 exact: position, sortKey and the server\'s numbers agree digit for digit', async () => {
    const fake = new FakeEventStoreDbClient({ startPosition: (1n << 62n) + 7n });
    const store = new EventStoreDbEventStore(fake.asClient());
    const result = await store.append('user-1', [event('A'), event('B')], 'no_stream');
    const read = await store.readStream('user-1');
    const fromLog = fake.records.filter((r) => r.streamId === 'user-1').map((r) => r.position);
    expect(read.map((e) => decodePosition(e.position))).toEqual(fromLog);
    expect(read.map((e) => fromSortKey(e.sortKey))).toEqual(fromLog);
    expect(fromLog[0].commit).toBeGreaterThan(1n << 53n);
    const digits = (n: bigint) => n.toString().padStart(20, '0');
    expect(read[0].position).toBe(`${digits(fromLog[0].commit)}/${digits(fromLog[0].prepare)}`);
    expect(result.position).toBe(read[1].position);
    expect(await store.readAll(read[0].position, 10)).toEqual([read[1]]);
    await store.close();
  });

  it('retries an append whose reply was lost: the server recognises the ids, nothing is written twice', async () => {
    const fake = new FakeEventStoreDbClient();
    const store = new EventStoreDbEventStore(fake.asClient(), { retryDelayMs: 1 });
    const created = await store.append('user-1', [event('A'), event('B')], 'no_stream');
    for (const [expected, kind] of [['no_stream', 'unavailable'], [1, 'deadline-exceeded']] as const) {
      const s = expected === 'no_stream' ? 'user-2' : 'user-1';
      fake.loseNextAppendReply(kind);
      const calls = fake.calls.appendToStream;
      const result = await store.append(s, [event('C'), event('D')], expected);
      expect(fake.calls.appendToStream).toBe(calls + 2);
      const read = await store.readStream(s);
      expect(read.map((e) => e.type)).toEqual(expected === 'no_stream' ? ['C', 'D'] : ['A', 'B', 'C', 'D']);
      expect(result).toEqual({ nextRevision: read.length - 1, position: read[read.length - 1].position });
    }
    expect(created.nextRevision).toBe(1);
    fake.failNextAppend();
    await store.append('user-3', [event('E')], 'no_stream');
    expect((await store.readStream('user-3')).map((e) => e.type)).toEqual(['E']);
    await store.close();
  });

  it('retries an `any` append once, even when the node restarted and forgot the ids', async () => {
    const fake = new FakeEventStoreDbClient();
    const store = new EventStoreDbEventStore(fake.asClient(), { retryDelayMs: 1 });
    await store.append('user-1', [event('A')], 'no_stream');
    fake.loseNextAppendReply('unavailable', { restart: true });
    const result = await store.append('user-1', [event('B'), event('C')], 'any');
    const read = await store.readStream('user-1');
    expect(read.map((e) => e.type)).toEqual(['A', 'B', 'C']);
    expect(result).toEqual({ nextRevision: 2, position: read[2].position });
    fake.failNextAppend();
    await store.append('user-1', [event('D')], 'stream_exists');
    expect((await store.readStream('user-1')).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
    await store.close();
  });

  it('gives up after the configured attempts with the client\'s error, and never retries a conflict', async () => {
    const fake = new FakeEventStoreDbClient();
    const store = new EventStoreDbEventStore(fake.asClient(), { appendAttempts: 2, retryDelayMs: 1 });
    fake.failNextAppend();
    fake.failNextAppend();
    await expect(store.append('user-1', [event('A')], 'no_stream')).rejects.toMatchObject({ type: 'unavailable' });
    expect(fake.calls.appendToStream).toBe(2);
    await store.append('user-1', [event('A')], 'no_stream');
    const conflict = await store.append('user-1', [event('B')], 'no_stream').catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
    expect(fake.calls.appendToStream).toBe(4);
    expect(JSON.parse(JSON.stringify(conflict))).toMatchObject({ streamId: 'user-1', actual: 0, cause: { actualVersion: '0', expectedVersion: 'no_stream' } });
    await store.close();
  });

  it('writes the log identity once, to its own stream, and reads it back on every store', async () => {
    const fake = new FakeEventStoreDbClient({ systemNoise: true });
    const [a, b] = [new EventStoreDbEventStore(fake.asClient()), new EventStoreDbEventStore(fake.asClient())];
    const [idA, idB] = await Promise.all([a.identity(), b.identity()]);
    expect(idA).toBe(idB);
    const identityRecords = fake.records.filter((r) => r.streamId === LOG_IDENTITY_STREAM);
    expect(identityRecords).toHaveLength(1);
    expect(JSON.parse(Buffer.from(identityRecords[0].data).toString())).toEqual({ logId: idA });
    expect(await a.readAll(null, 100)).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it('pages the global log without gaps or repeats while skipping system records, whatever the page sizes', async () => {
    const fake = new FakeEventStoreDbClient({ systemNoise: true });
    const store = new EventStoreDbEventStore(fake.asClient(), { readPageSize: 2 });
    fake.writeRaw('$settings', '$settings', {});
    for (let i = 0; i < 12; i++) await store.append(`s${i % 3}-x`, [event(`E${i}`), event(`F${i}`)], 'any');
    const everything = await store.readAll(null, 1000);
    expect(everything.map((e) => e.type)).toEqual(Array.from({ length: 12 }, (_, i) => [`E${i}`, `F${i}`]).flat());
    for (const pageSize of [1, 2, 5, 7]) {
      const paged: RecordedEvent[] = [];
      let after: string | null = null;
      for (;;) {
        const page: RecordedEvent[] = await store.readAll(after, pageSize);
        paged.push(...page);
        if (page.length < pageSize) break;
        after = page[page.length - 1].position;
      }
      expect(paged).toEqual(everything);
    }
    expect(await store.readAll(everything[everything.length - 1].position, 10)).toEqual([]);
    expect(await store.readAll(null, 0)).toEqual([]);
    await store.close();
  });

  it('reads back the position when the append reply has none', async () => {
    const fake = new FakeEventStoreDbClient({ omitAppendPosition: true });
    const store = new EventStoreDbEventStore(fake.asClient());
    const result = await store.append('user-1', [event('A'), event('B')], 'no_stream');
    const read = await store.readStream('user-1');
    expect(result).toEqual({ nextRevision: 1, position: read[1].position });
    expect(fake.calls.readStream).toBe(2);
    await store.close();
  });

  it('says which server version it needs when stream reads carry no positions', async () => {
    const store = new EventStoreDbEventStore(new FakeEventStoreDbClient({ omitStreamReadPositions: true }).asClient());
    await store.append('user-1', [event('A')], 'no_stream');
    await expect(store.readStream('user-1')).rejects.toThrow(/22\.6/);
    await store.close();
  });

  it('refuses events another writer put in the log instead of passing them on half-mapped', async () => {
    const fake = new FakeEventStoreDbClient();
    const store = new EventStoreDbEventStore(fake.asClient());
    fake.writeRaw('foreign-1', 'Binary', 'bytes', { isJson: false });
    await expect(store.readStream('foreign-1')).rejects.toThrow(/not a JSON object/);
    await expect(store.readAll(null, 10)).rejects.toThrow(/not a JSON object/);
    await store.close();
  });

  it('stop() waits for the handler in flight and nothing is delivered afterwards', async () => {
    const fake = new FakeEventStoreDbClient();
    const store = new EventStoreDbEventStore(fake.asClient());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    const sub = store.subscribeAll(null, async (e) => {
      seen.push(e.type);
      await gate;
    });
    await store.append('user-1', [event('A'), event('B')], 'no_stream');
    await until(() => seen.length === 1);
    let stopped = false;
    const stopping = sub.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    await store.append('user-1', [event('C')], 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['A']);
    await store.close();
  });

  it('reports a subscription the server dropped (UNAVAILABLE) or ended', async () => {
    const fake = new FakeEventStoreDbClient();
    const store = new EventStoreDbEventStore(fake.asClient());
    for (const [how, message] of [['error', /UNAVAILABLE/], ['end', /ended unexpectedly/]] as const) {
      const errors: unknown[] = [];
      const sub = store.subscribeAll(null, async () => undefined, (err) => errors.push(err));
      await new Promise((r) => setTimeout(r, 10));
      fake.dropSubscriptions(how);
      await until(() => errors.length === 1);
      expect(String(errors[0])).toMatch(message);
      await sub.stop();
    }
    await store.close();
  });

  it('close() stops running subscriptions and leaves a caller-owned client open', async () => {
    const fake = new FakeEventStoreDbClient();
    const store = new EventStoreDbEventStore(fake.asClient());
    const errors: unknown[] = [];
    store.subscribeAll(null, async () => undefined, (err) => errors.push(err));
    await new Promise((r) => setTimeout(r, 10));
    await store.close();
    expect(errors).toEqual([]);
    expect(fake.disposed).toBe(false);
    await expect(store.append('s', [event('A')], 'any')).rejects.toThrow(/closed/);
  });
});
