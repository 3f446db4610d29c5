import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventToAppend, RecordedEvent, SqliteEventStore } from '@lib/event-store';
import { describeEventStoreContract, scanFiles } from '@lib/event-store/testing';
import { DataKeys, UnknownDataKeyError } from './data-keys';
import { MasterKeyMismatchError } from './master-key';
import { PersonalDataEventStore } from './personal-data-event-store';
import { ERASED, PersonalDataPolicy } from './personal-data-policy';
import { SealBrokenError } from './sealing';
import { SqliteDataKeyStore } from './sqlite/sqlite-data-key-store';

/** People live in `person-<id>` streams; their `Registered` events hold a name and an address. */
const POLICY: PersonalDataPolicy = {
  subjectOf: (streamId) => (streamId.startsWith('person-') ? streamId : null),
  fieldsOf: (type) => (type === 'Registered' ? ['name', 'address'] : []),
  isErasure: (type) => type === 'Erased',
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'personal-data-'));
  dirs.push(dir);
  return dir;
};

/** One "process" on a data folder: its own event-store connection, key-store connection and key caches. */
function openProcess(dir: string, master: Buffer, policy = POLICY): PersonalDataEventStore {
  return new PersonalDataEventStore(new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 20 }), new DataKeys(new SqliteDataKeyStore(join(dir, 'data-keys.sqlite')), master), policy);
}

const event = (type: string, data: Record<string, unknown>, client = { ip: '203.0.113.7', userAgent: 'Probe/1.0' }): EventToAppend => {
  const id = randomUUID();
  return { id, type, data, metadata: { eventId: id, occurredAt: '2024-01-01T00:00:00.000+00:00', schemaVersion: 1, actor: { type: 'apiKey', id: 'k' }, requestId: 'r', ...client } };
};

const PERSON = { name: 'Zebulon Quux', address: { street: 'Ohm Lane 7' }, plan: 'gold' };
const logFiles = (dir: string) => ['events.sqlite', 'events.sqlite-wal'].map((f) => join(dir, f));

describeEventStoreContract('sqlite, decorated with personal-data sealing (every stream a person)', async () => {
  const dir = freshDir();
  const master = randomBytes(32);
  return async () => openProcess(dir, master, { subjectOf: (s) => s, fieldsOf: () => ['n', 'nested'], isErasure: () => false });
}, { atomicAppends: true });

