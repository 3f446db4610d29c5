import { describeEventStoreContract } from '../../test/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { compareEncodedPositions, decodePosition, encodePosition, fromSortKey, toSortKey } from './eventstoredb-position';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  // The server is shared by every test: the contract uses fresh stream names, and its global-log
  // tests only look at what comes after the log's end as they found it; nothing else may write
  // to this server while they run. One server is one log, so there is no second log to compare.
  describeEventStoreContract('eventstoredb', async () => async () => new EventStoreDbEventStore(connectionString), {
    distinctLogs: false,
  });
} else {
  const rule = '#'.repeat(112);
  console.warn(
    [
      '',
      rule,
      '###  SKIP: EventStoreDB contract tests — set EVENTSTORE_CONNECTION_STRING (docker compose up eventstore) to run them',
      '###  e.g. EVENTSTORE_CONNECTION_STRING="esdb://localhost:2113?tls=false" npx jest libs/event-store/src/eventstoredb',
      rule,
      '',
    ].join('\n'),
  );
}

describe('EventStoreDbEventStore without a server', () => {
  it('encodes $all positions as fixed-width text in position order and compares them on the decoded numbers', async () => {
    const max = (1n << 64n) - 1n;
    const positions = [
      { commit: 0n, prepare: 0n },
      { commit: 9n, prepare: 9n },
      { commit: 10n, prepare: 3n },
      { commit: 10n, prepare: 10n },
      { commit: 10n, prepare: 11n },
      { commit: 123456789n, prepare: 123456789n },
      { commit: 9007199254740993n, prepare: 9007199254740993n }, // past 2^53: must not round
      { commit: max, prepare: max - 1n },
      { commit: max, prepare: max },
    ];
    const encoded = positions.map(encodePosition);
    expect(encoded[1]).toBe('00000000000000000009/00000000000000000009');
    expect(encoded[8]).toBe('18446744073709551615/18446744073709551615');
    expect(new Set(encoded.map((e) => e.length))).toEqual(new Set([41]));
    expect(encoded.map(decodePosition)).toEqual(positions);
    expect([...encoded].reverse().sort()).toEqual(encoded);

    const store = new EventStoreDbEventStore('esdb://127.0.0.1:2113?tls=false'); // connects lazily: nothing is contacted
    for (let i = 0; i < encoded.length; i++) {
      for (let j = 0; j < encoded.length; j++) {
        expect(Math.sign(store.comparePositions(encoded[i], encoded[j]))).toBe(Math.sign(i - j));
      }
      expect(store.comparePositions(null, encoded[i])).toBeLessThan(0);
      expect(store.comparePositions(encoded[i], null)).toBeGreaterThan(0);
    }
    expect(store.comparePositions(null, null)).toBe(0);
    expect(compareEncodedPositions(null, null)).toBe(0);
    await store.close();
  });

  it('turns positions into 40-digit sort keys ((commit << 64) | prepare) in position order, exactly', () => {
    const max = (1n << 64n) - 1n;
    const positions = [
      { commit: 0n, prepare: 0n },
      { commit: 1n, prepare: max },
      { commit: 2n, prepare: 0n },
      { commit: 9007199254740993n, prepare: 9007199254740993n },
      { commit: 9007199254740993n, prepare: 9007199254740995n },
      { commit: max, prepare: max },
    ];
    const keys = positions.map(toSortKey);
    expect(keys[1]).toBe(((1n << 64n) + max).toString().padStart(40, '0'));
    expect(keys[5]).toBe('0340282366920938463463374607431768211455');
    for (const k of keys) expect(k).toMatch(/^\d{40}$/);
    expect([...keys].reverse().sort()).toEqual(keys);
    expect(keys.map(fromSortKey)).toEqual(positions);
    for (const bad of ['', '1', 'x'.repeat(40), '9'.repeat(40)]) expect(() => fromSortKey(bad)).toThrow(/sort key/);
  });

  it('rejects strings that are not encoded positions', () => {
    for (const bad of ['', '12', '1/2', '00000000000000000001/0000000000000000001', '99999999999999999999/00000000000000000000']) {
      expect(() => decodePosition(bad)).toThrow(/position/);
    }
    expect(() => encodePosition({ commit: -1n, prepare: 0n })).toThrow(/unsigned/);
    expect(() => encodePosition({ commit: 1n << 64n, prepare: 0n })).toThrow(/unsigned/);
  });

  it('fails every operation cleanly when the server is unreachable (real client, nothing listening)', async () => {
    const store = new EventStoreDbEventStore('esdb://127.0.0.1:1?tls=false');
    const event = {
      id: '0c8d4f4e-7d9c-4a55-9f0b-3b7d1c2a9e10',
      type: 'A',
      data: {},
      metadata: {
        eventId: 'e',
        occurredAt: '2024-01-01T00:00:00.000+00:00',
        schemaVersion: 1,
        actor: { type: 'system' as const, id: 't' },
        requestId: 'r',
        ip: '',
        userAgent: '',
      },
    };
    await expect(store.append('s', [event], 'no_stream')).rejects.toBeInstanceOf(Error);
    await expect(store.readStream('s')).rejects.toBeInstanceOf(Error);
    await expect(store.readAll(null, 10)).rejects.toBeInstanceOf(Error);
    const errors: unknown[] = [];
    const sub = store.subscribeAll(null, async () => undefined, (err) => errors.push(err));
    const deadline = Date.now() + 10_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(errors).toHaveLength(1);
    await sub.stop();
    await store.close();
    await expect(store.readAll(null, 1)).rejects.toThrow(/closed/);
  });
});
