import { randomUUID } from 'node:crypto';
import { IdempotencyStore, NewAttempt, RecordKey } from '../src/idempotency-store.port';

/**
 * Opens a store on one storage; every call is another process, or a restart, on the same
 * storage. Stores are closed by the suite.
 */
export type OpenIdempotencyStore = () => Promise<IdempotencyStore>;

/** Every idempotency-store adapter runs this suite; `newStorage` makes fresh storage and returns how to open stores on it. */
export function describeIdempotencyStoreContract(name: string, newStorage: () => Promise<OpenIdempotencyStore>): void {
  describe(`idempotency store contract: ${name}`, () => {
    let open: OpenIdempotencyStore;
    let store: IdempotencyStore;
    const opened: IdempotencyStore[] = [];
    beforeEach(async () => {
      open = await newStorage();
      store = await open();
      opened.push(store);
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });
    const another = async () => {
      const s = await open();
      opened.push(s);
      return s;
    };

    const NOW = 1_700_000_000_000;
    const key = (projectId = 'p1'): RecordKey => ({ projectId, keyId: randomUUID() });
    const attempt = (over: Partial<NewAttempt> = {}): NewAttempt => ({ fingerprint: 'f1', attemptId: randomUUID(), leaseUntil: NOW + 60_000, expiresAt: NOW + 86_400_000, ...over });

    it('gives a new key to the first attempt, and shows later ones the record untouched', async () => {
      const k = key();
      const first = attempt();
      expect(await store.claim(k, first, NOW)).toBeNull();
      const seen = await store.claim(k, attempt({ fingerprint: 'f2' }), NOW + 1);
      expect(seen).toEqual({ fingerprint: 'f1', attemptId: first.attemptId, leaseUntil: first.leaseUntil, firstStream: null, answer: null, expiresAt: first.expiresAt });
    });

    it('lets exactly one of many concurrent attempts (from several processes) hold a key', async () => {
      const k = key();
      const stores = [store, await another(), await another()];
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % stores.length].claim(k, attempt(), NOW)));
      expect(results.filter((r) => r === null)).toHaveLength(1);
      const holders = new Set(results.filter((r) => r !== null).map((r) => r!.attemptId));
      expect(holders.size).toBe(1);
    });

    it('keeps keys per project', async () => {
      const k = key('p1');
      expect(await store.claim(k, attempt(), NOW)).toBeNull();
      expect(await store.claim({ ...k, projectId: 'p2' }, attempt(), NOW)).toBeNull();
    });

    it('keeps the sealed answer, which a restart (another store) still finds', async () => {
      const k = key();
      const a = attempt();
      await store.claim(k, a, NOW);
      const answer = Buffer.from([0, 1, 2, 250, 255]);
      expect(await store.saveAnswer(k, a.attemptId, answer, [])).toBe(true);
      const seen = await (await another()).claim(k, attempt(), NOW + 10);
      expect(seen).toMatchObject({ attemptId: a.attemptId, leaseUntil: 0 });
      expect(Buffer.compare(seen!.answer!, answer)).toBe(0);
    });

    it('treats an expired record as absent and hands the key to a new attempt', async () => {
      const k = key();
      const a = attempt({ expiresAt: NOW + 1000 });
      await store.claim(k, a, NOW);
      await store.saveAnswer(k, a.attemptId, Buffer.from('old'), []);
      const next = attempt({ fingerprint: 'f2' });
      expect(await store.claim(k, next, NOW + 1000)).toBeNull();
      expect(await store.claim(k, attempt(), NOW + 1001)).toMatchObject({ attemptId: next.attemptId, fingerprint: 'f2', answer: null, firstStream: null });
    });

    it('hands an expired key to exactly one of many concurrent attempts', async () => {
      const k = key();
      await store.claim(k, attempt({ expiresAt: NOW + 10 }), NOW);
      const stores = [store, await another(), await another()];
      const results = await Promise.all(Array.from({ length: 9 }, (_, i) => stores[i % stores.length].claim(k, attempt(), NOW + 10)));
      expect(results.filter((r) => r === null)).toHaveLength(1);
      expect(new Set(results.filter((r) => r !== null).map((r) => r!.attemptId)).size).toBe(1);
    });

    it('records the first stream only while the attempt holds the key with lease to spare, and only once', async () => {
      const k = key();
      const a = attempt({ leaseUntil: NOW + 10_000 });
      await store.claim(k, a, NOW);
      expect(await store.recordFirstStream(k, 'someone-else', 'user-p1:u1', NOW)).toBe(false);
      expect(await store.recordFirstStream(k, a.attemptId, 'user-p1:u1', NOW + 10_001)).toBe(false);
      expect(await store.recordFirstStream(k, a.attemptId, 'user-p1:u1', NOW + 10_000)).toBe(true);
      expect(await store.recordFirstStream(k, a.attemptId, 'user-p1:u2', NOW)).toBe(false);
      expect(await store.claim(k, attempt(), NOW)).toMatchObject({ firstStream: 'user-p1:u1' });
    });

    it('hands an abandoned record (lease over, no answer) to exactly one new attempt, which starts with no first stream', async () => {
      const k = key();
      const a = attempt({ leaseUntil: NOW + 100 });
      await store.claim(k, a, NOW);
      await store.recordFirstStream(k, a.attemptId, 'user-p1:u1', NOW);
      expect(await store.takeOver(k, a.attemptId, { attemptId: randomUUID(), leaseUntil: NOW + 60_000 }, NOW + 99)).toBe(false);
      const contenders = [randomUUID(), randomUUID(), randomUUID()];
      const won = await Promise.all(contenders.map((attemptId) => store.takeOver(k, a.attemptId, { attemptId, leaseUntil: NOW + 60_000 }, NOW + 100)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = contenders[won.indexOf(true)];
      expect(await store.claim(k, attempt(), NOW + 101)).toMatchObject({ attemptId: winner, leaseUntil: NOW + 60_000, firstStream: null, fingerprint: 'f1' });
      // The old attempt lost the key: its writes to the record are refused.
      expect(await store.saveAnswer(k, a.attemptId, Buffer.from('late'), [])).toBe(false);
      expect(await store.recordFirstStream(k, a.attemptId, 'user-p1:u9', NOW)).toBe(false);
    });

    it('never hands over a record with an answer', async () => {
      const k = key();
      const a = attempt({ leaseUntil: NOW + 100 });
      await store.claim(k, a, NOW);
      await store.saveAnswer(k, a.attemptId, Buffer.from('done'), []);
      expect(await store.takeOver(k, a.attemptId, { attemptId: randomUUID(), leaseUntil: NOW + 60_000 }, NOW + 1000)).toBe(false);
    });

    it('release ends the lease and keeps what the attempt recorded; forget frees the key', async () => {
      const k = key();
      const a = attempt();
      await store.claim(k, a, NOW);
      await store.recordFirstStream(k, a.attemptId, 'user-p1:u1', NOW);
      await store.release(k, a.attemptId);
      expect(await store.claim(k, attempt(), NOW)).toMatchObject({ attemptId: a.attemptId, leaseUntil: 0, firstStream: 'user-p1:u1' });

      const k2 = key();
      const b = attempt();
      await store.claim(k2, b, NOW);
      await store.forget(k2, 'someone-else');
      expect(await store.claim(k2, attempt(), NOW)).toMatchObject({ attemptId: b.attemptId });
      await store.forget(k2, b.attemptId);
      expect(await store.claim(k2, attempt(), NOW)).toBeNull();
    });

    it("drops the answers of the project's requests that wrote to a stream, keeping their records; other answers stay", async () => {
      const answered = async (projectId: string, wrote: string[]) => {
        const k = key(projectId);
        const a = attempt();
        await store.claim(k, a, NOW);
        await store.recordFirstStream(k, a.attemptId, wrote[0], NOW);
        expect(await store.saveAnswer(k, a.attemptId, Buffer.from(`answer about ${wrote.join(' ')}`), wrote)).toBe(true);
        return { k, a };
      };
      const aboutU1 = await answered('p1', ['unique-p1:email:x', 'user-p1:u1']);
      const alsoU1 = await answered('p1', ['user-p1:u1']);
      const aboutU2 = await answered('p1', ['user-p1:u2']);
      const otherProject = await answered('p2', ['user-p1:u1']);
      expect(await (await another()).dropAnswersAbout('p1', 'user-p1:u1')).toBe(2);
      for (const { k, a } of [aboutU1, alsoU1]) {
        expect(await store.claim(k, attempt(), NOW + 1)).toEqual({ fingerprint: 'f1', attemptId: a.attemptId, leaseUntil: 0, firstStream: expect.any(String), answer: null, expiresAt: a.expiresAt });
      }
      expect((await store.claim(aboutU2.k, attempt(), NOW + 1))!.answer).toEqual(Buffer.from('answer about user-p1:u2'));
      expect((await store.claim(otherProject.k, attempt(), NOW + 1))!.answer).toEqual(Buffer.from('answer about user-p1:u1'));
      expect(await store.dropAnswersAbout('p1', 'user-p1:u1')).toBe(0);
    });

    it('forgets the streams of expired records with them: a key used again is not dropped for what its expired use wrote', async () => {
      const k = key();
      const old = attempt({ expiresAt: NOW + 1000 });
      await store.claim(k, old, NOW);
      await store.saveAnswer(k, old.attemptId, Buffer.from('old'), ['user-p1:u9']);
      expect(await store.deleteExpired(NOW + 2000, 10)).toBe(1);
      const again = attempt({ expiresAt: NOW + 90_000 });
      expect(await store.claim(k, again, NOW + 2000)).toBeNull();
      await store.saveAnswer(k, again.attemptId, Buffer.from('new'), ['user-p1:u8']);
      expect(await store.dropAnswersAbout('p1', 'user-p1:u9')).toBe(0);
      expect((await store.claim(k, attempt(), NOW + 2001))!.answer).toEqual(Buffer.from('new'));
    });

    it('deletes expired records in bounded rounds and leaves the others', async () => {
      const live = key();
      await store.claim(live, attempt({ expiresAt: NOW + 5000 }), NOW);
      const expired = Array.from({ length: 5 }, () => key());
      for (const k of expired) await store.claim(k, attempt({ expiresAt: NOW + 1000 }), NOW);
      expect(await store.deleteExpired(NOW + 2000, 3)).toBe(3);
      expect(await store.deleteExpired(NOW + 2000, 3)).toBe(2);
      expect(await store.deleteExpired(NOW + 2000, 3)).toBe(0);
      expect(await store.claim(live, attempt(), NOW + 2000)).not.toBeNull();
    });
  });
}