describe('PersonalDataEventStore', () => {
  let dir: string;
  let master: Buffer;
  let store: PersonalDataEventStore;
  const others: PersonalDataEventStore[] = [];
  beforeEach(() => {
    dir = freshDir();
    master = randomBytes(32);
    store = openProcess(dir, master);
  });
  afterEach(async () => {
    await Promise.all(others.splice(0).map((s) => s.close()));
    await store.close();
  });
  const another = (key = master) => {
    const s = openProcess(dir, key);
    others.push(s);
    return s;
  };
  /** The log as stored, without the decorator. */
  const raw = async () => {
    const inner = new SqliteEventStore(join(dir, 'events.sqlite'));
    try {
      return await inner.readAll(null, 1000);
    } finally {
      await inner.close();
    }
  };

  it('stores a person\'s personal fields and client only sealed, and gives every reader them back', async () => {
    const registered = event('Registered', PERSON);
    await store.append('person-1', [registered], 'no_stream');
    const [stored] = await raw();
    expect(stored.data).toEqual({ plan: 'gold' });
    expect([stored.metadata.ip, stored.metadata.userAgent]).toEqual(['', '']);
    expect(stored.metadata.sealed).toMatchObject({ v: 1, fields: ['data.name', 'data.address', 'metadata.ip', 'metadata.userAgent'] });
    expect(scanFiles(logFiles(dir), ['Zebulon', 'Ohm Lane', '203.0.113.7', 'Probe/1.0'])).toEqual([]);

    const expected = { data: PERSON, metadata: registered.metadata };
    const [fromStream] = await store.readStream('person-1');
    expect(fromStream).toMatchObject(expected);
    expect(fromStream.metadata.sealed).toBeUndefined();
    expect((await another().readAll(null, 10))[0]).toMatchObject(expected);
    const delivered: RecordedEvent[] = [];
    const subscription = another().subscribeAll(null, async (e) => void delivered.push(e));
    await waitFor(() => delivered.length === 1);
    await subscription.stop();
    expect(delivered[0]).toMatchObject(expected);
  });

  it('gives readers that need no personal value (how far a follower is behind) the log as stored, sealed', async () => {
    const registered = event('Registered', PERSON);
    await store.append('person-1', [registered], 'no_stream');
    const [stored] = await store.stored.readAll(null, 10);
    expect(stored.data).toEqual({ plan: 'gold' });
    expect(stored.metadata).toMatchObject({ occurredAt: registered.metadata.occurredAt, ip: '', userAgent: '' });
    // Reading it sealed opened nothing in place: the decorated store still gives the values back.
    expect((await store.readAll(null, 10))[0].data).toEqual(PERSON);
  });

  it('leaves events of streams without a person, events with nothing personal, and events stored before sealing as they are', async () => {
    await store.append('project-1', [event('Registered', PERSON)], 'no_stream');
    await store.append('person-1', [event('Renamed', { plan: 'silver' }, { ip: '', userAgent: '' })], 'no_stream');
    const legacy = new SqliteEventStore(join(dir, 'events.sqlite'));
    await legacy.append('person-2', [event('Registered', PERSON)], 'no_stream');
    await legacy.close();
    expect((await raw()).map((e) => e.metadata.sealed)).toEqual([undefined, undefined, undefined]);
    expect((await store.readAll(null, 10)).map((e) => e.data)).toEqual([PERSON, { plan: 'silver' }, PERSON]);
  });

  it('reads every sealed field "[erased]" once the person\'s key is destroyed, in this process and in a fresh one', async () => {
    await store.append('person-1', [event('Registered', PERSON)], 'no_stream');
    await store.append('person-2', [event('Registered', { ...PERSON, name: 'Other' })], 'no_stream');
    await store.destroyKeysOf('person-1');
    const erased = { data: { name: ERASED, address: ERASED, plan: 'gold' }, metadata: { ip: ERASED, userAgent: ERASED } };
    expect((await store.readStream('person-1'))[0]).toMatchObject(erased);
    expect((await another().readAll(null, 10)).map((e) => e.data.name)).toEqual([ERASED, 'Other']);
  });

  it('gives a person re-created after an erasure a new key: the earlier life stays erased', async () => {
    await store.append('person-1', [event('Registered', PERSON)], 'no_stream');
    await store.destroyKeysOf('person-1');
    await store.append('person-1', [event('Erased', {}, { ip: '', userAgent: '' })], 0);
    await store.append('person-1', [event('Registered', { ...PERSON, name: 'Second Life' })], 1);
    expect((await another().readStream('person-1')).map((e) => e.data.name)).toEqual([ERASED, undefined, 'Second Life']);
  });

  it('makes another process that still holds the key in memory drop it when it reads the erasure event', async () => {
    const other = another();
    await store.append('person-1', [event('Registered', PERSON)], 'no_stream');
    expect((await other.readStream('person-1'))[0].data.name).toBe(PERSON.name);
    await store.destroyKeysOf('person-1');
    await store.append('person-1', [event('Erased', {}, { ip: '', userAgent: '' })], 0);
    expect((await other.readStream('person-1'))[0].data.name).toBe(ERASED);
  });

  it('tells its listeners of every stream it erases, and of every erasure it reads of another process\'s', async () => {
    const other = another();
    const [heardHere, heardThere]: string[][] = [[], []];
    store.onStreamRedacted((streamId) => heardHere.push(streamId));
    other.onStreamRedacted((streamId) => heardThere.push(streamId));
    await store.append('person-1', [event('Registered', PERSON)], 'no_stream');
    await store.append('person-2', [event('Registered', PERSON)], 'no_stream');
    await other.readStream('person-1');
    expect([heardHere, heardThere]).toEqual([[], []]);
    await store.destroyKeysOf('person-1');
    await store.append('person-1', [event('Erased', {}, { ip: '', userAgent: '' })], 0);
    expect(heardHere).toEqual(['person-1']);
    await other.readStream('person-1', 1);
    expect(heardThere).toEqual(['person-1']);
  });

  it('refuses a sealed value that was changed or moved to another event, and a key the key store never had', async () => {
    await store.append('person-1', [event('Registered', PERSON), event('Registered', { name: 'B' })], 'no_stream');
    const [a, b] = await raw();
    const tamper = (target: RecordedEvent, value: string) => {
      const db = new Database(join(dir, 'events.sqlite'));
      db.prepare('UPDATE events SET metadata = ? WHERE id = ?').run(JSON.stringify({ ...target.metadata, sealed: { ...target.metadata.sealed, value } }), target.id);
      db.close();
    };
    tamper(b, a.metadata.sealed!.value);
    await expect(another().readStream('person-1')).rejects.toThrow(SealBrokenError);
    const fresh = freshDir();
    const copied = new SqliteEventStore(join(fresh, 'events.sqlite'));
    await copied.append('person-1', [{ ...a, metadata: a.metadata }], 'no_stream');
    await copied.close();
    const elsewhere = openProcess(fresh, master);
    others.push(elsewhere);
    await expect(elsewhere.readStream('person-1')).rejects.toThrow(UnknownDataKeyError);
  });

  it('refuses to start on a key store made with another master key', async () => {
    await store.append('person-1', [event('Registered', PERSON)], 'no_stream');
    await expect(another(randomBytes(32)).keys.ready()).rejects.toThrow(MasterKeyMismatchError);
  });

  it('seals all of a person\'s events with one key, also after two processes raced for their first event', async () => {
    const other = another();
    await Promise.allSettled([store.append('person-1', [event('Registered', PERSON)], 'no_stream'), other.append('person-1', [event('Registered', PERSON)], 'no_stream')]);
    // The loser reads the stream again before it retries (as every command does) and takes the winner's key.
    for (const process of [store, other]) {
      const read = await process.readStream('person-1');
      await process.append('person-1', [event('Registered', { name: 'Later' })], read[read.length - 1].revision);
    }
    const keyIds = (await raw()).map((e) => e.metadata.sealed?.keyId);
    expect(new Set(keyIds).size).toBe(1);
  });

  it('opens a batch of more persons than its key cache holds (a replay reads thousands at a time), an erased one among them', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `Person ${i}`);
    for (const [i, name] of names.entries()) await store.append(`person-${i}`, [event('Registered', { ...PERSON, name })], 'no_stream');
    await store.destroyKeysOf('person-5');
    const reader = new PersonalDataEventStore(new SqliteEventStore(join(dir, 'events.sqlite')), new DataKeys(new SqliteDataKeyStore(join(dir, 'data-keys.sqlite')), master, { cacheSize: 4 }), POLICY);
    others.push(reader);
    const read = await reader.readAll(null, 100);
    expect(read.map((e) => e.data.name)).toEqual(names.map((name, i) => (i === 5 ? ERASED : name)));
    expect(read.map((e) => e.metadata.ip)).toEqual(names.map((_, i) => (i === 5 ? ERASED : '203.0.113.7')));
  });

  it('makes keys ahead of need: a new person\'s first event waits for no key-store write', async () => {
    const keyStore = new SqliteDataKeyStore(join(dir, 'counted-keys.sqlite'));
    const writes: number[] = [];
    const add = keyStore.add.bind(keyStore);
    keyStore.add = async (keys) => {
      writes.push(keys.length);
      return add(keys);
    };
    const counted = new PersonalDataEventStore(new SqliteEventStore(join(dir, 'counted.sqlite')), new DataKeys(keyStore, master, { batchSize: 8 }), POLICY);
    others.push(counted);
    for (let i = 0; i < 20; i++) await counted.append(`person-${i}`, [event('Registered', PERSON)], 'no_stream');
    expect(writes.length).toBeLessThanOrEqual(4);
    expect(writes.every((n) => n === 8)).toBe(true);
    expect((await counted.readAll(null, 100)).map((e) => e.data.name)).toEqual(Array.from({ length: 20 }, () => PERSON.name));
  });

  it('loads a new person\'s key once for all the subscriptions of a process that reads another\'s events', async () => {
    const keyStore = new SqliteDataKeyStore(join(dir, 'data-keys.sqlite'));
    const asked: string[] = [];
    const byIds = keyStore.byIds.bind(keyStore);
    // A slow store: the other subscriptions reach each new person while its key is being loaded.
    keyStore.byIds = async (ids) => {
      asked.push(...ids);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return byIds(ids);
    };
    const reader = new PersonalDataEventStore(new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 10 }), new DataKeys(keyStore, master), POLICY);
    others.push(reader);
    const seen = [[], [], []].map(() => [] as unknown[]);
    const subscriptions = seen.map((got) => reader.subscribeAll(null, (e) => void got.push(e.data.name)));
    const names = Array.from({ length: 40 }, (_, i) => `Person ${i}`);
    await Promise.all(names.map((name, i) => store.append(`person-${i}`, [event('Registered', { ...PERSON, name })], 'no_stream')));
    await waitFor(() => seen.every((got) => got.length === names.length));
    await Promise.all(subscriptions.map((s) => s.stop()));
    for (const got of seen) expect(got).toEqual(names);
    expect(asked.length).toBe(names.length);
    expect(new Set(asked).size).toBe(names.length);
  });

  it('keeps a key destroyed while it was being loaded destroyed, for that load and the next', async () => {
    await store.append('person-1', [event('Registered', PERSON)], 'no_stream');
    const [sealed] = await raw();
    const keyId = (sealed.metadata.sealed as { keyId: string }).keyId;
    const keyStore = new SqliteDataKeyStore(join(dir, 'data-keys.sqlite'));
    const byIds = keyStore.byIds.bind(keyStore);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    keyStore.byIds = async (ids) => {
      const found = await byIds(ids);
      await held;
      return found;
    };
    const keys = new DataKeys(keyStore, master);
    try {
      const loading = keys.load([{ keyId, subject: 'person-1' }]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await keys.destroy([keyId]);
      release();
      expect((await loading).get(keyId)).toBeNull();
      expect(keys.cached(keyId)).toBeNull();
    } finally {
      await keys.close();
    }
  });

  it('hands a subscription far behind the events sealed here their values without opening them again', async () => {
    const count = 20_000;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const delivered: RecordedEvent[] = [];
    const subscription = store.subscribeAll(null, async (e) => {
      if (delivered.push(e) === 1) await gate;
    });
    await store.append('person-first', [event('Registered', { ...PERSON, name: 'First' })], 'no_stream');
    await waitFor(() => delivered.length === 1);
    for (let from = 0; from < count; from += 1000) {
      await Promise.all(Array.from({ length: 1000 }, (_, i) => store.append(`person-${from + i}`, [event('Registered', { ...PERSON, name: `Person ${from + i}` })], 'no_stream')));
    }
    // Every value is still in this process: no key is looked up (and no value decrypted) for the subscription.
    const lookups = jest.spyOn(store.keys, 'cached');
    release();
    await waitFor(() => delivered.length === count + 1);
    await subscription.stop();
    expect(delivered.slice(1).map((e) => e.data.name)).toEqual(Array.from({ length: count }, (_, i) => `Person ${i}`));
    expect(lookups).not.toHaveBeenCalled();
  });
});

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
}
