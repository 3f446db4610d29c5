import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '../../test/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';
import type { SqliteCommitGroup } from './sqlite-commit-group';
import { EventToAppend, RecordedEvent } from '../event-store.port';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'es-'));
  dirs.push(dir);
  return join(dir, 'events.sqlite');
}

describeEventStoreContract('sqlite', async () => {
  const file = tempFile();
  return async () => new SqliteEventStore(file, { pollIntervalMs: 20 });
}, { atomicAppends: true });

describe('SqliteEventStore specifics', () => {
  const ev = (type: string): EventToAppend => ({
    id: randomUUID(),
    type,
    data: {},
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

  it('keeps the log identity in the file, and sorts positions as 40-digit keys', async () => {
    const file = tempFile();
    const a = new SqliteEventStore(file);
    const id = await a.identity();
    await a.append('s', [ev('A')], 'no_stream');
    const [recorded] = await a.readStream('s');
    expect(recorded.sortKey).toBe(recorded.position.padStart(40, '0'));
    await a.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare("SELECT value FROM meta WHERE key = 'log_id'").get()).toEqual({ value: id });
    raw.close();
    const b = new SqliteEventStore(file);
    expect(await b.identity()).toBe(id);
    await b.close();
  });

  it('persists across reopen', async () => {
    const file = tempFile();
    const a = new SqliteEventStore(file);
    await a.append('s', [ev('A')], 'no_stream');
    await a.close();
    const b = new SqliteEventStore(file);
    expect((await b.readStream('s')).map((e) => e.type)).toEqual(['A']);
    await b.close();
  });

  it('two stores on the same file share streams, concurrency checks and the global log', async () => {
    const file = tempFile();
    const a = new SqliteEventStore(file, { pollIntervalMs: 20 });
    const b = new SqliteEventStore(file, { pollIntervalMs: 20 });
    const seen: RecordedEvent[] = [];
    const sub = b.subscribeAll(null, async (e) => {
      seen.push(e);
    });
    await a.append('s', [ev('A')], 'no_stream');
    await expect(b.append('s', [ev('B')], 'no_stream')).rejects.toThrow(/expected revision/);
    await b.append('s', [ev('B')], 0);
    const deadline = Date.now() + 3000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await sub.stop();
    expect(seen.map((e) => e.type)).toEqual(['A', 'B']);
    await a.close();
    await b.close();
  });

  it('fails alone an append of the group whose rows cannot be written, and answers a retried one as the first append', async () => {
    const store = new SqliteEventStore(tempFile());
    const first = ev('A');
    const stored = await store.append('s', [first], 'no_stream');
    const taken = ev('B');
    await store.append('t', [taken], 'no_stream');
    // One event-loop turn: one group. The id taken by another stream fails its append only.
    const [retried, fresh, misused, after] = await Promise.allSettled([
      store.append('s', [first], 'any'),
      store.append('u', [ev('C')], 'no_stream'),
      store.append('v', [ev('D'), taken], 'no_stream'),
      store.append('w', [ev('E')], 'no_stream'),
    ]);
    expect(retried).toEqual({ status: 'fulfilled', value: stored });
    expect(fresh.status).toBe('fulfilled');
    expect(misused).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/already used/) } });
    expect(after.status).toBe('fulfilled');
    expect(await store.readStream('v')).toEqual([]);
    expect((await store.readAll(null, 10)).map((e) => e.type)).toEqual(['A', 'B', 'C', 'E']);
    await store.close();
  });

  it('commits an append to several streams in one transaction with the other appends of its turn', async () => {
    const store = new SqliteEventStore(tempFile());
    const commit = jest.spyOn((store as unknown as { commitGroup: SqliteCommitGroup }).commitGroup, 'commit');
    await store.append('held', [ev('X')], 'no_stream');
    commit.mockClear();
    const outcomes = await Promise.allSettled([
      store.append('p', [ev('A')], 'no_stream'),
      store.appendToStreams([{ streamId: 'claim', events: [ev('B')], expected: 'no_stream' }, { streamId: 'user', events: [ev('C'), ev('D')], expected: 'no_stream' }]),
      store.appendToStreams([{ streamId: 'claim2', events: [ev('E')], expected: 'no_stream' }, { streamId: 'held', events: [ev('F')], expected: 'no_stream' }]),
      store.append('q', [ev('G')], 'no_stream'),
    ]);
    expect(commit).toHaveBeenCalledTimes(1);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((await store.readAll(null, 10)).map((e) => e.type)).toEqual(['X', 'A', 'B', 'C', 'D', 'G']);
    await store.close();
  });

  it('reads its own recent appends as a fresh reader of the file does, between other processes\' appends, and unchanged by what a reader does to them', async () => {
    const file = tempFile();
    const a = new SqliteEventStore(file);
    const b = new SqliteEventStore(file);
    await a.append('s', [{ ...ev('A'), data: { nested: { n: 1 }, list: [1] } }, ev('B')], 'no_stream');
    await b.append('t', [ev('C')], 'no_stream');
    await a.append('s', [ev('D')], 1);
    await a.append('u', [ev('E')], 'no_stream');
    const fresh = new SqliteEventStore(file);
    const expected = await fresh.readAll(null, 100);
    expect(expected.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D', 'E']);
    for (const after of [null, ...expected.map((e) => e.position)]) {
      for (const max of [1, 2, 100]) expect(await a.readAll(after, max)).toEqual(await fresh.readAll(after, max));
    }
    const [read] = await a.readAll(expected[2].position, 1);
    read.data.changed = true;
    read.metadata.ip = 'changed';
    await new Promise((resolve) => setImmediate(resolve));
    expect(await a.readAll(expected[2].position, 1)).toEqual(await fresh.readAll(expected[2].position, 1));
    for (const store of [a, b, fresh]) await store.close();
  });

  it('decodes another process\'s events once for all the subscriptions that follow them, each at its own pace', async () => {
    const file = tempFile();
    const writer = new SqliteEventStore(file);
    const reader = new SqliteEventStore(file, { pollIntervalMs: 10, batchSize: 50 });
    const seen = [[], [], []].map(() => [] as RecordedEvent[]);
    const decode = jest.spyOn(JSON, 'parse');
    // Each at its own pace: the second waits a turn per event, the third five ms per batch of ten.
    const subscriptions = seen.map((got, i) =>
      reader.subscribeAll(null, async (e) => {
        got.push(e);
        if (i === 1) await new Promise((resolve) => setImmediate(resolve));
        if (i === 2 && got.length % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }),
    );
    for (let i = 0; i < 300; i += 30) await Promise.all(Array.from({ length: 30 }, (_, j) => writer.append(`s${i + j}`, [{ ...ev('A'), data: { n: i + j } }], 'no_stream')));
    for (let i = 0; i < 300 && seen.some((got) => got.length < 300); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all(subscriptions.map((s) => s.stop()));
    const decodes = decode.mock.calls.length;
    decode.mockRestore();
    for (const [i, got] of seen.entries()) expect([i, got.map((e) => e.data.n)]).toEqual([i, Array.from({ length: 300 }, (_, n) => n)]);
    // Data and metadata of each event, decoded once (not once per subscription), give or take a re-read.
    expect(decodes).toBeLessThan(2 * 300 * 1.5);
    await writer.close();
    await reader.close();
  });

  it('reads of one turn share a snapshot that neither hides its own appends nor another process\'s past the turn, nor holds that process up', async () => {
    const file = tempFile();
    const a = new SqliteEventStore(file);
    const b = new SqliteEventStore(file);
    expect(await a.readStream('s')).toEqual([]);
    // Within the turn of a's read: b's append commits meanwhile (a reader never blocks a writer in WAL mode).
    const [, appended] = await Promise.all([a.readStream('s'), b.append('s', [ev('A')], 'no_stream')]);
    expect(appended.position).toBe('1');
    await new Promise((resolve) => setImmediate(resolve));
    expect((await a.readStream('s')).map((e) => e.type)).toEqual(['A']);
    // Its own append, asked for in the turn of a read, is seen by the next read.
    const read = a.readStream('t');
    await a.append('t', [ev('B')], 'no_stream');
    expect(await read).toEqual([]);
    expect((await a.readStream('t')).map((e) => e.type)).toEqual(['B']);
    expect((await a.readAll(null, 10)).map((e) => e.type)).toEqual(['A', 'B']);
    await a.close();
    await b.close();
  });
});
