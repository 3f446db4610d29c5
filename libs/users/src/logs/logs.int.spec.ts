import type { ReadModelStore } from '@lib/read-models';
import { describeWithMongo, forgetCheckpoints, forgetRevisions, queriesOf, ref, sqliteReadModelsForTests } from '@lib/read-models/testing';
import { logsContract, makeLog, sortKey, T0 } from '@lib/users/testing';
import { LogChange, LOGS } from './logs.read-model';

/* The audit-log read model on SQLite (temporary file) and on a MongoDB-protocol server (fails without one). */

logsContract('sqlite', sqliteReadModelsForTests());

describeWithMongo('logs on MongoDB', (server) => {
  logsContract('mongodb', server.open);

  describe('MongoDB specifics', () => {
    let store: ReadModelStore;
    beforeEach(async () => {
      store = await server.open([LOGS]);
    });
    afterEach(async () => {
      await store.close();
    });
    const append = (id: string, sequence: number): LogChange => ({ kind: 'append', log: makeLog('p', 'u1', sequence, id, T0) });
    const listed = async () => (await queriesOf(store, LOGS).list('p', 'u1', sortKey(0), 10, 0)).items.map((l) => l.id).sort();

    it('converges when an event is replayed after a crash between its changes and its revision', async () => {
      expect(await store.apply('logs', ref(0, '1', 'user-p:u1'), [append('e1', 1)])).toBe(true);
      await forgetRevisions(store);
      await forgetCheckpoints(store);
      expect(await store.apply('logs', ref(0, '1', 'user-p:u1'), [append('e1', 1)])).toBe(true);
      expect((await queriesOf(store, LOGS).list('p', 'u1', sortKey(0), 10, 0)).total).toBe(1);
      expect(await store.getCheckpoint('logs')).toBe('1');
    });

    it('an actor replayed out of order keeps its newest name (stamp guard); a replayed record keeps its first write', async () => {
      const stream = 'user-p:ann';
      const identity = (name: string, email?: string): LogChange => ({ kind: 'identity', projectId: 'p', userId: 'ann', name, ...(email === undefined ? {} : { email }) });
      const byAnn = (sequence: number, id: string): LogChange => ({ kind: 'append', log: { ...makeLog('p', 'u1', sequence, id, T0), actorId: 'ann', mode: 'user' } });
      await store.apply('logs', ref(0, '1', stream), [identity('Ann', 'ann@x.io')]);
      await store.apply('logs', ref(1, '2', stream), [identity('Bea'), byAnn(2, 'e2')]);
      // A crash lost the revisions, and a slower projector replays the older event after the newer one.
      await forgetRevisions(store);
      await forgetCheckpoints(store);
      expect(await store.apply('logs', ref(0, '1', stream), [identity('Ann', 'ann@x.io')])).toBe(true);
      await store.apply('logs', ref(9, '3', 'user-p:u1'), [byAnn(3, 'e3')]);
      const rows = (await queriesOf(store, LOGS).list('p', 'u1', sortKey(0), 10, 0)).items.map((l) => [l.id, l.userName, l.userEmail]);
      expect(rows).toEqual([
        ['e3', 'Bea', 'ann@x.io'],
        ['e2', 'Bea', 'ann@x.io'],
      ]);
    });

    it('applies a batch in which some records exist already: each record written once', async () => {
      await store.apply('logs', ref(0, '1', 'bulk'), [append('e1', 1), append('e2', 2)]);
      await store.apply('logs', ref(9, '5', 'bulk'), [append('e2', 2), append('e3', 3)]);
      expect(await listed()).toEqual(['e1', 'e2', 'e3']);
    });
  });
});
