import {
  ComparisonMethod,
  LIST_TOTAL_CAP,
  UserAttribute,
  UserFilter,
  UserListQuery,
  UserOrder,
} from '../../../appwrite/src/queries/user-list-query';
import type {
  ApiKeyRecord,
  LogRecord,
  MembershipRecord,
  ReadModelChange,
  ReadStore,
  SessionRecord,
  UserRecord,
} from '../read-store.port';
import { referenceListUsers } from './reference-user-list';

/**
 * Every read-store adapter runs this suite. `open` must return a fresh, empty store each call.
 * Each group of tests also uses its own project ids, so leftovers could never leak into a result.
 */
export function describeReadStoreContract(name: string, open: () => Promise<ReadStore>): void {
  describe(`read store contract: ${name}`, () => {
    describeBookkeeping(open);
    describeRecords(open);
    describeListUsers(open);
    describeSearch(open);
    describeTotalCap(open);
    describeAgainstReference(open);
  });
}

// ---------------------------------------------------------------------------------------------
// Builders

const T0 = '2023-01-01T00:00:00.000+00:00';

export function makeUser(projectId: string, id: string, sequence: number, over: Partial<UserRecord> = {}): UserRecord {
  return {
    projectId,
    id,
    sequence,
    createdAt: T0,
    updatedAt: T0,
    name: id,
    email: `${id.toLowerCase()}@example.com`,
    phone: null,
    status: true,
    emailVerification: false,
    phoneVerification: false,
    password: null,
    hash: 'argon2',
    hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 },
    passwordUpdate: null,
    registration: T0,
    prefs: {},
    ...over,
  };
}

function makeSession(projectId: string, userId: string, id: string, createdAt: string): SessionRecord {
  return {
    projectId,
    userId,
    id,
    createdAt,
    expire: null,
    provider: 'email',
    providerUid: `${userId}@example.com`,
    providerAccessToken: '',
    providerAccessTokenExpiry: null,
    providerRefreshToken: '',
    ip: '127.0.0.1',
    osCode: 'MAC',
    osName: 'Mac',
    osVersion: '10.15',
    clientType: 'browser',
    clientCode: 'CH',
    clientName: 'Chrome',
    clientVersion: '112.0',
    clientEngine: 'Blink',
    clientEngineVersion: '112.0.0.0',
    deviceName: 'desktop',
    deviceBrand: 'Apple',
    deviceModel: '',
    countryCode: '--',
  };
}

function makeLog(projectId: string, userId: string, sequence: number, id: string, time: string): LogRecord {
  return {
    projectId,
    userId,
    sequence,
    id,
    event: 'user.update',
    userEmail: `${userId}@example.com`,
    userName: userId,
    mode: 'admin',
    ip: '127.0.0.1',
    time,
    osCode: '',
    osName: '',
    osVersion: '',
    clientType: 'library',
    clientCode: '',
    clientName: 'Node Fetch',
    clientVersion: '',
    clientEngine: '',
    clientEngineVersion: '',
    deviceName: '',
    deviceBrand: '',
    deviceModel: '',
    countryCode: '--',
  };
}

function makeMembership(projectId: string, userId: string, id: string, createdAt: string): MembershipRecord {
  return {
    projectId,
    userId,
    id,
    createdAt,
    updatedAt: createdAt,
    teamId: `team-${id}`,
    teamName: 'VIP',
    invited: createdAt,
    joined: null,
    confirm: false,
    roles: ['owner', 'admin'],
  };
}

/** Applies changes as one new event of a new stream, at an ever-growing position. */
class Applier {
  private n = 0;
  constructor(private readonly store: () => ReadStore) {}
  apply(changes: ReadModelChange[], projection = 'users'): Promise<boolean> {
    this.n += 1;
    return this.store().applyChanges(
      projection,
      { streamId: `stream-${this.n}`, streamRevision: 0, position: String(this.n) },
      changes,
    );
  }
}

function query(over: Partial<UserListQuery> = {}): UserListQuery {
  return { filters: [], orders: [], limit: 25, offset: 0, ...over };
}

const asc = (attribute: UserAttribute | null): UserOrder => ({ attribute, direction: 'asc' });
const desc = (attribute: UserAttribute | null): UserOrder => ({ attribute, direction: 'desc' });

// ---------------------------------------------------------------------------------------------

function describeBookkeeping(open: () => Promise<ReadStore>): void {
  describe('projection bookkeeping', () => {
    let store: ReadStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });
    const P = 'bk';
    const ref = (streamRevision: number, position: string, streamId = 'user-u1') => ({ streamId, streamRevision, position });
    const logOf = (id: string) => makeLog(P, 'u1', 1, id, T0);

    it('applies an event once: a replayed revision returns false and writes nothing', async () => {
      expect(await store.applyChanges('logs', ref(0, '1'), [{ kind: 'log.append', log: logOf('e1') }])).toBe(true);
      expect(await store.applyChanges('logs', ref(0, '1'), [{ kind: 'log.append', log: logOf('e1-again') }])).toBe(false);
      const logs = await store.listLogs(P, 'u1', 0, 100, 0);
      expect(logs.items.map((l) => l.id)).toEqual(['e1']);
      expect(logs.total).toBe(1);
    });

    it('ignores revisions at or below the last applied one, per stream', async () => {
      const u = makeUser(P, 'u1', 1);
      expect(await store.applyChanges('users', ref(0, '1'), [{ kind: 'user.put', user: u }])).toBe(true);
      expect(
        await store.applyChanges('users', ref(2, '3'), [
          { kind: 'user.patch', projectId: P, userId: 'u1', patch: { name: 'Two' } },
        ]),
      ).toBe(true);
      expect(
        await store.applyChanges('users', ref(1, '2'), [
          { kind: 'user.patch', projectId: P, userId: 'u1', patch: { name: 'One' } },
        ]),
      ).toBe(false);
      expect(await store.applyChanges('users', ref(0, '1'), [{ kind: 'user.put', user: u }])).toBe(false);
      expect((await store.getUser(P, 'u1'))?.name).toBe('Two');
      // Another stream has its own revisions.
      expect(
        await store.applyChanges('users', ref(0, '4', 'user-u2'), [{ kind: 'user.put', user: makeUser(P, 'u2', 4) }]),
      ).toBe(true);
    });

    it('keeps revisions per projection', async () => {
      expect(await store.applyChanges('users', ref(0, '1'), [])).toBe(true);
      expect(await store.applyChanges('logs', ref(0, '1'), [])).toBe(true);
      expect(await store.applyChanges('logs', ref(0, '1'), [])).toBe(false);
    });

    it('moves the checkpoint forward only, also on replays, comparing positions as numbers', async () => {
      expect(await store.getCheckpoint('users')).toBeNull();
      await store.applyChanges('users', ref(0, '5', 'a'), []);
      expect(await store.getCheckpoint('users')).toBe('5');
      expect(await store.applyChanges('users', ref(0, '3', 'b'), [])).toBe(true);
      expect(await store.getCheckpoint('users')).toBe('5');
      await store.applyChanges('users', ref(1, '10', 'a'), []);
      expect(await store.getCheckpoint('users')).toBe('10');
      expect(await store.applyChanges('users', ref(1, '12', 'a'), [])).toBe(false);
      expect(await store.getCheckpoint('users')).toBe('12');
      await store.applyChanges('users', ref(2, '9', 'a'), []);
      expect(await store.getCheckpoint('users')).toBe('12');
      expect(await store.getCheckpoint('logs')).toBeNull();
    });

    it('applies all changes of an event or none', async () => {
      const bad = { kind: 'no.such.change' } as unknown as ReadModelChange;
      await expect(
        store.applyChanges('users', ref(0, '1'), [{ kind: 'user.put', user: makeUser(P, 'u1', 1) }, bad]),
      ).rejects.toThrow();
      expect(await store.getUser(P, 'u1')).toBeNull();
      expect(await store.getCheckpoint('users')).toBeNull();
      expect(await store.applyChanges('users', ref(0, '1'), [{ kind: 'user.put', user: makeUser(P, 'u1', 1) }])).toBe(true);
    });

    it('reset drops exactly what the projection owns, and its bookkeeping', async () => {
      const key: ApiKeyRecord = {
        projectId: P,
        id: 'k1',
        name: 'key',
        secretHash: 'ab',
        scopes: ['users.read'],
        expire: null,
        createdAt: T0,
        revoked: false,
      };
      await store.applyChanges('users', ref(0, '1'), [{ kind: 'user.put', user: makeUser(P, 'u1', 1) }]);
      await store.applyChanges('sessions', ref(0, '1'), [{ kind: 'session.put', session: makeSession(P, 'u1', 's1', T0) }]);
      await store.applyChanges('memberships', ref(0, '1'), [
        { kind: 'membership.put', membership: makeMembership(P, 'u1', 'm1', T0) },
      ]);
      await store.applyChanges('logs', ref(0, '1'), [{ kind: 'log.append', log: logOf('e1') }]);
      await store.applyChanges('access', ref(0, '1', 'project-p'), [
        { kind: 'project.put', project: { id: P, name: 'Project', createdAt: T0 } },
        { kind: 'apiKey.put', apiKey: key },
      ]);

      await store.reset('users');
      expect(await store.getUser(P, 'u1')).toBeNull();
      expect((await store.listUsers(P, query())).total).toBe(0);
      expect((await store.listUsers(P, query({ search: 'u1' }))).total).toBe(0);
      expect(await store.getCheckpoint('users')).toBeNull();
      expect(await store.applyChanges('users', ref(0, '1'), [{ kind: 'user.put', user: makeUser(P, 'u1', 1) }])).toBe(true);
      expect((await store.listUsers(P, query({ search: 'u1' }))).total).toBe(1);
      expect(await store.listSessions(P, 'u1')).toHaveLength(1);
      expect(await store.getCheckpoint('sessions')).toBe('1');

      await store.reset('sessions');
      expect(await store.listSessions(P, 'u1')).toHaveLength(0);
      expect(await store.getSession(P, 's1')).toBeNull();
      expect(await store.listMemberships(P, 'u1')).toHaveLength(1);
      await store.reset('memberships');
      expect(await store.listMemberships(P, 'u1')).toHaveLength(0);
      await store.reset('logs');
      expect((await store.listLogs(P, 'u1', 0, 10, 0)).total).toBe(0);
      expect(await store.getProject(P)).not.toBeNull();
      await store.reset('access');
      expect(await store.getProject(P)).toBeNull();
      expect(await store.listApiKeys(P)).toEqual([]);
      expect(await store.getCheckpoint('access')).toBeNull();
      expect(await store.getUser(P, 'u1')).not.toBeNull();
    });
  });
}

