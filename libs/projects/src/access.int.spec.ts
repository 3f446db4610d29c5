import { recordedEvents } from '@lib/event-sourcing/testing';
import type { ReadModelStore } from '@lib/read-models';
import { describeWithMongo, forgetRevisions, NewEvents, OpenReadModels, openReadModel, queriesOf, ref, sqliteReadModelsForTests } from '@lib/read-models/testing';
import { ACCESS, AccessChange, AccessDirectory, accessProjection, ApiKeyRecord } from './access.read-model';
import { projectStreamId } from './project.decider';

/*
 * The access read model (projects and their API keys, projection `access`) on SQLite (a
 * temporary file) and on a MongoDB-protocol server (FerretDB from `npm run infra:up`, or
 * MONGODB_URL; without a server the MongoDB half fails).
 */

const T0 = '2023-01-01T00:00:00.000+00:00';
const HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function accessContract(name: string, open: OpenReadModels): void {
  describe(`access contract: ${name}`, () => {
    let store: ReadModelStore;
    let access: AccessDirectory;
    let events: NewEvents;
    beforeEach(async () => {
      ({ store, queries: access } = await openReadModel(open, ACCESS));
      events = new NewEvents();
    });
    afterEach(async () => {
      await store.close();
    });
    const P = 'acc';
    const apply = (...changes: AccessChange[]) => events.apply(store, 'access', changes);
    const key = (id: string, createdAt: string, revoked = false, projectId = P): ApiKeyRecord => ({
      projectId,
      id,
      name: `key ${id}`,
      secretHash: HASH,
      scopes: ['users.read', 'users.write'],
      expire: revoked ? T0 : null,
      createdAt,
      revoked,
    });
    const FEB = '2023-02-01T00:00:00.000+00:00';

    it('stores projects and API keys (revoked ones included), keys in creation order', async () => {
      expect(await access.getProject(P)).toBeNull();
      await apply({ kind: 'project.put', project: { id: P, name: 'My project', createdAt: T0 } }, { kind: 'apiKey.put', apiKey: key('k2', FEB) }, { kind: 'apiKey.put', apiKey: key('k1', T0) });
      expect(await access.getProject(P)).toEqual({ id: P, name: 'My project', createdAt: T0 });
      await apply({ kind: 'project.put', project: { id: P, name: 'Renamed', createdAt: T0 } }, { kind: 'apiKey.put', apiKey: key('k1', T0, true) });
      expect((await access.getProject(P))?.name).toBe('Renamed');
      expect(await access.listApiKeys(P)).toEqual([key('k1', T0, true), key('k2', FEB)]);
      expect(await access.listApiKeys('other')).toEqual([]);
      expect(await access.getProject('other')).toBeNull();
      await apply({ kind: 'apiKey.revoke', projectId: P, keyId: 'k2' });
      expect((await access.listApiKeys(P)).map((k) => [k.id, k.revoked])).toEqual([
        ['k1', true],
        ['k2', true],
      ]);
      expect((await access.listApiKeys(P))[1]).toEqual({ ...key('k2', FEB), revoked: true });
    });

    it('keys of equal creation time keep their insertion order; keys are per project', async () => {
      await apply({ kind: 'apiKey.put', apiKey: key('kb', T0) }, { kind: 'apiKey.put', apiKey: key('ka', T0) }, { kind: 'apiKey.put', apiKey: key('ka', T0, false, 'other') });
      await apply({ kind: 'apiKey.put', apiKey: key('kc', T0) });
      expect((await access.listApiKeys(P)).map((k) => k.id)).toEqual(['kb', 'ka', 'kc']);
      expect(await access.listApiKeys('other')).toEqual([key('ka', T0, false, 'other')]);
      // Revoking a key of one project leaves the same id in another alone, and an unknown key is a no-op.
      await apply({ kind: 'apiKey.revoke', projectId: P, keyId: 'ka' }, { kind: 'apiKey.revoke', projectId: P, keyId: 'nope' });
      expect((await access.listApiKeys('other'))[0].revoked).toBe(false);
      expect((await access.listApiKeys(P)).map((k) => k.revoked)).toEqual([false, true, false]);
    });

    it('keeps the login re-hash setting of a project (absent until set)', async () => {
      await apply({ kind: 'project.put', project: { id: P, name: 'Project', createdAt: T0 } }, { kind: 'project.loginRehash', projectId: 'other', enabled: false });
      expect((await access.getProject(P))?.loginRehash).toBeUndefined();
      await apply({ kind: 'project.loginRehash', projectId: P, enabled: false });
      expect(await access.getProject(P)).toEqual({ id: P, name: 'Project', createdAt: T0, loginRehash: false });
      await apply({ kind: 'project.loginRehash', projectId: P, enabled: true });
      expect((await access.getProject(P))?.loginRehash).toBe(true);
      expect(await access.getProject('other')).toBeNull();
    });

    it('applies an event once, and all of its changes or none', async () => {
      const r = ref(0, '1', projectStreamId(P));
      expect(await store.apply('access', r, [{ kind: 'apiKey.put', apiKey: key('k1', T0) }])).toBe(true);
      expect(await store.apply('access', r, [{ kind: 'apiKey.put', apiKey: key('k2', T0) }])).toBe(false);
      await expect(
        store.apply('access', ref(1, '2', projectStreamId(P)), [{ kind: 'apiKey.revoke', projectId: P, keyId: 'k1' }, { kind: 'nope' } as unknown as AccessChange]),
      ).rejects.toThrow();
      expect(await access.listApiKeys(P)).toEqual([key('k1', T0)]);
      expect(await store.getCheckpoint('access')).toBe('1');
    });

    it('reset drops projects, keys and the bookkeeping', async () => {
      await store.apply('access', ref(0, '1', projectStreamId(P)), [{ kind: 'project.put', project: { id: P, name: 'Project', createdAt: T0 } }, { kind: 'apiKey.put', apiKey: key('k1', T0) }]);
      await store.reset('access');
      expect(await access.getProject(P)).toBeNull();
      expect(await access.listApiKeys(P)).toEqual([]);
      expect(await store.getCheckpoint('access')).toBeNull();
      expect(await store.apply('access', ref(0, '1', projectStreamId(P)), [{ kind: 'apiKey.put', apiKey: key('k1', T0) }])).toBe(true);
    });

    it('projects the project\'s events: created, keys created, a key revoked; swaps a rebuild in', async () => {
      const event = recordedEvents();
      const stream = projectStreamId(P);
      const log = [
        event(stream, 'ProjectCreated', { projectId: P, name: 'From events' }, { occurredAt: T0 }),
        event(stream, 'ApiKeyCreated', { keyId: 'k1', name: 'one', secretHash: HASH, scopes: ['users.read'], expire: null }, { occurredAt: FEB }),
        event(stream, 'ApiKeyCreated', { keyId: 'k2', name: 'two', secretHash: 'ab', scopes: [], expire: FEB }, { occurredAt: FEB }),
        event(stream, 'ApiKeyRevoked', { keyId: 'k1' }),
        event(stream, 'ProjectLoginRehashChanged', { enabled: false }),
        event('user-acc:u1', 'UserCreated', { userId: 'u1' }),
      ];
      const replay = async (target: ReadModelStore) => {
        for (const e of log) await target.apply('access', { streamId: e.streamId, streamRevision: e.revision, position: e.position }, accessProjection.project(e));
      };
      const expected = [
        { projectId: P, id: 'k1', name: 'one', secretHash: HASH, scopes: ['users.read'], expire: null, createdAt: FEB, revoked: true },
        { projectId: P, id: 'k2', name: 'two', secretHash: 'ab', scopes: [], expire: FEB, createdAt: FEB, revoked: false },
      ];
      await replay(store);
      expect(await access.getProject(P)).toEqual({ id: P, name: 'From events', createdAt: T0, loginRehash: false });
      expect(await access.listApiKeys(P)).toEqual(expected);
      // Replayed again, nothing changes (the revoke is not undone by the key's creation).
      await replay(store);
      expect(await access.listApiKeys(P)).toEqual(expected);

      const shadow = await store.openShadow('access');
      await replay(shadow);
      expect(await queriesOf(shadow, ACCESS).listApiKeys(P)).toEqual(expected);
      await store.swapIn('access', shadow, async (live) => {
        expect(live).toBe(log[log.length - 1].position);
      });
      expect(await access.getProject(P)).toEqual({ id: P, name: 'From events', createdAt: T0, loginRehash: false });
      expect(await access.listApiKeys(P)).toEqual(expected);
      expect(await store.getCheckpoint('access')).toBe(log[log.length - 1].position);
    });
  });
}

accessContract('sqlite', sqliteReadModelsForTests());

describeWithMongo('access on MongoDB', (server) => {
  accessContract('mongodb', server.open);

  it('a lagging projector does not un-revoke a key', async () => {
    const store = await server.open([ACCESS]);
    try {
      const k1: ApiKeyRecord = { projectId: 'p', id: 'k1', name: 'k', secretHash: 'ab', scopes: [], expire: null, createdAt: T0, revoked: false };
      const stream = projectStreamId('p');
      await store.apply('access', ref(0, '5', stream), [{ kind: 'apiKey.put', apiKey: k1 }]);
      await store.apply('access', ref(1, '6', stream), [{ kind: 'apiKey.revoke', projectId: 'p', keyId: 'k1' }]);
      await forgetRevisions(store);
      await store.apply('access', ref(0, '5', stream), [{ kind: 'apiKey.put', apiKey: k1 }]);
      expect((await queriesOf(store, ACCESS).listApiKeys('p')).map((k) => k.revoked)).toEqual([true]);
    } finally {
      await store.close();
    }
  });
});
