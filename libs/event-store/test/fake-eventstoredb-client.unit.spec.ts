import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import type { AppendExpectedRevision, Position } from '@eventstore/db-client';
import { DEFAULT_START_POSITION, FakeEventStoreDbClient } from './fake-eventstoredb-client';

// The double's own behaviour, checked against what the client (node_modules/@eventstore/db-client)
// and the server (EventStore/EventStore src/EventStore.Core) do; see the notes in the double.
const ev = (type = 'E', id = randomUUID()) => jsonEvent({ id, type, data: { type }, metadata: { m: 1 } });
const drain = async <T>(read: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of read) out.push(item);
  return out;
};
const events = (read: AsyncIterable<{ event?: { type: string; position?: Position; streamId: string } }>) =>
  drain(read).then((all) => all.map((r) => r.event!));

describe('FakeEventStoreDbClient (the EventStoreDB double)', () => {
  it('starts past 2^53 with the node\'s own records, and positions every event of an append at its own record', async () => {
    const fake = new FakeEventStoreDbClient();
    const first = await fake.appendToStream('user-1', [ev('A'), ev('B'), ev('C')], { expectedRevision: NO_STREAM });
    const all = await events(fake.readAll());
    expect(all[0].streamId.startsWith('$')).toBe(true);
    expect(all[0].position!.commit).toBe(DEFAULT_START_POSITION);
    const ours = all.filter((e) => e.streamId === 'user-1');
    expect(ours.map((e) => e.type)).toEqual(['A', 'B', 'C']);
    for (const e of ours) expect(e.position!.commit).toBe(e.position!.prepare);
    for (let i = 1; i < ours.length; i++) expect(ours[i].position!.commit).toBeGreaterThan(ours[i - 1].position!.commit);
    // The reply carries the last event's offset as commit and prepare, and the last revision.
    expect(first).toEqual({ success: true, nextExpectedRevision: 2n, position: ours[2].position });
    const read = await drain(fake.readStream('user-1'));
    expect(read.map((r) => r.event!.position)).toEqual(ours.map((e) => e.position));
    expect(read[0].event).toMatchObject({ revision: 0n, isJson: true, data: { type: 'A' }, metadata: { m: 1 } });
  });

  it('in the explicit-transaction layout, events of one append share the commit position', async () => {
    const fake = new FakeEventStoreDbClient({ legacyTransactions: true });
    const reply = await fake.appendToStream('user-1', [ev('A'), ev('B')]);
    const [a, b] = await events(fake.readStream('user-1'));
    expect(a.position!.commit).toBe(b.position!.commit);
    expect(a.position!.prepare).toBeLessThan(b.position!.prepare);
    expect(a.position!.commit).toBeGreaterThan(b.position!.prepare);
    expect(reply.position).toEqual(b.position);
  });

  it('answers a repeated write of the events already behind `expected` with the original result, writing nothing', async () => {
    const fake = new FakeEventStoreDbClient();
    const [a, b, c] = [ev('A'), ev('B'), ev('C')];
    const first = await fake.appendToStream('s', [a, b], { expectedRevision: NO_STREAM });
    expect(await fake.appendToStream('s', [a, b], { expectedRevision: NO_STREAM })).toEqual(first);
    expect(await fake.appendToStream('s', [a], { expectedRevision: NO_STREAM })).toMatchObject({ nextExpectedRevision: 0n });
    expect(await fake.appendToStream('s', [b], { expectedRevision: 0n })).toEqual(first);
    const second = await fake.appendToStream('s', [c], { expectedRevision: 1n });
    expect(await fake.appendToStream('s', [c], { expectedRevision: 1n })).toEqual(second);
    expect((await events(fake.readStream('s'))).map((e) => e.type)).toEqual(['A', 'B', 'C']);
  });

  it('rejects other ids, partial matches and longer batches behind `expected` with the client\'s WrongExpectedVersionError', async () => {
    const fake = new FakeEventStoreDbClient();
    const [a, b] = [ev('A'), ev('B')];
    await fake.appendToStream('s', [a, b], { expectedRevision: NO_STREAM });
    const cases: Array<[ReturnType<typeof ev>[], AppendExpectedRevision]> = [
      [[ev()], NO_STREAM],
      [[a, ev()], NO_STREAM],
      [[a, b, ev()], NO_STREAM],
      [[ev()], 0n],
      [[ev()], 5n],
    ];
    for (const [batch, expectedRevision] of cases) {
      const err = await fake.appendToStream('s', batch, { expectedRevision }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WrongExpectedVersionError);
      expect(err).toMatchObject({ type: 'wrong-expected-version', streamName: 's', expectedVersion: expectedRevision, actualVersion: 1n, message: '' });
    }
    const missing = await fake.appendToStream('t', [ev()], { expectedRevision: STREAM_EXISTS }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ expectedVersion: 'stream_exists', actualVersion: 'no_stream' });
    expect(await events(fake.readStream('s'))).toHaveLength(2);
  });

  it('with `any`, recognises ids only while it remembers them: after a restart they are written again', async () => {
    const fake = new FakeEventStoreDbClient();
    const a = ev('A');
    const first = await fake.appendToStream('s', a);
    expect(await fake.appendToStream('s', a, { expectedRevision: ANY })).toEqual(first);
    expect(await fake.appendToStream('s', a, { expectedRevision: STREAM_EXISTS })).toEqual(first);
    await expect(fake.appendToStream('s', [a, ev()])).rejects.toBeInstanceOf(WrongExpectedVersionError);
    fake.restartServer();
    await fake.appendToStream('s', a);
    // At the stream's end the server checks nothing: a reused id is just another event.
    await fake.appendToStream('s', a, { expectedRevision: 1n });
    expect((await events(fake.readStream('s'))).map((e) => e.type)).toEqual(['A', 'A', 'A']);
  });

  it('fails a read of a missing stream with StreamNotFoundError; reads backwards', async () => {
    const fake = new FakeEventStoreDbClient();
    const err = await drain(fake.readStream('nope')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamNotFoundError);
    expect(err).toMatchObject({ type: 'stream-not-found', streamName: 'nope', message: 'nope not found' });
    await fake.appendToStream('s', [ev('A'), ev('B'), ev('C')]);
    const back = await events(fake.readStream('s', { direction: BACKWARDS, fromRevision: END, maxCount: 2 }));
    expect(back.map((e) => e.type)).toEqual(['C', 'B']);
  });

  it('reads $all from a position inclusively; subscribes after it, confirmed, caught up, then live, filtered', async () => {
    const fake = new FakeEventStoreDbClient({ systemNoise: true });
    await fake.appendToStream('s', [ev('A'), ev('B')]);
    const [a, b] = await events(fake.readStream('s'));
    expect((await events(fake.readAll({ fromPosition: a.position!, maxCount: 2 }))).map((e) => e.type)).toEqual(['A', 'B']);
    const sub = fake.subscribeToAll({ fromPosition: a.position!, filter: excludeSystemEvents() });
    const seen: string[] = [];
    const signals: string[] = [];
    sub.on('confirmation', () => signals.push(`confirmation@${seen.length}`));
    sub.on('caughtUp', () => signals.push(`caughtUp@${seen.length}`));
    sub.on('data', (r: { event: { type: string } }) => seen.push(r.event.type));
    await new Promise((r) => setTimeout(r, 10));
    await fake.appendToStream('s', [ev('C')]);
    await new Promise((r) => setTimeout(r, 10));
    await sub.unsubscribe();
    expect(seen).toEqual(['B', 'C']);
    expect(signals).toEqual(['confirmation@0', 'caughtUp@1']);
    expect(b.position!.commit).toBeGreaterThan(a.position!.commit);
  });

  it('loses a reply after writing, or fails before writing, with the client\'s connection errors', async () => {
    const fake = new FakeEventStoreDbClient();
    fake.loseNextAppendReply('deadline-exceeded');
    await expect(fake.appendToStream('s', ev('A'))).rejects.toMatchObject({ type: 'deadline-exceeded', code: 4 });
    fake.failNextAppend();
    await expect(fake.appendToStream('s', ev('B'))).rejects.toMatchObject({ type: 'unavailable', code: 14 });
    expect((await events(fake.readStream('s'))).map((e) => e.type)).toEqual(['A']);
  });
});
