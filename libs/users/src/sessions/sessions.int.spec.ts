import type { ReadModelStore } from '@lib/read-models';
import { describeWithMongo, forgetRevisions, queriesOf, ref, sqliteReadModelsForTests } from '@lib/read-models/testing';
import { makeSession, sessionsContract, T0 } from '@lib/users/testing';
import { SESSIONS } from './sessions.read-model';

/* The sessions read model on SQLite (temporary file) and on a MongoDB-protocol server (fails without one). */

sessionsContract('sqlite', sqliteReadModelsForTests());

describeWithMongo('sessions on MongoDB', (server) => {
  sessionsContract('mongodb', server.open);

  describe('MongoDB specifics', () => {
    let store: ReadModelStore;
    beforeEach(async () => {
      store = await server.open([SESSIONS]);
    });
    afterEach(async () => {
      await store.close();
    });

    it('a lagging projector neither resurrects deleted sessions nor overwrites newer ones', async () => {
      const ev = (revision: number, position: string) => ref(revision, position, 'user-p:u1');
      const session = (id: string, createdAt = T0) => ({ kind: 'put' as const, session: makeSession('p', 'u1', id, createdAt) });
      await store.apply('sessions', ev(0, '1'), [session('s1'), session('s2')]);
      await store.apply('sessions', ev(1, '2'), [{ kind: 'delete', projectId: 'p', userId: 'u1', sessionId: 's1' }]);
      await store.apply('sessions', ev(2, '3'), [session('s2', '2024-01-01T00:00:00.000+00:00')]);
      await forgetRevisions(store);
      await store.apply('sessions', ev(0, '1'), [session('s1'), session('s2')]);
      expect(await queriesOf(store, SESSIONS).ofUser('p', 'u1')).toEqual([makeSession('p', 'u1', 's2', '2024-01-01T00:00:00.000+00:00')]);
      await store.apply('sessions', ev(3, '4'), [{ kind: 'deleteAllOfUser', projectId: 'p', userId: 'u1' }]);
      await forgetRevisions(store);
      await store.apply('sessions', ev(2, '3'), [session('s2')]);
      expect(await queriesOf(store, SESSIONS).ofUser('p', 'u1')).toEqual([]);
    });
  });
});