// ---------------------------------------------------------------------------------------------

function describeRecords(open: () => Promise<ReadStore>): void {
  describe('records', () => {
    let store: ReadStore;
    const applier = new Applier(() => store);
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });
    const P = 'rec';

    it('stores a user verbatim, JSON key order included, per project', async () => {
      const user = makeUser(P, 'u1', 7, {
        name: 'Ünïcødé ✓ 名前',
        email: 'u1@example.com',
        phone: '+14155552671',
        password: '$argon2id$v=19$m=65536,t=4,p=3$abc$def',
        hash: 'scryptMod',
        hashOptions: { signerKey: 'k', saltSeparator: 'Bw==', salt: 's', type: 'scryptMod' },
        passwordUpdate: '2023-05-09T05:19:31.112+00:00',
        prefs: { zeta: 1, alpha: { y: [1, 'two', null], b: true }, mid: 'x' },
        emailVerification: true,
      });
      await applier.apply([{ kind: 'user.put', user }]);
      const read = await store.getUser(P, 'u1');
      expect(read).toEqual(user);
      expect(Object.keys(read!.hashOptions)).toEqual(['signerKey', 'saltSeparator', 'salt', 'type']);
      expect(Object.keys(read!.prefs)).toEqual(['zeta', 'alpha', 'mid']);
      expect(Object.keys((read!.prefs as { alpha: object }).alpha)).toEqual(['y', 'b']);
      expect(await store.getUser('other', 'u1')).toBeNull();
      expect(await store.getUser(P, 'U1')).toBeNull();
    });

    it('puts (upsert), patches, and deletes users', async () => {
      await applier.apply([{ kind: 'user.put', user: makeUser(P, 'u1', 1, { email: 'old@example.com' }) }]);
      await applier.apply([{ kind: 'user.put', user: makeUser(P, 'u1', 1, { name: 'Replaced', email: 'new@example.com' }) }]);
      expect(await store.getUser(P, 'u1')).toMatchObject({ name: 'Replaced', email: 'new@example.com' });
      expect((await store.listUsers(P, query({ search: 'old' }))).total).toBe(0);
      expect((await store.listUsers(P, query({ search: 'replaced' }))).total).toBe(1);

      await applier.apply([
        {
          kind: 'user.patch',
          projectId: P,
          userId: 'u1',
          patch: { name: 'Patched', email: null, status: false, prefs: { b: 1, a: 2 }, updatedAt: '2024-01-01T00:00:00.000+00:00' },
        },
      ]);
      const patched = await store.getUser(P, 'u1');
      expect(patched).toEqual(
        makeUser(P, 'u1', 1, {
          name: 'Patched',
          email: null,
          status: false,
          prefs: { b: 1, a: 2 },
          updatedAt: '2024-01-01T00:00:00.000+00:00',
        }),
      );
      expect(Object.keys(patched!.prefs)).toEqual(['b', 'a']);
      expect((await store.listUsers(P, query({ filters: [{ method: 'isNull', attribute: 'email' }] }))).total).toBe(1);
      expect((await store.listUsers(P, query({ search: 'patched' }))).total).toBe(1);
      expect((await store.listUsers(P, query({ search: 'replaced' }))).total).toBe(0);

      // Patching a missing user is a no-op, not an insert.
      await applier.apply([{ kind: 'user.patch', projectId: P, userId: 'ghost', patch: { name: 'Ghost' } }]);
      expect(await store.getUser(P, 'ghost')).toBeNull();

      await applier.apply([{ kind: 'user.delete', projectId: P, userId: 'u1' }]);
      await applier.apply([{ kind: 'user.delete', projectId: P, userId: 'u1' }]);
      expect(await store.getUser(P, 'u1')).toBeNull();
      expect((await store.listUsers(P, query({ search: 'patched' }))).total).toBe(0);
      expect((await store.listUsers(P, query())).total).toBe(0);

      // Re-created under the same id: a new incarnation with a new sequence.
      await applier.apply([{ kind: 'user.put', user: makeUser(P, 'u1', 99) }]);
      expect((await store.getUser(P, 'u1'))?.sequence).toBe(99);
    });

    it('lists sessions in creation order (at most 1000), gets, deletes one or all of a user', async () => {
      const t = (s: number) => `2023-01-01T00:00:${String(s).padStart(2, '0')}.000+00:00`;
      await applier.apply(
        [
          { kind: 'session.put', session: makeSession(P, 'u1', 's-b', t(2)) },
          { kind: 'session.put', session: makeSession(P, 'u1', 's-a', t(1)) },
          { kind: 'session.put', session: makeSession(P, 'u1', 's-c', t(2)) },
          { kind: 'session.put', session: makeSession(P, 'u2', 's-x', t(0)) },
        ],
        'sessions',
      );
      expect((await store.listSessions(P, 'u1')).map((s) => s.id)).toEqual(['s-a', 's-b', 's-c']);
      expect(await store.getSession(P, 's-x')).toEqual(makeSession(P, 'u2', 's-x', t(0)));
      expect(await store.getSession('other', 's-x')).toBeNull();
      expect(await store.getSession(P, 'nope')).toBeNull();

      await applier.apply([{ kind: 'session.delete', projectId: P, userId: 'u1', sessionId: 's-b' }], 'sessions');
      expect((await store.listSessions(P, 'u1')).map((s) => s.id)).toEqual(['s-a', 's-c']);
      await applier.apply([{ kind: 'session.deleteAllOfUser', projectId: P, userId: 'u1' }], 'sessions');
      expect(await store.listSessions(P, 'u1')).toEqual([]);
      expect(await store.listSessions(P, 'u2')).toHaveLength(1);

      const many: ReadModelChange[] = Array.from({ length: 1001 }, (_, i) => ({
        kind: 'session.put',
        session: makeSession(P, 'u3', `s${String(i).padStart(4, '0')}`, T0),
      }));
      await applier.apply(many, 'sessions');
      const listed = await store.listSessions(P, 'u3');
      expect(listed).toHaveLength(1000);
      expect(listed[0].id).toBe('s0000');
      expect(listed[999].id).toBe('s0999');
    });

    it('lists memberships in creation order and deletes all of a user', async () => {
      const m1 = makeMembership(P, 'u1', 'm1', '2023-02-01T00:00:00.000+00:00');
      const m2 = { ...makeMembership(P, 'u1', 'm2', T0), joined: T0, confirm: true, roles: [] };
      await applier.apply(
        [
          { kind: 'membership.put', membership: m1 },
          { kind: 'membership.put', membership: m2 },
          { kind: 'membership.put', membership: makeMembership(P, 'u2', 'm3', T0) },
        ],
        'memberships',
      );
      expect(await store.listMemberships(P, 'u1')).toEqual([m2, m1]);
      const renamed = { ...m1, teamName: 'Renamed' };
      await applier.apply([{ kind: 'membership.put', membership: renamed }], 'memberships');
      expect(await store.listMemberships(P, 'u1')).toEqual([m2, renamed]);
      await applier.apply([{ kind: 'membership.deleteAllOfUser', projectId: P, userId: 'u1' }], 'memberships');
      expect(await store.listMemberships(P, 'u1')).toEqual([]);
      expect(await store.listMemberships(P, 'u2')).toHaveLength(1);
    });

    it('keeps logs newest first (ties: last appended first), per user incarnation, idempotent by id', async () => {
      const t = (m: number) => `2023-01-01T00:${String(m).padStart(2, '0')}:00.000+00:00`;
      await applier.apply([{ kind: 'log.append', log: makeLog(P, 'u1', 10, 'e1', t(1)) }], 'logs');
      await applier.apply([{ kind: 'log.append', log: makeLog(P, 'u1', 20, 'e2', t(3)) }], 'logs');
      await applier.apply([{ kind: 'log.append', log: makeLog(P, 'u1', 30, 'e3', t(2)) }], 'logs');
      await applier.apply([{ kind: 'log.append', log: makeLog(P, 'u1', 40, 'e4', t(2)) }], 'logs');
      // u1 deleted and created again at sequence 45: only e5 belongs to the new user.
      await applier.apply([{ kind: 'log.append', log: makeLog(P, 'u1', 50, 'e5', t(9)) }], 'logs');
      await applier.apply([{ kind: 'log.append', log: makeLog(P, 'u2', 60, 'e6', t(9)) }], 'logs');
      // The same event seen again through another stream/revision: still one record.
      await applier.apply([{ kind: 'log.append', log: makeLog(P, 'u1', 10, 'e1', t(1)) }], 'logs');

      const old = await store.listLogs(P, 'u1', 5, 5000, 0);
      expect(old.items.map((l) => l.id)).toEqual(['e5', 'e2', 'e4', 'e3', 'e1']);
      expect(old.total).toBe(5);
      expect(old.items[1]).toEqual(makeLog(P, 'u1', 20, 'e2', t(3)));
      const page = await store.listLogs(P, 'u1', 5, 2, 2);
      expect(page.items.map((l) => l.id)).toEqual(['e4', 'e3']);
      expect(page.total).toBe(5);
      expect(await store.listLogs(P, 'u1', 5, 0, 0)).toEqual({ total: 5, items: [] });
      expect((await store.listLogs(P, 'u1', 5, 10, 10)).items).toEqual([]);
      expect(await store.listLogs(P, 'u1', 45, 10, 0)).toEqual({ total: 1, items: [makeLog(P, 'u1', 50, 'e5', t(9))] });
      expect(await store.listLogs(P, 'nobody', 0, 10, 0)).toEqual({ total: 0, items: [] });
    });

    it('stores projects and API keys (revoked ones included), keys in creation order', async () => {
      const key = (id: string, createdAt: string, revoked = false): ApiKeyRecord => ({
        projectId: P,
        id,
        name: `key ${id}`,
        secretHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        scopes: ['users.read', 'users.write'],
        expire: revoked ? T0 : null,
        createdAt,
        revoked,
      });
      expect(await store.getProject(P)).toBeNull();
      await applier.apply(
        [
          { kind: 'project.put', project: { id: P, name: 'My project', createdAt: T0 } },
          { kind: 'apiKey.put', apiKey: key('k2', '2023-02-01T00:00:00.000+00:00') },
          { kind: 'apiKey.put', apiKey: key('k1', T0) },
        ],
        'access',
      );
      expect(await store.getProject(P)).toEqual({ id: P, name: 'My project', createdAt: T0 });
      await applier.apply(
        [
          { kind: 'project.put', project: { id: P, name: 'Renamed', createdAt: T0 } },
          { kind: 'apiKey.put', apiKey: key('k1', T0, true) },
        ],
        'access',
      );
      expect((await store.getProject(P))?.name).toBe('Renamed');
      expect(await store.listApiKeys(P)).toEqual([key('k1', T0, true), key('k2', '2023-02-01T00:00:00.000+00:00')]);
      expect(await store.listApiKeys('other')).toEqual([]);
      await applier.apply([{ kind: 'apiKey.revoke', projectId: P, keyId: 'k2' }], 'access');
      expect((await store.listApiKeys(P)).map((k) => [k.id, k.revoked])).toEqual([['k1', true], ['k2', true]]);
      expect((await store.listApiKeys(P))[1]).toEqual({ ...key('k2', '2023-02-01T00:00:00.000+00:00'), revoked: true });
    });
  });
}

