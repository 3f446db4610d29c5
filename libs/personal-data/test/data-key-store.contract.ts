import { randomBytes, randomUUID } from 'node:crypto';
import type { DataKeyStore } from '../src/data-key-store.port';

/** Opens a store on one storage; every call is another process, or a restart, on the same keys. */
export type OpenKeyStore = () => Promise<DataKeyStore>;

/** Every data-key store adapter runs this suite; `newStorage` makes an empty storage and answers how to open stores on it. */
export function describeDataKeyStoreContract(name: string, newStorage: () => Promise<OpenKeyStore>): void {
  describe(`data key store contract: ${name}`, () => {
    let open: OpenKeyStore;
    let store: DataKeyStore;
    const others: DataKeyStore[] = [];
    beforeEach(async () => {
      open = await newStorage();
      store = await open();
    });
    afterEach(async () => {
      await Promise.all(others.splice(0).map((s) => s.close()));
      await store.close();
    });
    const another = async () => {
      const s = await open();
      others.push(s);
      return s;
    };
    const newKey = () => ({ keyId: randomUUID(), wrapped: randomBytes(60) });

    it('knows no key it was never given', async () => {
      expect((await store.byIds([randomUUID()])).size).toBe(0);
      expect((await store.byIds([])).size).toBe(0);
    });

    it('keeps the keys it was given, across a restart and for every process, found by id', async () => {
      const [a, b, c] = [newKey(), newKey(), newKey()];
      await store.add([a, b]);
      await (await another()).add([c]);
      const found = await (await another()).byIds([a.keyId, c.keyId, randomUUID()]);
      expect([...found.keys()].sort()).toEqual([a.keyId, c.keyId].sort());
      expect(found.get(a.keyId)).toEqual({ keyId: a.keyId, wrapped: a.wrapped });
      expect(found.get(c.keyId)).toEqual({ keyId: c.keyId, wrapped: c.wrapped });
    });

    it('refuses a key id given twice', async () => {
      const a = newKey();
      await store.add([a]);
      // (Not `rejects.toThrow()`: a driver's error may come from another realm than the test's Error.)
      const refused = await store.add([{ ...newKey(), keyId: a.keyId }]).then(() => false, () => true);
      expect(refused).toBe(true);
      expect((await store.byIds([a.keyId])).get(a.keyId)?.wrapped).toEqual(a.wrapped);
    });

    it('destroys keys, idempotently: their ids stay known as destroyed, other keys stay', async () => {
      const [a, b] = [newKey(), newKey()];
      await store.add([a, b]);
      await store.destroy([a.keyId]);
      await store.destroy([a.keyId, randomUUID()]);
      const found = await (await another()).byIds([a.keyId, b.keyId]);
      expect(found.get(a.keyId)).toEqual({ keyId: a.keyId, wrapped: null });
      expect(found.get(b.keyId)).toEqual({ keyId: b.keyId, wrapped: b.wrapped });
    });

    it('records the master-key check value it was first opened with', async () => {
      expect(await store.masterKeyCheck('first')).toBe('first');
      expect(await (await another()).masterKeyCheck('second')).toBe('first');
    });
  });
}
