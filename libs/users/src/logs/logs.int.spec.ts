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

    it('applies a batch in which some records exist already: each record written once', async () => {
      await store.apply('logs', ref(0, '1', 'bulk'), [append('e1', 1), append('e2', 2)]);
      await store.apply('logs', ref(9, '5', 'bulk'), [append('e2', 2), append('e3', 3)]);
      expect(await listed()).toEqual(['e1', 'e2', 'e3']);
    });
  });
});