// ---------------------------------------------------------------------------------------------

/**
 * The List Users fixture. Names, e-mails and dates are chosen for ties, nulls, case and
 * LIKE-wildcard traps; expected orders below were worked out by hand from queries.md §5.
 *
 * | id    | seq | name (lower)  | email (lower)      | phone        | status | eV | pV | passwordUpdate | created   |
 * | alice | 10  | alice         | alice@example.com  | +14155550001 | T      | T  | F  | 2023-01-01     | 2023-01-01 |
 * | bob1  | 20  | bob           | bob@example.com    | null         | T      | F  | F  | null           | 2023-02-01 |
 * | bob2  | 30  | bob           | null               | +14155550002 | F      | F  | T  | 2023-03-01     | 2023-03-01 |
 * | emile | 40  | émile         | emile@example.fr   | null         | T      | T  | T  | null           | 2023-03-01 |
 * | dave  | 50  | dave          | d_ve@example.com   | +14155550003 | F      | T  | F  | 2023-04-01 10:20:30.456    |
 * | pct   | 60  | 100% sure     | dave@percent.io    | null         | T      | F  | F  | 2023-05-01     | 2023-05-01 |
 * | Zed   | 70  | (empty)       | null               | null         | T      | F  | F  | null           | 2023-06-01 |
 * | yves  | 80  | bob           | yves@example.com   | +33612345678 | F      | F  | F  | null           | 2023-07-01 |
 */
function listFixture(P: string): UserRecord[] {
  const d = (s: string) => `${s}T00:00:00.000+00:00`;
  const dave = '2023-04-01T10:20:30.456+00:00';
  return [
    makeUser(P, 'alice', 10, {
      name: 'Alice',
      email: 'alice@example.com',
      phone: '+14155550001',
      emailVerification: true,
      passwordUpdate: d('2023-01-01'),
      createdAt: d('2023-01-01'),
      registration: d('2023-01-01'),
      updatedAt: d('2023-06-01'),
    }),
    makeUser(P, 'bob1', 20, { name: 'Bob', email: 'bob@example.com', createdAt: d('2023-02-01'), registration: d('2023-02-01'), updatedAt: d('2023-02-01') }),
    makeUser(P, 'bob2', 30, {
      name: 'bob',
      email: null,
      phone: '+14155550002',
      status: false,
      phoneVerification: true,
      passwordUpdate: d('2023-03-01'),
      createdAt: d('2023-03-01'),
      registration: d('2023-03-01'),
      updatedAt: d('2023-03-02'),
    }),
    makeUser(P, 'emile', 40, {
      name: 'Émile',
      email: 'emile@example.fr',
      emailVerification: true,
      phoneVerification: true,
      createdAt: d('2023-03-01'),
      registration: d('2023-03-01'),
      updatedAt: d('2023-03-01'),
    }),
    makeUser(P, 'dave', 50, {
      name: 'dave',
      email: 'd_ve@example.com',
      phone: '+14155550003',
      status: false,
      emailVerification: true,
      passwordUpdate: dave,
      createdAt: dave,
      registration: dave,
      updatedAt: dave,
    }),
    makeUser(P, 'pct', 60, {
      name: '100% Sure',
      email: 'dave@percent.io',
      passwordUpdate: d('2023-05-01'),
      createdAt: d('2023-05-01'),
      registration: d('2023-05-01'),
      updatedAt: d('2023-05-01'),
    }),
    makeUser(P, 'Zed', 70, { name: '', email: null, createdAt: d('2023-06-01'), registration: d('2023-06-01'), updatedAt: d('2023-06-01') }),
    makeUser(P, 'yves', 80, {
      name: 'BOB',
      // Stored mixed-case on purpose: comparisons must not depend on how the writer cased it.
      email: 'Yves@Example.com',
      phone: '+33612345678',
      status: false,
      createdAt: d('2023-07-01'),
      registration: d('2023-07-01'),
      updatedAt: d('2023-07-01'),
    }),
  ];
}

