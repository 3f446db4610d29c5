import { randomBytes, randomUUID } from 'node:crypto';
import { DataKeyStore, destroyedSubject } from '../src/data-key-store.port';

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
    const candidate = () => ({ keyId: randomUUID(), wrapped: randomBytes(60) });

    it('knows no key of a subject it never saw', async () => {
      expect(await store.current('user-p:nobody')).toBeNull();
      expect((await store.byIds([randomUUID()])).size).toBe(0);
    });

    it('keeps the first key of a subject: a later creation gets it, not its own candidate', async () => {
      const first = candidate();
      expect(await store.create('user-p:a', first)).toEqual({ keyId: first.keyId, subject: 'user-p:a', wrapped: first.wrapped });
      expect(await store.create('user-p:a', candidate())).toEqual({ keyId: first.keyId, subject: 'user-p:a', wrapped: first.wrapped });
      expect(await store.current('user-p:a')).toEqual({ keyId: first.keyId, subject: 'user-p:a', wrapped: first.wrapped });
    });

    it('gives concurrent creations of one subject, from two processes, the same key', async () => {
      const other = await another();
      const made = await Promise.all([store.create('user-p:race', candidate()), other.create('user-p:race', candidate()), store.create('user-p:race', candidate())]);
      expect(new Set(made.map((k) => k.keyId)).size).toBe(1);
      expect((await other.current('user-p:race'))?.keyId).toBe(made[0].keyId);
    });

    it('keeps keys across a restart, and finds them by id', async () => {
      const a = candidate();
      const b = candidate();
      await store.create('user-p:a', a);
      await store.create('user-p:b', b);
      const reopened = await another();
      const found = await reopened.byIds([a.keyId, b.keyId, randomUUID()]);
      expect([...found.keys()].sort()).toEqual([a.keyId, b.keyId].sort());
      expect(found.get(b.keyId)).toEqual({ keyId: b.keyId, subject: 'user-p:b', wrapped: b.wrapped });
    });

    it('destroys the live key of a subject, once; its id stays known as destroyed', async () => {
      const a = candidate();
      await store.create('user-p:a', a);
      expect(await store.destroy('user-p:a')).toBe(a.keyId);
      expect(await store.destroy('user-p:a')).toBeNull();
      expect(await store.current('user-p:a')).toBeNull();
      expect((await (await another()).byIds([a.keyId])).get(a.keyId)).toEqual({ keyId: a.keyId, subject: destroyedSubject(a.keyId), wrapped: null });
    });

    it('leaves other subjects alone, and gives a destroyed subject a new key on its next creation', async () => {
      const a = candidate();
      const b = candidate();
      await store.create('user-p:a', a);
      await store.create('user-p:b', b);
      await store.destroy('user-p:a');
      expect((await store.current('user-p:b'))?.keyId).toBe(b.keyId);
      const again = candidate();
      expect((await store.create('user-p:a', again)).keyId).toBe(again.keyId);
      const found = await store.byIds([a.keyId, again.keyId]);
      expect(found.get(a.keyId)?.wrapped).toBeNull();
      expect(found.get(again.keyId)?.wrapped).toEqual(again.wrapped);
    });

    it('records the master-key check value it was first opened with', async () => {
      expect(await store.masterKeyCheck('first')).toBe('first');
      expect(await (await another()).masterKeyCheck('second')).toBe('first');
    });
  });
}
