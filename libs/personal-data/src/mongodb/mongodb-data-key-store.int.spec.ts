import { randomBytes, randomUUID } from 'node:crypto';
import { describeDataKeyStoreContract } from '@lib/personal-data/testing';
import { describeWithMongo } from '@lib/read-models/testing';
import { MongoDataKeyStore } from './mongodb-data-key-store';

/* Against FerretDB from `npm run infra:up` (or MONGODB_URL); fails without a server, never skips. */
describeWithMongo('MongoDataKeyStore', (server) => {
  const databases: string[] = [];
  // After each test, while the suite's client is still connected.
  afterEach(async () => {
    const client = await server.client();
    for (const name of databases.splice(0)) await client.db(name).dropDatabase();
  });
  const freshStorage = async () => {
    const client = await server.client();
    const database = server.freshDbName();
    databases.push(database);
    return () => new MongoDataKeyStore(client, database);
  };
  describeDataKeyStoreContract('mongodb', async () => {
    const open = await freshStorage();
    return async () => open();
  });

  // A replay's requests (hundreds of ids) are served from a pass over the collection.
  describe('requests of many keys (a pass over the collection)', () => {
    const newKeys = (n: number) => Array.from({ length: n }, () => ({ keyId: randomUUID(), wrapped: randomBytes(60) }));
    const wrappedOf = (found: Map<string, { wrapped: Buffer | null }>, ids: string[]) => ids.map((id) => (found.has(id) ? found.get(id)!.wrapped : 'absent'));

    it('answers as lookups by id do: keys made since the pass, destroyed keys, unknown ids', async () => {
      const open = await freshStorage();
      const store = open();
      const first = newKeys(400);
      await store.add(first);
      const unknown = randomUUID();
      const asked = [...first.slice(0, 300).map((k) => k.keyId), unknown];
      expect(wrappedOf(await store.byIds(asked), asked)).toEqual([...first.slice(0, 300).map((k) => k.wrapped), 'absent']);
      const later = newKeys(10);
      await store.add(later);
      await store.destroy([first[5].keyId]);
      const again = [...first.map((k) => k.keyId), ...later.map((k) => k.keyId), unknown];
      const want = [...first.map((k, i) => (i === 5 ? null : k.wrapped)), ...later.map((k) => k.wrapped), 'absent'];
      expect(wrappedOf(await store.byIds(again), again)).toEqual(want);
      // Another process, by lookups of a few ids, agrees.
      const few = [first[5].keyId, later[0].keyId];
      expect(wrappedOf(await open().byIds(few), few)).toEqual([null, later[0].wrapped]);
    });

    it('serves a key destroyed by another process from its pass until it forgets the pass (an erasure read)', async () => {
      const open = await freshStorage();
      const [replayer, other] = [open(), open()];
      const keys = newKeys(300);
      await replayer.add(keys);
      const ids = keys.map((k) => k.keyId);
      await replayer.byIds(ids);
      await other.destroy([ids[0]]);
      expect((await replayer.byIds(ids)).get(ids[0])?.wrapped).toEqual(keys[0].wrapped);
      replayer.forgetPass();
      expect((await replayer.byIds(ids)).get(ids[0])?.wrapped).toBeNull();
      expect((await replayer.byIds([ids[0]])).get(ids[0])?.wrapped).toBeNull();
    });

    // DataKeys asks only for the keys it does not hold: most of a replay's requests are a few ids.
    it('serves the small requests that follow a pass from it, not by a lookup each', async () => {
      const open = await freshStorage();
      const [replayer, other] = [open(), open()];
      const keys = newKeys(300);
      await replayer.add(keys);
      const ids = keys.map((k) => k.keyId);
      await Promise.all([replayer.byIds(ids), replayer.byIds(ids.slice(0, 280))]);
      await other.destroy([ids[7]]);
      // A lookup would read it destroyed: the pass still holds it as it was.
      expect((await replayer.byIds([ids[7]])).get(ids[7])?.wrapped).toEqual(keys[7].wrapped);
      const later = newKeys(1);
      await replayer.add(later);
      expect((await replayer.byIds([later[0].keyId])).get(later[0].keyId)?.wrapped).toEqual(later[0].wrapped);
    });
  });
});