function describeListUsers(open: () => Promise<ReadStore>): void {
  describe('List Users', () => {
    let store: ReadStore;
    const applier = new Applier(() => store);
    const P = 'list';
    const S = 'spec';
    beforeAll(async () => {
      store = await open();
      for (const user of listFixture(P)) await applier.apply([{ kind: 'user.put', user }]);
      // queries.md §5 examples: u1..u4 created in that order.
      for (const [i, id] of ['u1', 'u2', 'u3', 'u4'].entries()) {
        await applier.apply([{ kind: 'user.put', user: makeUser(S, id, 1000 + i) }]);
      }
      // A user of another project must never show up.
      await applier.apply([{ kind: 'user.put', user: makeUser('elsewhere', 'bob3', 5, { name: 'bob' }) }]);
      // Code points at the edges of Unicode: order and prefixes follow code points, not UTF-16 units.
      const edge = ['a\u{10FFFF}b', 'a\u{10FFFF}', 'a\uFFFF', 'a\u{1D49C}', 'a\uD7FF', 'a\uE000', 'b'];
      for (const [i, name] of edge.entries()) {
        await applier.apply([{ kind: 'user.put', user: makeUser('edge', `e${i}`, 500 + i, { name }) }]);
      }
    });
    afterAll(async () => {
      await store.close();
    });

    const ids = async (projectId: string, q: Partial<UserListQuery>) => {
      const r = await store.listUsers(projectId, query(q));
      return { ids: r.items.map((u) => u.id), total: r.total };
    };
    const list = (q: Partial<UserListQuery>) => ids(P, q);
    const filtered = async (...filters: UserFilter[]) => (await list({ filters })).ids;
    const ALL = ['alice', 'bob1', 'bob2', 'emile', 'dave', 'pct', 'Zed', 'yves'];

    describe('queries.md §5 examples (u1..u4)', () => {
      it.each<[string, Partial<UserListQuery>, string[]]>([
        ['(none)', {}, ['u1', 'u2', 'u3', 'u4']],
        ['limit(2)', { limit: 2 }, ['u1', 'u2']],
        ['limit(2), offset(1)', { limit: 2, offset: 1 }, ['u2', 'u3']],
        ['cursorAfter("u2")', { cursor: { direction: 'after', userId: 'u2' } }, ['u3', 'u4']],
        ['cursorBefore("u3")', { cursor: { direction: 'before', userId: 'u3' } }, ['u1', 'u2']],
        ['cursorBefore("u4"), limit(1)', { cursor: { direction: 'before', userId: 'u4' }, limit: 1 }, ['u3']],
        ['orderDesc(""), cursorAfter("u3")', { orders: [desc(null)], cursor: { direction: 'after', userId: 'u3' } }, ['u2', 'u1']],
        ['limit(0)', { limit: 0 }, []],
      ])('%s', async (_, q, expected) => {
        expect(await ids(S, q)).toEqual({ ids: expected, total: 4 });
      });
    });

    it('orders and prefixes by code point, up to U+10FFFF', async () => {
      expect((await ids('edge', { orders: [asc('name')] })).ids).toEqual(['e4', 'e5', 'e2', 'e3', 'e1', 'e0', 'e6']);
      const startsWith = async (value: string) =>
        (await ids('edge', { filters: [{ method: 'startsWith', attribute: 'name', values: [value] }] })).ids;
      expect(await startsWith('a\u{10FFFF}')).toEqual(['e0', 'e1']);
      expect(await startsWith('a\uD7FF')).toEqual(['e4']);
      expect(await startsWith('a\u{1D49C}')).toEqual(['e3']);
      expect(await startsWith('a')).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5']);
      expect(
        (await ids('edge', { filters: [{ method: 'greaterThan', attribute: 'name', values: ['a\uFFFF'] }] })).ids,
      ).toEqual(['e0', 'e1', 'e3', 'e6']);
    });

    it('returns whole records in insertion order by default', async () => {
      const r = await store.listUsers(P, query());
      expect(r.total).toBe(8);
      expect(r.items).toEqual(listFixture(P));
    });

    describe('string filters are case-insensitive (Unicode lower-casing)', () => {
      it.each<[string, UserFilter, string[]]>([
        ['equal name bob', { method: 'equal', attribute: 'name', values: ['bob'] }, ['bob1', 'bob2', 'yves']],
        ['equal name BOB|alice', { method: 'equal', attribute: 'name', values: ['BOB', 'alice'] }, ['alice', 'bob1', 'bob2', 'yves']],
        ['equal name ÉMILE', { method: 'equal', attribute: 'name', values: ['ÉMILE'] }, ['emile']],
        ['equal name émile', { method: 'equal', attribute: 'name', values: ['émile'] }, ['emile']],
        ['equal name emile (no accent folding)', { method: 'equal', attribute: 'name', values: ['emile'] }, []],
        ['equal name empty', { method: 'equal', attribute: 'name', values: [''] }, ['Zed']],
        ['equal $id ZED', { method: 'equal', attribute: '$id', values: ['ZED'] }, ['Zed']],
        ['equal email stored mixed-case', { method: 'equal', attribute: 'email', values: ['yves@example.com'] }, ['yves']],
        ['equal phone', { method: 'equal', attribute: 'phone', values: ['+14155550002'] }, ['bob2']],
        ['lessThan name bob', { method: 'lessThan', attribute: 'name', values: ['bob'] }, ['alice', 'pct', 'Zed']],
        [
          'lessThanEqual name BOB',
          { method: 'lessThanEqual', attribute: 'name', values: ['BOB'] },
          ['alice', 'bob1', 'bob2', 'pct', 'Zed', 'yves'],
        ],
        ['greaterThan name bob', { method: 'greaterThan', attribute: 'name', values: ['bob'] }, ['emile', 'dave']],
        ['greaterThanEqual email D', { method: 'greaterThanEqual', attribute: 'email', values: ['D'] }, ['emile', 'dave', 'pct', 'yves']],
        [
          'lessThan name a|c (values OR-ed)',
          { method: 'lessThan', attribute: 'name', values: ['a', 'c'] },
          ['alice', 'bob1', 'bob2', 'pct', 'Zed', 'yves'],
        ],
        ['between name b..d', { method: 'between', attribute: 'name', values: ['B', 'd'] }, ['bob1', 'bob2', 'yves']],
        ['between name bob..bob (inclusive)', { method: 'between', attribute: 'name', values: ['bob', 'BOB'] }, ['bob1', 'bob2', 'yves']],
        ['between name reversed bounds', { method: 'between', attribute: 'name', values: ['d', 'b'] }, []],
        ['between $id', { method: 'between', attribute: '$id', values: ['x', 'zz'] }, ['Zed', 'yves']],
      ])('%s', async (_, filter, expected) => {
        expect(await filtered(filter)).toEqual(expected);
      });
    });

    describe('startsWith / endsWith / contains take % and _ literally', () => {
      it.each<[string, UserFilter, string[]]>([
        ['startsWith email d_', { method: 'startsWith', attribute: 'email', values: ['d_'] }, ['dave']],
        ['startsWith email D', { method: 'startsWith', attribute: 'email', values: ['D'] }, ['dave', 'pct']],
        ['startsWith email a|b', { method: 'startsWith', attribute: 'email', values: ['a', 'B'] }, ['alice', 'bob1']],
        ['startsWith name 100%', { method: 'startsWith', attribute: 'name', values: ['100%'] }, ['pct']],
        ['startsWith name 100_', { method: 'startsWith', attribute: 'name', values: ['100_'] }, []],
        ['startsWith name %', { method: 'startsWith', attribute: 'name', values: ['%'] }, []],
        ['startsWith name empty: every non-null', { method: 'startsWith', attribute: 'name', values: [''] }, ALL],
        ['startsWith email empty: nulls excluded', { method: 'startsWith', attribute: 'email', values: [''] }, ['alice', 'bob1', 'emile', 'dave', 'pct', 'yves']],
        ['startsWith phone +1415', { method: 'startsWith', attribute: 'phone', values: ['+1415'] }, ['alice', 'bob2', 'dave']],
        ['startsWith $id B', { method: 'startsWith', attribute: '$id', values: ['B'] }, ['bob1', 'bob2']],
        ['endsWith name % SURE', { method: 'endsWith', attribute: 'name', values: ['% SURE'] }, ['pct']],
        ['endsWith email .FR', { method: 'endsWith', attribute: 'email', values: ['.FR'] }, ['emile']],
        ['endsWith email _', { method: 'endsWith', attribute: 'email', values: ['_'] }, []],
        ['contains name 0% s', { method: 'contains', attribute: 'name', values: ['0% s'] }, ['pct']],
        ['contains name O', { method: 'contains', attribute: 'name', values: ['O'] }, ['bob1', 'bob2', 'yves']],
        ['contains name _', { method: 'contains', attribute: 'name', values: ['_'] }, []],
        ['contains email _', { method: 'contains', attribute: 'email', values: ['_'] }, ['dave']],
        ['contains email %', { method: 'contains', attribute: 'email', values: ['%'] }, []],
        ['contains email \\', { method: 'contains', attribute: 'email', values: ['\\'] }, []],
        ['contains name MIL|lic', { method: 'contains', attribute: 'name', values: ['MIL', 'lic'] }, ['alice', 'emile']],
      ])('%s', async (_, filter, expected) => {
        expect(await filtered(filter)).toEqual(expected);
      });
    });

    describe('booleans and datetimes', () => {
      const dave = '2023-04-01T10:20:30.456+00:00';
      it.each<[string, UserFilter, string[]]>([
        ['equal status false', { method: 'equal', attribute: 'status', values: [false] }, ['bob2', 'dave', 'yves']],
        ['equal status true|false', { method: 'equal', attribute: 'status', values: [true, false] }, ALL],
        ['notEqual status true', { method: 'notEqual', attribute: 'status', values: [true] }, ['bob2', 'dave', 'yves']],
        ['equal emailVerification true', { method: 'equal', attribute: 'emailVerification', values: [true] }, ['alice', 'emile', 'dave']],
        ['equal phoneVerification true', { method: 'equal', attribute: 'phoneVerification', values: [true] }, ['bob2', 'emile']],
        ['greaterThan status false', { method: 'greaterThan', attribute: 'status', values: [false] }, ['alice', 'bob1', 'emile', 'pct', 'Zed']],
        ['between emailVerification false..true', { method: 'between', attribute: 'emailVerification', values: [false, true] }, ALL],
        ['equal registration to the millisecond', { method: 'equal', attribute: 'registration', values: [dave] }, ['dave']],
        ['equal registration off by 1 ms', { method: 'equal', attribute: 'registration', values: ['2023-04-01T10:20:30.457+00:00'] }, []],
        [
          'between $createdAt (inclusive)',
          { method: 'between', attribute: '$createdAt', values: ['2023-03-01T00:00:00.000+00:00', dave] },
          ['bob2', 'emile', 'dave'],
        ],
        ['greaterThan passwordUpdate (nulls never match)', { method: 'greaterThan', attribute: 'passwordUpdate', values: ['2023-02-01T00:00:00.000+00:00'] }, ['bob2', 'dave', 'pct']],
        ['lessThan $updatedAt', { method: 'lessThan', attribute: '$updatedAt', values: ['2023-03-01T00:00:00.000+00:00'] }, ['bob1']],
        ['lessThanEqual $updatedAt', { method: 'lessThanEqual', attribute: '$updatedAt', values: ['2023-03-01T00:00:00.000+00:00'] }, ['bob1', 'emile']],
        ['greaterThanEqual $createdAt', { method: 'greaterThanEqual', attribute: '$createdAt', values: ['2023-06-01T00:00:00.000+00:00'] }, ['Zed', 'yves']],
        ['notEqual passwordUpdate', { method: 'notEqual', attribute: 'passwordUpdate', values: [dave] }, ['alice', 'bob2', 'pct']],
      ])('%s', async (_, filter, expected) => {
        expect(await filtered(filter)).toEqual(expected);
      });
    });

    describe('nulls only answer isNull / isNotNull', () => {
      it.each<[string, UserFilter, string[]]>([
        ['isNull email', { method: 'isNull', attribute: 'email' }, ['bob2', 'Zed']],
        ['isNotNull phone', { method: 'isNotNull', attribute: 'phone' }, ['alice', 'bob2', 'dave', 'yves']],
        ['isNull passwordUpdate', { method: 'isNull', attribute: 'passwordUpdate' }, ['bob1', 'emile', 'Zed', 'yves']],
        ['isNotNull name', { method: 'isNotNull', attribute: 'name' }, ALL],
        ['isNull status', { method: 'isNull', attribute: 'status' }, []],
        ['notEqual email skips nulls', { method: 'notEqual', attribute: 'email', values: ['bob@example.com'] }, ['alice', 'emile', 'dave', 'pct', 'yves']],
        ['notEqual name a|b (OR-ed: everyone)', { method: 'notEqual', attribute: 'name', values: ['alice', 'bob'] }, ALL],
        ['lessThan phone skips nulls', { method: 'lessThan', attribute: 'phone', values: ['+9'] }, ['alice', 'bob2', 'dave', 'yves']],
        ['endsWith phone skips nulls', { method: 'endsWith', attribute: 'phone', values: [''] }, ['alice', 'bob2', 'dave', 'yves']],
      ])('%s', async (_, filter, expected) => {
        expect(await filtered(filter)).toEqual(expected);
      });
    });

    describe('and / or, nested, AND-ed at the top', () => {
      it('or(equal, and(equal, isNotNull))', async () => {
        expect(
          await filtered({
            method: 'or',
            queries: [
              { method: 'equal', attribute: 'name', values: ['alice'] },
              {
                method: 'and',
                queries: [
                  { method: 'equal', attribute: 'status', values: [false] },
                  { method: 'isNotNull', attribute: 'phone' },
                ],
              },
            ],
          }),
        ).toEqual(['alice', 'bob2', 'dave', 'yves']);
      });

      it('or(isNull, equal)', async () => {
        expect(
          await filtered({
            method: 'or',
            queries: [
              { method: 'isNull', attribute: 'email' },
              { method: 'equal', attribute: 'emailVerification', values: [true] },
            ],
          }),
        ).toEqual(['alice', 'bob2', 'emile', 'dave', 'Zed']);
      });

      it('and(or, or)', async () => {
        expect(
          await filtered({
            method: 'and',
            queries: [
              {
                method: 'or',
                queries: [
                  { method: 'equal', attribute: 'name', values: ['bob'] },
                  { method: 'equal', attribute: 'name', values: ['dave'] },
                ],
              },
              {
                method: 'or',
                queries: [
                  { method: 'isNull', attribute: 'email' },
                  { method: 'equal', attribute: 'status', values: [false] },
                ],
              },
            ],
          }),
        ).toEqual(['bob2', 'dave', 'yves']);
      });

      it('a null inside or() does not poison the other branch', async () => {
        expect(
          await filtered({
            method: 'or',
            queries: [
              { method: 'notEqual', attribute: 'email', values: ['x@y.z'] },
              { method: 'isNull', attribute: 'phone' },
            ],
          }),
        ).toEqual(['alice', 'bob1', 'emile', 'dave', 'pct', 'Zed', 'yves']);
      });

      it('three levels deep', async () => {
        expect(
          await filtered({
            method: 'or',
            queries: [
              {
                method: 'and',
                queries: [
                  { method: 'startsWith', attribute: 'name', values: ['b'] },
                  {
                    method: 'or',
                    queries: [
                      { method: 'isNull', attribute: 'email' },
                      { method: 'endsWith', attribute: 'email', values: ['@example.com'] },
                    ],
                  },
                ],
              },
              { method: 'equal', attribute: '$id', values: ['Zed'] },
            ],
          }),
        ).toEqual(['bob1', 'bob2', 'Zed', 'yves']);
      });

      it('top-level filters are AND-ed; total counts them, ignoring order and paging', async () => {
        const filters: UserFilter[] = [
          { method: 'equal', attribute: 'status', values: [true] },
          { method: 'isNotNull', attribute: 'email' },
        ];
        expect(await list({ filters })).toEqual({ ids: ['alice', 'bob1', 'emile', 'pct'], total: 4 });
        expect(await list({ filters: [filters[0]], orders: [asc('name')], limit: 2 })).toEqual({ ids: ['Zed', 'pct'], total: 5 });
        expect(await list({ filters: [filters[0]], limit: 2, offset: 4 })).toEqual({ ids: ['Zed'], total: 5 });
        expect(await list({ filters: [filters[0]], limit: 2, offset: 5 })).toEqual({ ids: [], total: 5 });
        expect(await list({ filters: [filters[0]], limit: 0 })).toEqual({ ids: [], total: 5 });
      });
    });

    describe('ordering: given sequence, ties by insertion order, nulls first asc / last desc', () => {
      it.each<[string, UserOrder[], string[]]>([
        ['orderAsc("")', [asc(null)], ALL],
        ['orderDesc("")', [desc(null)], [...ALL].reverse()],
        ['orderAsc(name)', [asc('name')], ['Zed', 'pct', 'alice', 'bob1', 'bob2', 'yves', 'dave', 'emile']],
        ['orderDesc(name)', [desc('name')], ['emile', 'dave', 'bob1', 'bob2', 'yves', 'alice', 'pct', 'Zed']],
        ['orderAsc(name), orderDesc("")', [asc('name'), desc(null)], ['Zed', 'pct', 'alice', 'yves', 'bob2', 'bob1', 'dave', 'emile']],
        ['orderAsc(email)', [asc('email')], ['bob2', 'Zed', 'alice', 'bob1', 'dave', 'pct', 'emile', 'yves']],
        ['orderDesc(email)', [desc('email')], ['yves', 'emile', 'pct', 'dave', 'bob1', 'alice', 'bob2', 'Zed']],
        ['orderDesc(passwordUpdate)', [desc('passwordUpdate')], ['pct', 'dave', 'bob2', 'alice', 'bob1', 'emile', 'Zed', 'yves']],
        ['orderAsc(passwordUpdate)', [asc('passwordUpdate')], ['bob1', 'emile', 'Zed', 'yves', 'alice', 'bob2', 'dave', 'pct']],
        ['orderDesc($createdAt)', [desc('$createdAt')], ['yves', 'Zed', 'pct', 'dave', 'bob2', 'emile', 'bob1', 'alice']],
        ['orderAsc($id) (case-insensitive)', [asc('$id')], ['alice', 'bob1', 'bob2', 'dave', 'emile', 'pct', 'yves', 'Zed']],
        ['orderDesc(status)', [desc('status')], ['alice', 'bob1', 'emile', 'pct', 'Zed', 'bob2', 'dave', 'yves']],
        ['orderAsc(status), orderDesc(name)', [asc('status'), desc('name')], ['dave', 'bob2', 'yves', 'emile', 'bob1', 'alice', 'pct', 'Zed']],
        ['orderAsc(phone)', [asc('phone')], ['bob1', 'emile', 'pct', 'Zed', 'alice', 'bob2', 'dave', 'yves']],
        ['orderDesc(phoneVerification), orderAsc(name)', [desc('phoneVerification'), asc('name')], ['bob2', 'emile', 'Zed', 'pct', 'alice', 'bob1', 'yves', 'dave']],
      ])('%s', async (_, orders, expected) => {
        expect(await list({ orders })).toEqual({ ids: expected, total: 8 });
      });
    });

    describe('cursors: keyset pagination in the requested order', () => {
      const after = (userId: string) => ({ direction: 'after' as const, userId });
      const before = (userId: string) => ({ direction: 'before' as const, userId });
      it.each<[string, Partial<UserListQuery>, string[]]>([
        ['default, after alice, offset 2, limit 2', { cursor: after('alice'), offset: 2, limit: 2 }, ['emile', 'dave']],
        ['default, after the last', { cursor: after('yves') }, []],
        ['default, before the first', { cursor: before('alice') }, []],
        ['default, before yves, limit 3', { cursor: before('yves'), limit: 3 }, ['dave', 'pct', 'Zed']],
        ['default, before yves, limit 3, offset 2', { cursor: before('yves'), limit: 3, offset: 2 }, ['bob2', 'emile', 'dave']],
        ['asc name, after bob2 (ties)', { orders: [asc('name')], cursor: after('bob2') }, ['yves', 'dave', 'emile']],
        ['asc name, after bob1 (ties)', { orders: [asc('name')], cursor: after('bob1') }, ['bob2', 'yves', 'dave', 'emile']],
        ['asc name, before bob2', { orders: [asc('name')], cursor: before('bob2') }, ['Zed', 'pct', 'alice', 'bob1']],
        ['asc name, before bob2, limit 2', { orders: [asc('name')], cursor: before('bob2'), limit: 2 }, ['alice', 'bob1']],
        ['asc name, before bob2, limit 2, offset 1', { orders: [asc('name')], cursor: before('bob2'), limit: 2, offset: 1 }, ['pct', 'alice']],
        ['asc name, before yves', { orders: [asc('name')], cursor: before('yves') }, ['Zed', 'pct', 'alice', 'bob1', 'bob2']],
        ['desc name, after bob1', { orders: [desc('name')], cursor: after('bob1') }, ['bob2', 'yves', 'alice', 'pct', 'Zed']],
        ['desc name, before yves', { orders: [desc('name')], cursor: before('yves') }, ['emile', 'dave', 'bob1', 'bob2']],
        ['asc name + desc "", after bob2', { orders: [asc('name'), desc(null)], cursor: after('bob2') }, ['bob1', 'dave', 'emile']],
        ['asc email, after bob2 (null)', { orders: [asc('email')], cursor: after('bob2') }, ['Zed', 'alice', 'bob1', 'dave', 'pct', 'emile', 'yves']],
        ['asc email, after Zed (null)', { orders: [asc('email')], cursor: after('Zed') }, ['alice', 'bob1', 'dave', 'pct', 'emile', 'yves']],
        ['asc email, before Zed (null)', { orders: [asc('email')], cursor: before('Zed') }, ['bob2']],
        ['asc email, before bob2 (null)', { orders: [asc('email')], cursor: before('bob2') }, []],
        ['asc email, before alice', { orders: [asc('email')], cursor: before('alice') }, ['bob2', 'Zed']],
        ['desc email, after bob2 (null)', { orders: [desc('email')], cursor: after('bob2') }, ['Zed']],
        ['desc email, after Zed (null)', { orders: [desc('email')], cursor: after('Zed') }, []],
        ['desc email, after alice', { orders: [desc('email')], cursor: after('alice') }, ['bob2', 'Zed']],
        ['desc email, before bob2 (null)', { orders: [desc('email')], cursor: before('bob2') }, ['yves', 'emile', 'pct', 'dave', 'bob1', 'alice']],
        ['desc email, before Zed, limit 2', { orders: [desc('email')], cursor: before('Zed'), limit: 2 }, ['alice', 'bob2']],
        ['desc passwordUpdate, after emile (null)', { orders: [desc('passwordUpdate')], cursor: after('emile') }, ['Zed', 'yves']],
        ['desc passwordUpdate, before bob1 (null)', { orders: [desc('passwordUpdate')], cursor: before('bob1') }, ['pct', 'dave', 'bob2', 'alice']],
        ['asc passwordUpdate, after yves (null)', { orders: [asc('passwordUpdate')], cursor: after('yves') }, ['alice', 'bob2', 'dave', 'pct']],
        ['desc $createdAt, after bob2 (tie)', { orders: [desc('$createdAt')], cursor: after('bob2') }, ['emile', 'bob1', 'alice']],
        ['desc $createdAt, before emile (tie)', { orders: [desc('$createdAt')], cursor: before('emile'), limit: 1 }, ['bob2']],
        ['asc status, desc name, after yves', { orders: [asc('status'), desc('name')], cursor: after('yves') }, ['emile', 'bob1', 'alice', 'pct', 'Zed']],
        ['asc status, desc name, before emile, limit 2', { orders: [asc('status'), desc('name')], cursor: before('emile'), limit: 2 }, ['bob2', 'yves']],
        ['asc $id, after yves', { orders: [asc('$id')], cursor: after('yves') }, ['Zed']],
        ['desc "", after dave, offset 1', { orders: [desc(null)], cursor: after('dave'), offset: 1 }, ['bob2', 'bob1', 'alice']],
      ])('%s', async (_, q, expected) => {
        expect(await list(q)).toEqual({ ids: expected, total: 8 });
      });

      it('positions the cursor even when the cursor user does not match the filters; total ignores the cursor', async () => {
        const filters: UserFilter[] = [{ method: 'equal', attribute: 'status', values: [false] }];
        expect(await list({ filters, cursor: after('emile') })).toEqual({ ids: ['dave', 'yves'], total: 3 });
        expect(await list({ filters, cursor: before('emile') })).toEqual({ ids: ['bob2'], total: 3 });
        expect(await list({ filters, orders: [asc('name')], cursor: after('alice') })).toEqual({ ids: ['bob2', 'yves', 'dave'], total: 3 });
      });

      it('answers an empty page (total still counted) when the cursor user vanished after the caller checked it', async () => {
        expect(await list({ cursor: after('nobody') })).toEqual({ ids: [], total: 8 });
        expect(await list({ cursor: before('nobody'), filters: [{ method: 'isNull', attribute: 'email' }] })).toEqual({ ids: [], total: 2 });
      });

      it('pages through a whole ordered list forwards and backwards without gaps or repeats', async () => {
        for (const orders of [[asc('name')], [desc('email')], [asc('passwordUpdate'), desc('name')], [desc('status'), asc('phone')]]) {
          const full = (await list({ orders })).ids;
          const forward: string[] = [];
          let page = (await list({ orders, limit: 3 })).ids;
          while (page.length > 0) {
            forward.push(...page);
            page = (await list({ orders, limit: 3, cursor: after(page[page.length - 1]) })).ids;
          }
          expect(forward).toEqual(full);
          const backward: string[] = [];
          page = (await list({ orders, limit: 3, cursor: before(full[full.length - 1]) })).ids;
          while (page.length > 0) {
            backward.unshift(...page);
            page = (await list({ orders, limit: 3, cursor: before(page[0]) })).ids;
          }
          expect(backward).toEqual(full.slice(0, -1));
        }
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------

function describeSearch(open: () => Promise<ReadStore>): void {
  describe('the search parameter (queries.md §6)', () => {
    let store: ReadStore;
    const applier = new Applier(() => store);
    const P = 'search';
    const RONALDO = '6459d8a31b2f4c07e9a1';
    beforeAll(async () => {
      store = await open();
      const users = [
        makeUser(P, RONALDO, 1, { name: 'Cristiano Ronaldo', email: 'cristiano.ronaldo@manchester-united.co.uk' }),
        makeUser(P, 'messi_10', 2, { name: 'Lionel Messi', email: 'lionel.messi@barcelona.es' }),
        makeUser(P, 'phoneuser', 3, { name: 'Phone User', email: null, phone: '+910000000000' }),
        makeUser(P, 'svc', 4, { name: 'Users Service', email: 'users.service@example.com', status: false }),
        makeUser(P, 'j5', 5, { name: 'José Ñandú', email: null }),
      ];
      for (const user of users) await applier.apply([{ kind: 'user.put', user }]);
      await applier.apply([{ kind: 'user.put', user: makeUser('other-project', 'ronaldo', 1, { name: 'Ronaldo' }) }]);
    });
    afterAll(async () => {
      await store.close();
    });
    const found = async (search: string, over: Partial<UserListQuery> = {}) => {
      const r = await store.listUsers(P, query({ search, ...over }));
      return { ids: r.items.map((u) => u.id), total: r.total };
    };

    it.each([
      'Ronaldo',
      'man',
      'manchester',
      'cristiano.ronaldo',
      'cristiano.ronaldo@manchester-united.co.uk',
      'united.co.uk',
      RONALDO,
      '6459d8a3',
      '"Cristiano Ronaldo"',
      '"manchester united"',
      'ronald cristiano',
      'RONALDO',
    ])('%s finds exactly Ronaldo', async (term) => {
      expect(await found(term)).toEqual({ ids: [RONALDO], total: 1 });
    });

    it('finds a phone number and an id with an underscore', async () => {
      expect(await found('+910000000000')).toEqual({ ids: ['phoneuser'], total: 1 });
      expect(await found('messi_10')).toEqual({ ids: ['messi_10'], total: 1 });
      expect(await found('messi_')).toEqual({ ids: ['messi_10'], total: 1 });
    });

    it('ORs words; only the last one is a prefix; phrases must be in order', async () => {
      expect(await found('lionel ronaldo')).toEqual({ ids: [RONALDO, 'messi_10'], total: 2 });
      expect(await found('ronald xyz')).toEqual({ ids: [], total: 0 });
      expect(await found('"Ronaldo Cristiano"')).toEqual({ ids: [], total: 0 });
      expect(await found('co')).toEqual({ ids: [RONALDO, 'svc'], total: 2 });
      expect(await found('ñandú')).toEqual({ ids: ['j5'], total: 1 });
      expect(await found('JOSÉ')).toEqual({ ids: ['j5'], total: 1 });
      expect(await found('jos')).toEqual({ ids: ['j5'], total: 1 });
      // No accent folding: "jose" is another word.
      expect(await found('jose')).toEqual({ ids: [], total: 0 });
      expect(await found('josé.xyz')).toEqual({ ids: ['j5'], total: 1 });
      expect(await found('jos xyz')).toEqual({ ids: [], total: 0 });
    });

    it('a term with nothing left to match finds nobody', async () => {
      for (const term of ['the', 'a', '***', '"of the"', 'to be']) expect(await found(term)).toEqual({ ids: [], total: 0 });
    });

    it('is AND-ed with filters and paginates like any list', async () => {
      expect(await found('lionel ronaldo', { filters: [{ method: 'equal', attribute: 'name', values: ['lionel messi'] }] })).toEqual({
        ids: ['messi_10'],
        total: 1,
      });
      expect(await found('lionel ronaldo', { limit: 1 })).toEqual({ ids: [RONALDO], total: 2 });
      expect(await found('lionel ronaldo', { cursor: { direction: 'after', userId: RONALDO } })).toEqual({ ids: ['messi_10'], total: 2 });
      expect(await found('lionel ronaldo', { orders: [desc('name')] })).toEqual({ ids: ['messi_10', RONALDO], total: 2 });
      expect(await found('user', { filters: [{ method: 'equal', attribute: 'status', values: [true] }] })).toEqual({
        ids: ['phoneuser'],
        total: 1,
      });
    });

    it('follows name / email / phone changes and deletes', async () => {
      expect(await found('"users.service@updated.com"')).toEqual({ ids: [], total: 0 });
      await applier.apply([{ kind: 'user.patch', projectId: P, userId: 'svc', patch: { email: 'users.service@updated.com' } }]);
      expect(await found('"users.service@updated.com"')).toEqual({ ids: ['svc'], total: 1 });
      expect(await found('"users.service@example.com"')).toEqual({ ids: [], total: 0 });
      await applier.apply([{ kind: 'user.patch', projectId: P, userId: 'svc', patch: { phone: '+15550001111', name: 'Renamed Bot' } }]);
      expect(await found('15550001111')).toEqual({ ids: ['svc'], total: 1 });
      expect(await found('bot')).toEqual({ ids: ['svc'], total: 1 });
      expect(await found('"users service"')).toEqual({ ids: ['svc'], total: 1 });
      expect(await found('renam xyz')).toEqual({ ids: [], total: 0 });
      expect(await found('renamed xyz')).toEqual({ ids: ['svc'], total: 1 });
      await applier.apply([{ kind: 'user.delete', projectId: P, userId: 'svc' }]);
      expect(await found('bot')).toEqual({ ids: [], total: 0 });
    });
  });
}

// ---------------------------------------------------------------------------------------------

function describeTotalCap(open: () => Promise<ReadStore>): void {
  describe(`total is capped at ${LIST_TOTAL_CAP}`, () => {
    let store: ReadStore;
    const applier = new Applier(() => store);
    const P = 'cap';
    const N = LIST_TOTAL_CAP + 21;
    beforeAll(async () => {
      store = await open();
      // Batches keep the setup fast for every adapter without one giant transaction.
      for (let start = 0; start < N; start += 250) {
        const changes: ReadModelChange[] = [];
        for (let i = start; i < Math.min(N, start + 250); i++) {
          changes.push({
            kind: 'user.put',
            user: makeUser(P, `user${String(i).padStart(5, '0')}`, i + 1, { name: `Capped ${i}`, status: i % 1000 !== 0 }),
          });
        }
        await applier.apply(changes);
      }
    }, 120000);
    afterAll(async () => {
      await store.close();
    });

    it('caps the total of a plain list, a filtered list and a search, but not the items', async () => {
      const all = await store.listUsers(P, query());
      expect(all.total).toBe(LIST_TOTAL_CAP);
      expect(all.items.map((u) => u.id)).toEqual(Array.from({ length: 25 }, (_, i) => `user${String(i).padStart(5, '0')}`));
      expect((await store.listUsers(P, query({ search: 'capped' }))).total).toBe(LIST_TOTAL_CAP);
      expect((await store.listUsers(P, query({ filters: [{ method: 'equal', attribute: 'status', values: [true] }] }))).total).toBe(
        LIST_TOTAL_CAP,
      );
      expect((await store.listUsers(P, query({ filters: [{ method: 'equal', attribute: 'status', values: [false] }] }))).total).toBe(6);
      const tail = await store.listUsers(P, query({ offset: N - 5, limit: 25 }));
      expect(tail.items).toHaveLength(5);
      expect(tail.total).toBe(LIST_TOTAL_CAP);
      const end = await store.listUsers(P, query({ orders: [desc(null)], cursor: { direction: 'before', userId: 'user00002' } }));
      expect(end.items.map((u) => u.id).slice(-2)).toEqual(['user00004', 'user00003']);
    });
  });
}

// ---------------------------------------------------------------------------------------------

/** Deterministic PRNG so a failure replays identically. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function describeAgainstReference(open: () => Promise<ReadStore>): void {
  describe('random queries agree with the reference List Users', () => {
    let store: ReadStore;
    const applier = new Applier(() => store);
    const P = 'random';
    const rnd = mulberry32(20230509);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    // Astral and private-use characters pin down code-point (not UTF-16) ordering.
    const NAMES = ['Ann', 'ann', 'ANN', 'Bob', 'bo', 'Émile', 'émile', 'zoé', '', '100%', 'a_b', 'aXb', 'Ñandú', '𝒜lpha', '\uE000priv', 'ß', 'İd'];
    const EMAILS = [null, null, 'ann@example.com', 'ANN@example.com', 'bob@x.io', 'a_b@x.io', 'zz@z.z', 'émile@ex.fr'];
    const PHONES = [null, null, '+14155550001', '+14155550002', '+33612345678'];
    const DATES = ['2023-01-01T00:00:00.000+00:00', '2023-01-01T00:00:00.001+00:00', '2023-06-15T12:30:00.000+00:00', '2024-02-29T23:59:59.999+00:00'];
    const PWD_DATES = [null, ...DATES];
    const ATTRS: UserAttribute[] = ['$id', '$createdAt', '$updatedAt', 'name', 'email', 'phone', 'status', 'emailVerification', 'phoneVerification', 'passwordUpdate', 'registration'];
    const STRING_VALUES: Partial<Record<UserAttribute, string[]>> = {
      name: [...NAMES, 'A', 'b', 'É', '%', '_', 'a%', 'ann '],
      email: ['ann@example.com', 'A', 'b', '@x.io', '_', 'Z', '.FR', '%'],
      phone: ['+1415', '+14155550001', '+3', '2', '0'],
    };
    const users: UserRecord[] = [];

    beforeAll(async () => {
      store = await open();
      for (let i = 0; i < 60; i++) {
        const id = `${pick(['r', 'R', 'x_'])}${i}`;
        const created = pick(DATES);
        users.push(
          makeUser(P, id, 10 + i * 3, {
            name: pick(NAMES),
            email: pick(EMAILS),
            phone: pick(PHONES),
            status: rnd() < 0.6,
            emailVerification: rnd() < 0.4,
            phoneVerification: rnd() < 0.3,
            createdAt: created,
            registration: created,
            updatedAt: pick(DATES),
            passwordUpdate: pick(PWD_DATES),
          }),
        );
      }
      for (let i = 0; i < users.length; i += 7) await applier.apply(users.slice(i, i + 7).map((user) => ({ kind: 'user.put' as const, user })));
    });
    afterAll(async () => {
      await store.close();
    });

    const valueFor = (attribute: UserAttribute): string | boolean => {
      switch (attribute) {
        case 'status':
        case 'emailVerification':
        case 'phoneVerification':
          return rnd() < 0.5;
        case '$createdAt':
        case '$updatedAt':
        case 'registration':
        case 'passwordUpdate':
          return pick(DATES);
        case '$id':
          return pick(users).id.toUpperCase().slice(0, 1 + Math.floor(rnd() * 3));
        default:
          return pick(STRING_VALUES[attribute]!);
      }
    };
    const randomFilter = (depth: number): UserFilter => {
      const r = rnd();
      if (depth < 2 && r < 0.15) {
        return { method: rnd() < 0.5 ? 'and' : 'or', queries: [randomFilter(depth + 1), randomFilter(depth + 1), ...(rnd() < 0.3 ? [randomFilter(depth + 1)] : [])] };
      }
      const attribute = pick(ATTRS);
      if (r < 0.25) return { method: rnd() < 0.5 ? 'isNull' : 'isNotNull', attribute };
      const isString = ['$id', 'name', 'email', 'phone'].includes(attribute);
      const methods: Array<ComparisonMethod | 'between'> = ['equal', 'notEqual', 'lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual', 'between', ...(isString ? (['startsWith', 'endsWith', 'contains'] as const) : [])];
      const method = pick(methods);
      if (method === 'between') return { method, attribute, values: [valueFor(attribute), valueFor(attribute)] as [string | boolean, string | boolean] };
      const n = 1 + Math.floor(rnd() * 2.5);
      return { method, attribute, values: Array.from({ length: n }, () => valueFor(attribute)) };
    };
    const randomQuery = (): UserListQuery => {
      const filters = Array.from({ length: Math.floor(rnd() * 3) }, () => randomFilter(0));
      const orders: UserOrder[] = Array.from({ length: Math.floor(rnd() * 4) }, () => ({
        attribute: rnd() < 0.15 ? null : pick(ATTRS),
        direction: rnd() < 0.5 ? 'asc' : 'desc',
      }));
      const q: UserListQuery = { filters, orders, limit: pick([0, 1, 2, 5, 10, 25, 100]), offset: pick([0, 0, 0, 1, 3, 20]) };
      if (rnd() < 0.45) q.cursor = { direction: rnd() < 0.5 ? 'after' : 'before', userId: pick(users).id };
      if (rnd() < 0.2) q.search = pick(['ann', 'ann example', 'a_b', 'x', '"ann example"', 'émile ex', 'r1', 'bob x', 'the', '1415']);
      return q;
    };

    it('on 500 random queries (filters, nesting, orders, cursors, offsets, search)', async () => {
      for (let i = 0; i < 500; i++) {
        const q = randomQuery();
        const actual = await store.listUsers(P, q);
        const expected = referenceListUsers(users, q);
        const got = { total: actual.total, ids: actual.items.map((u) => u.id) };
        const want = { total: expected.total, ids: expected.items.map((u) => u.id) };
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          throw new Error(`query #${i} ${JSON.stringify(q)}\n got ${JSON.stringify(got)}\nwant ${JSON.stringify(want)}`);
        }
      }
    });
  });
}
