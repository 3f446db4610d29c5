import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Db, MongoClient } from 'mongodb';
import { describeReadStoreContract, makeUser } from '../contract/read-store.contract';
import type { ApiKeyRecord, ReadModelChange, ReadStore } from '../read-store.port';
import { ProjectionSwapError, MongoReadStore } from './mongodb-read-store';
import { COLLECTIONS, INDEXES } from './mongodb-schema';
import { compileUserFilter } from './mongodb-user-query';

/*
 * The read-store contract against a real server: FerretDB 1.24 from `npm run infra:up` (which
 * writes MONGODB_URL to .infra/env), or whatever MONGODB_URL points at (MongoDB 7 works too).
 * Every store gets a fresh database with a random name, dropped when the store is closed.
 * Without a server: in CI (CI set) that is a failure; locally a banner says the contract did
 * not run, and only a unit test runs.
 */

function mongoUrl(): string | null {
  if (process.env.MONGODB_URL) return process.env.MONGODB_URL;
  try {
    const env = readFileSync(join(__dirname, '..', '..', '..', '..', '.infra', 'env'), 'utf8');
    return /^MONGODB_URL=(.+)$/m.exec(env)?.[1].trim() ?? null;
  } catch {
    return null;
  }
}

const URL = mongoUrl();

if (URL === null) {
  if (process.env.CI) {
    describe('MongoReadStore', () => {
      it('has a MongoDB/FerretDB server to run the contract against (MONGODB_URL or .infra/env from `npm run infra:up`)', () => {
        throw new Error('No MongoDB server: set MONGODB_URL or run `npm run infra:up` before the tests (CI must not skip the contract)');
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(
      [
        '',
        '*****************************************************************************',
        '*  MongoReadStore: NO SERVER (no MONGODB_URL, no .infra/env).                *',
        '*  The read-store contract did NOT run against MongoDB/FerretDB.             *',
        '*  Run `npm run infra:up` (or set MONGODB_URL) and run the tests again.      *',
        '*****************************************************************************',
        '',
      ].join('\n'),
    );
    describe('MongoReadStore without a server', () => {
      it('still compiles filters (the contract needs a server: see the banner)', () => {
        expect(compileUserFilter({ method: 'notEqual', attribute: 'email', values: ['A@B.C'] })).toEqual({ emailLc: { $nin: ['a@b.c', null] } });
      });
    });
  }
} else {
  describeAgainstServer(URL);
}

function describeAgainstServer(url: string): void {
  // One client for the file; a server that cannot be reached fails every test at once, fast.
  let client: MongoClient | null = null;
  let connecting: Promise<MongoClient> | null = null;
  const connected = (): Promise<MongoClient> => {
    connecting ??= (async () => {
      client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
      try {
        return await client.connect();
      } catch (err) {
        throw new Error(`MongoDB/FerretDB at ${url} is unreachable (stale .infra/env? run \`npm run infra:up\`): ${(err as Error).message}`);
      }
    })();
    return connecting;
  };
  afterAll(async () => {
    await client?.close();
  });

  const freshDbName = () => `rs_test_${randomBytes(6).toString('hex')}`;

  /** A store on a fresh database, dropped when the store is closed. */
  class TestStore extends MongoReadStore {
    private dropped = false;
    constructor(readonly database: Db) {
      super(database);
    }
    override async close(): Promise<void> {
      await super.close();
      if (!this.dropped) {
        this.dropped = true;
        await this.database.dropDatabase();
      }
    }
  }
  const open = async (): Promise<TestStore> => {
    const store = new TestStore((await connected()).db(freshDbName()));
    await store.init();
    return store;
  };

  describeReadStoreContract('mongodb', open);

  describe('MongoReadStore specifics', () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });
    const P = 'mongo';
    const put = (id: string, sequence: number, over = {}): ReadModelChange => ({ kind: 'user.put', user: makeUser(P, id, sequence, over) });

    it('creates its indexes idempotently, from several instances on one database', async () => {
      const again = new MongoReadStore(store.database);
      await Promise.all([again.init(), new MongoReadStore(store.database).init()]);
      await again.close();
      for (const [name, specs] of Object.entries(INDEXES)) {
        const existing = (await store.database.collection(name).indexes()).map((i) => i.name);
        for (const spec of specs) expect(existing).toContain(spec.name);
      }
      const unique = (await store.database.collection(COLLECTIONS.users).indexes()).find((i) => i.name === 'users_by_project_id');
      expect(unique).toMatchObject({ key: { projectId: 1, id: 1 }, unique: true });
    });

    it('two instances on the same database see each other\'s writes and share bookkeeping', async () => {
      const other = new MongoReadStore(store.database);
      const ref = { streamId: 'user-u1', streamRevision: 0, position: '1' };
      expect(await store.applyChanges('users', ref, [put('u1', 1)])).toBe(true);
      expect((await other.getUser(P, 'u1'))?.id).toBe('u1');
      expect(await other.applyChanges('users', ref, [])).toBe(false);
      expect(await other.getCheckpoint('users')).toBe('1');
      await other.close();
    });

    it('connect() owns its client; close() is idempotent', async () => {
      const name = freshDbName();
      const own = await MongoReadStore.connect(url, name);
      await own.applyChanges('users', { streamId: 's', streamRevision: 0, position: '1' }, [put('u1', 1)]);
      expect((await store.database.client.db(name).collection(COLLECTIONS.users).countDocuments())).toBe(1);
      await own.close();
      await own.close();
      await store.database.client.db(name).dropDatabase();
    });

    it('uses an injected position order for checkpoints', async () => {
      const reversed = new MongoReadStore(store.database, { comparePositions: (x, y) => y.localeCompare(x) });
      await reversed.applyChanges('users', { streamId: 's', streamRevision: 0, position: 'b' }, []);
      await reversed.applyChanges('users', { streamId: 's', streamRevision: 1, position: 'a' }, []);
      expect(await reversed.getCheckpoint('users')).toBe('a');
    });

    it('converges when an event is replayed after a crash between its changes and its revision', async () => {
      const event = { streamId: 'user-u1', streamRevision: 0, position: '1' };
      const changes: ReadModelChange[] = [
        put('u1', 1),
        { kind: 'user.patch', projectId: P, userId: 'u1', patch: { name: 'Patched Name' } },
        {
          kind: 'log.append',
          log: { ...logOf('e1'), userId: 'u1' },
        },
      ];
      expect(await store.applyChanges('users', event, changes)).toBe(true);
      const before = await store.getUser(P, 'u1');
      // The crash: revision and checkpoint never written.
      await store.database.collection(COLLECTIONS.streams).deleteMany({});
      await store.database.collection(COLLECTIONS.checkpoints).deleteMany({});
      expect(await store.applyChanges('users', event, changes)).toBe(true);
      expect(await store.getUser(P, 'u1')).toEqual(before);
      expect((await store.listLogs(P, 'u1', 0, 10, 0)).total).toBe(1);
      expect((await store.listUsers(P, { filters: [], orders: [], limit: 25, offset: 0, search: 'patched' })).total).toBe(1);
      expect(await store.getCheckpoint('users')).toBe('1');
    });

    it('drops the late write of a lagging projector: no stale put, no resurrection, no un-revoke', async () => {
      const s = 'user-u1';
      const ev = (streamRevision: number, position: string) => ({ streamId: s, streamRevision, position });
      await store.applyChanges('users', ev(0, '1'), [put('u1', 1)]);
      await store.applyChanges('users', ev(1, '2'), [{ kind: 'user.patch', projectId: P, userId: 'u1', patch: { name: 'New' } }]);
      // A second process that read the revision before the first one advanced it writes event 0 late:
      // simulated by a store whose revision documents are gone.
      await store.database.collection(COLLECTIONS.streams).deleteMany({});
      await store.applyChanges('users', ev(0, '1'), [put('u1', 1, { name: 'Old' })]);
      expect((await store.getUser(P, 'u1'))?.name).toBe('New');

      await store.applyChanges('users', ev(2, '3'), [{ kind: 'user.delete', projectId: P, userId: 'u1' }]);
      await store.database.collection(COLLECTIONS.streams).deleteMany({});
      await store.applyChanges('users', ev(0, '1'), [put('u1', 1)]);
      await store.applyChanges('users', ev(1, '2'), [{ kind: 'user.patch', projectId: P, userId: 'u1', patch: { name: 'Back' } }]);
      expect(await store.getUser(P, 'u1')).toBeNull();
      expect((await store.listUsers(P, { filters: [], orders: [], limit: 25, offset: 0 })).total).toBe(0);
      // Re-created later in the same stream: a newer event, so it is applied.
      await store.applyChanges('users', ev(3, '4'), [put('u1', 9)]);
      expect((await store.getUser(P, 'u1'))?.sequence).toBe(9);

      const key: ApiKeyRecord = { projectId: P, id: 'k1', name: 'k', secretHash: 'ab', scopes: [], expire: null, createdAt: T0, revoked: false };
      await store.applyChanges('access', { streamId: 'project-p', streamRevision: 0, position: '5' }, [{ kind: 'apiKey.put', apiKey: key }]);
      await store.applyChanges('access', { streamId: 'project-p', streamRevision: 1, position: '6' }, [{ kind: 'apiKey.revoke', projectId: P, keyId: 'k1' }]);
      await store.database.collection(COLLECTIONS.streams).deleteMany({});
      await store.applyChanges('access', { streamId: 'project-p', streamRevision: 0, position: '5' }, [{ kind: 'apiKey.put', apiKey: key }]);
      expect((await store.listApiKeys(P)).map((k) => k.revoked)).toEqual([true]);
    });

    it('two instances applying the same events at the same time corrupt nothing', async () => {
      const other = new MongoReadStore(store.database);
      const events = Array.from({ length: 30 }, (_, i) => ({
        ref: { streamId: `user-u${i % 3}`, streamRevision: Math.floor(i / 3), position: String(i + 1) },
        changes:
          i < 3
            ? [put(`u${i}`, i + 1)]
            : [{ kind: 'user.patch' as const, projectId: P, userId: `u${i % 3}`, patch: { name: `Name ${i}`, email: `n${i}@x.io` } }],
      }));
      // Both apply each event at the same time (lockstep): the same event concurrently, the case
      // that must hold on FerretDB too, whose conditional updates are not atomic.
      for (const e of events) {
        const applied = await Promise.all([store, other].map((s: ReadStore) => s.applyChanges('users', e.ref, e.changes)));
        expect(applied).toContain(true);
      }
      await other.close();
      for (let u = 0; u < 3; u++) {
        const last = 27 + u;
        expect(await store.getUser(P, `u${u}`)).toMatchObject({ name: `Name ${last}`, email: `n${last}@x.io` });
        expect((await store.listUsers(P, { filters: [], orders: [], limit: 25, offset: 0, search: `n${last}` })).items.map((x) => x.id)).toEqual([`u${u}`]);
      }
      expect(await store.getCheckpoint('users')).toBe('30');
    });

    it('applies a batch of puts in which some records exist already (insert new, update existing, skip newer)', async () => {
      await store.applyChanges('users', { streamId: 'user-b', streamRevision: 5, position: '1' }, [put('b', 2, { name: 'Newer' })]);
      await store.applyChanges('users', { streamId: 'bulk', streamRevision: 0, position: '2' }, [put('a', 1, { name: 'Old A' })]);
      expect(
        await store.applyChanges('users', { streamId: 'bulk', streamRevision: 1, position: '3' }, [
          put('a', 1, { name: 'New A' }),
          put('c', 3),
          { kind: 'log.append', log: { ...logOf('e1'), userId: 'a' } },
          { kind: 'log.append', log: { ...logOf('e2'), userId: 'a' } },
        ]),
      ).toBe(true);
      // A lagging process writes an older event of b's stream (its revision check passed before):
      // 'b' keeps the newer state, the new 'd' is written.
      await store.database.collection(COLLECTIONS.streams).deleteMany({});
      await store.applyChanges('users', { streamId: 'user-b', streamRevision: 4, position: '4' }, [put('b', 2, { name: 'Stale' }), put('d', 4)]);
      expect((await store.listUsers(P, { filters: [], orders: [], limit: 25, offset: 0 })).items.map((u) => [u.id, u.name])).toEqual([
        ['a', 'New A'],
        ['b', 'Newer'],
        ['c', 'c'],
        ['d', 'd'],
      ]);
      await store.applyChanges('logs', { streamId: 'bulk', streamRevision: 9, position: '5' }, [
        { kind: 'log.append', log: { ...logOf('e2'), userId: 'a' } },
        { kind: 'log.append', log: { ...logOf('e3'), userId: 'a' } },
      ]);
      expect((await store.listLogs(P, 'a', 0, 10, 0)).items.map((l) => l.id).sort()).toEqual(['e1', 'e2', 'e3']);
    });

    it('rebuilds blue/green: a shadow beside the live store, writers held off during the swap', async () => {
      await store.applyChanges('users', { streamId: 'user-old', streamRevision: 0, position: '1' }, [put('old', 1)]);
      const shadow = await store.openShadow('users');
      await shadow.applyChanges('users', { streamId: 'user-a', streamRevision: 0, position: '1' }, [put('a', 1)]);
      await shadow.applyChanges('users', { streamId: 'user-b', streamRevision: 0, position: '2' }, [put('b', 2)]);
      expect((await store.listUsers(P, { filters: [], orders: [], limit: 25, offset: 0 })).items.map((u) => u.id)).toEqual(['old']);

      let seenLive: string | null | undefined;
      await store.swapIn('users', shadow, async (livePosition) => {
        seenLive = livePosition;
        // Writers of the live store (any process) are refused while the swap runs.
        await expect(store.applyChanges('users', { streamId: 'user-c', streamRevision: 0, position: '3' }, [put('c', 3)])).rejects.toThrow(
          ProjectionSwapError,
        );
        await shadow.applyChanges('users', { streamId: 'user-c', streamRevision: 0, position: '3' }, [put('c', 3)]);
      });
      expect(seenLive).toBe('1');
      expect((await store.listUsers(P, { filters: [], orders: [], limit: 25, offset: 0, search: 'b' })).items.map((u) => u.id)).toEqual(['b']);
      expect((await store.listUsers(P, { filters: [], orders: [], limit: 25, offset: 0 })).items.map((u) => u.id)).toEqual(['a', 'b', 'c']);
      expect(await store.getCheckpoint('users')).toBe('3');
      // The swapped-in revisions are trusted: a replay is skipped; the next event applies.
      expect(await store.applyChanges('users', { streamId: 'user-c', streamRevision: 0, position: '3' }, [put('c', 3, { name: 'Replay' })])).toBe(false);
      expect(await store.applyChanges('users', { streamId: 'user-d', streamRevision: 0, position: '4' }, [put('d', 4)])).toBe(true);
      expect(await store.getCheckpoint('users')).toBe('4');
      const names = (await store.database.listCollections().toArray()).map((c) => c.name);
      expect(names.filter((n) => n.startsWith('rebuild_'))).toEqual([]);
    });

    it('fails an event that was under way when a swap happened, so that it is re-applied', async () => {
      await store.applyChanges('users', { streamId: 'user-a', streamRevision: 0, position: '1' }, [put('a', 1)]);
      const shadow = await store.openShadow('users');
      const slow = new MongoReadStore(store.database);
      // The event reads its epoch, then the swap runs before it reaches its checkpoint step.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const internals = slow as unknown as { applyAll: (...a: unknown[]) => Promise<void> };
      const original = internals.applyAll.bind(slow);
      let reached!: () => void;
      const atGate = new Promise<void>((resolve) => (reached = resolve));
      internals.applyAll = async (...a: unknown[]) => {
        reached();
        await gate;
        return original(...a);
      };
      const underWay = slow.applyChanges('users', { streamId: 'user-b', streamRevision: 0, position: '2' }, [put('b', 2)]).then(
        () => null,
        (err: unknown) => err,
      );
      await atGate;
      await store.swapIn('users', shadow, async () => undefined);
      release();
      expect(await underWay).toBeInstanceOf(ProjectionSwapError);
      internals.applyAll = original;
      // Re-applied from the (swapped-in) checkpoint, it lands.
      expect(await slow.applyChanges('users', { streamId: 'user-b', streamRevision: 0, position: '2' }, [put('b', 2)])).toBe(true);
      expect((await store.listUsers(P, { filters: [], orders: [], limit: 25, offset: 0 })).items.map((u) => u.id)).toEqual(['b']);
    });
  });
}

const T0 = '2023-01-01T00:00:00.000+00:00';

function logOf(id: string) {
  return {
    projectId: 'mongo',
    userId: 'u1',
    sequence: 1,
    id,
    event: 'user.update',
    userEmail: 'u1@example.com',
    userName: 'u1',
    mode: 'admin',
    ip: '127.0.0.1',
    time: T0,
    osCode: '',
    osName: '',
    osVersion: '',
    clientType: '',
    clientCode: '',
    clientName: '',
    clientVersion: '',
    clientEngine: '',
    clientEngineVersion: '',
    deviceName: '',
    deviceBrand: '',
    deviceModel: '',
    countryCode: '--',
  };
}
