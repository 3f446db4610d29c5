import { AppwriteException, Client, Query, Teams, Users } from 'node-appwrite-latest';
import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';

/**
 * The query methods of Appwrite 1.8/1.9 and the `total` parameter through the newest
 * node-appwrite (27.1.0), whose Query class builds them, against the gateway.
 */
let gw: TestStack;
let users: Users;
let teams: Teams;
beforeAll(async () => {
  gw = await startTestStack();
  const client = new Client().setEndpoint(gw.endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY);
  users = new Users(client);
  teams = new Teams(client);
});
afterAll(() => gw.close());

async function sdkError(p: Promise<unknown>): Promise<{ code: number; type: string; message: string }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppwriteException);
    const e = err as AppwriteException;
    return { code: e.code, type: e.type, message: e.message };
  }
  throw new Error('expected the SDK call to fail');
}

/** Every query is confined to the users of this file (their emails end in @q18.io). */
const MINE = Query.endsWith('email', '@q18.io');
const ids = async (...queries: string[]) => (await users.list({ queries: [MINE, ...queries] })).users.map((u) => u.$id);

describe('List Users with the 1.8+ query methods (node-appwrite 27)', () => {
  let cutoff: string;
  beforeAll(async () => {
    await users.create({ userId: 'q-ann', email: 'ann@q18.io', name: 'Ann Smith' });
    await users.create({ userId: 'q-bob', email: 'bob@q18.io', name: 'Bob Stone', phone: '+15550001818' });
    // Creation times are what createdBefore/After compare: the last one comes strictly later.
    await new Promise((resolve) => setTimeout(resolve, 20));
    cutoff = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await users.create({ userId: 'q-cy', email: 'cy@q18.io', name: 'Cy' });
    await users.updateLabels({ userId: 'q-ann', labels: ['vip', 'beta'] });
    await users.updateLabels({ userId: 'q-bob', labels: ['beta'] });
    await users.updateImpersonator({ userId: 'q-cy', impersonator: true });
  });

  it('negated string methods keep out what matches (and nulls)', async () => {
    expect(await ids(Query.notContains('name', 'smith'))).toEqual(['q-bob', 'q-cy']);
    expect(await ids(Query.notStartsWith('name', 'b'))).toEqual(['q-ann', 'q-cy']);
    expect(await ids(Query.notEndsWith('name', 'STONE'))).toEqual(['q-ann', 'q-cy']);
    expect(await ids(Query.notBetween('name', 'b', 'c'))).toEqual(['q-ann', 'q-cy']);
    // q-ann and q-cy have no phone: a negation never matches a null.
    expect(await ids(Query.notStartsWith('phone', '+1999'))).toEqual(['q-bob']);
    expect(await ids(Query.containsAny('name', ['ann', 'cy']))).toEqual(['q-ann', 'q-cy']);
    expect(await ids(Query.containsAll('name', ['b', 'stone']))).toEqual(['q-bob']);
  });

  it('the date helpers (lessThan / greaterThan / between on $createdAt, $updatedAt)', async () => {
    expect(await ids(Query.createdBefore(cutoff))).toEqual(['q-ann', 'q-bob']);
    expect(await ids(Query.createdAfter(cutoff))).toEqual(['q-cy']);
    expect(await ids(Query.createdBetween('2000-01-01T00:00:00.000+00:00', cutoff))).toEqual(['q-ann', 'q-bob']);
    // The labels and impersonator updates came after the cutoff.
    expect(await ids(Query.updatedAfter(cutoff))).toEqual(['q-ann', 'q-bob', 'q-cy']);
    expect(await ids(Query.updatedBefore(cutoff))).toEqual([]);
    expect(await ids(Query.updatedBetween(cutoff, '2999-01-01T00:00:00.000+00:00'))).toHaveLength(3);
  });

  it('regex: case-insensitive, refused with a reason when it is not of the common syntax', async () => {
    expect(await ids(Query.regex('name', '^(ann|cy)( |$)'))).toEqual(['q-ann', 'q-cy']);
    expect(await ids(Query.regex('email', '^[a-b].*\\.IO$'))).toEqual(['q-ann', 'q-bob']);
    expect(await sdkError(users.list([Query.regex('name', '(?<=a)b')]))).toEqual({
      code: 400,
      type: 'general_query_invalid',
      message: 'Invalid regular expression "(?<=a)b": only (?:...) groups are supported',
    });
  });

  it('labels and impersonator are queryable', async () => {
    expect(await ids(Query.contains('labels', ['vip']))).toEqual(['q-ann']);
    expect(await ids(Query.containsAny('labels', ['vip', 'beta']))).toEqual(['q-ann', 'q-bob']);
    expect(await ids(Query.containsAll('labels', ['vip', 'beta']))).toEqual(['q-ann']);
    expect(await ids(Query.notContains('labels', ['vip']))).toEqual(['q-bob', 'q-cy']);
    expect(await ids(Query.equal('impersonator', true))).toEqual(['q-cy']);
    expect(await ids(Query.orderDesc('impersonator'), Query.limit(1))).toEqual(['q-cy']);
    const refused = await sdkError(users.list([Query.equal('labels', ['vip'])]));
    expect(refused).toEqual({ code: 400, type: 'general_argument_invalid', message: 'Invalid queries: Query not valid: Cannot query equal on attribute "labels" because it is an array.' });
  });

  it('orderRandom answers every match; with a cursor it is refused', async () => {
    const shuffled = await users.list({ queries: [MINE, Query.orderRandom()] });
    expect(shuffled.total).toBe(3);
    expect(shuffled.users.map((u) => u.$id).sort()).toEqual(['q-ann', 'q-bob', 'q-cy']);
    expect(await sdkError(users.list([Query.orderRandom(), Query.cursorAfter('q-ann')]))).toEqual({
      code: 400,
      type: 'general_query_invalid',
      message: 'Cursor pagination is not supported with orderRandom queries.',
    });
    // The cursor must exist first: a missing one is reported before the refusal.
    expect((await sdkError(users.list([Query.orderRandom(), Query.cursorAfter('q-none')]))).type).toBe('general_cursor_not_found');
  });

  it('what no store here can serve: 400 general_query_invalid with Appwrite\'s reason', async () => {
    expect(await sdkError(users.list([Query.notSearch('name', 'ann')]))).toEqual({ code: 400, type: 'general_query_invalid', message: 'Searching by attribute "name" requires a fulltext index.' });
    expect(await sdkError(users.list([Query.search('name', 'ann')]))).toEqual({ code: 400, type: 'general_query_invalid', message: 'Searching by attribute "name" requires a fulltext index.' });
    expect(await sdkError(users.list([Query.exists(['name'])]))).toEqual({ code: 400, type: 'general_query_invalid', message: 'Exists queries are not supported by this database' });
    expect(await sdkError(users.list([Query.notExists(['email'])]))).toEqual({ code: 400, type: 'general_query_invalid', message: 'Exists queries are not supported by this database' });
    // Argument errors come first, as Appwrite validates the parameter before running anything.
    expect((await sdkError(users.list([Query.exists(['name']), Query.notStartsWith('name', 'a'), Query.notStartsWith('hash', 'a')]))).type).toBe('general_argument_invalid');
  });
});

describe('total: false on every list route: 0, and the same page', () => {
  beforeAll(async () => {
    await users.create({ userId: 'q-tot', email: 'tot@q18.io', password: 'password-123', name: 'Totally' });
    await users.createSession({ userId: 'q-tot' });
    await teams.create({ teamId: 'q-team', name: 'Q Team' });
    await teams.createMembership({ teamId: 'q-team', roles: ['owner'], userId: 'q-tot' });
    await teams.create({ teamId: 'q-team2', name: 'Q Team 2' });
    await teams.createMembership({ teamId: 'q-team2', roles: [], userId: 'q-tot' });
  });

  it('List Users', async () => {
    const counted = await users.list({ queries: [MINE] });
    const uncounted = await users.list({ queries: [MINE], total: false });
    expect(counted.total).toBeGreaterThan(0);
    expect([uncounted.total, uncounted.users.map((u) => u.$id)]).toEqual([0, counted.users.map((u) => u.$id)]);
    expect((await users.list({ queries: [MINE], total: true })).total).toBe(counted.total);
  });

  it('logs, sessions, a user\'s memberships, teams and a team\'s memberships', async () => {
    const logs = await users.listLogs({ userId: 'q-tot', total: false });
    expect([logs.total, logs.logs.length > 0]).toEqual([0, true]);
    expect((await users.listLogs({ userId: 'q-tot' })).total).toBe(logs.logs.length);
    const sessions = await users.listSessions({ userId: 'q-tot', total: false });
    expect([sessions.total, sessions.sessions.length]).toEqual([0, 1]);
    expect((await users.listSessions({ userId: 'q-tot' })).total).toBe(1);
    const memberships = await users.listMemberships({ userId: 'q-tot', total: false });
    expect([memberships.total, memberships.memberships.length]).toEqual([0, 2]);
    const teamList = await teams.list({ queries: [Query.startsWith('$id', 'q-team')], total: false });
    expect([teamList.total, teamList.teams.map((t) => t.$id)]).toEqual([0, ['q-team', 'q-team2']]);
    const teamMembers = await teams.listMemberships({ teamId: 'q-team', total: false });
    expect([teamMembers.total, teamMembers.memberships.length]).toEqual([0, 1]);
  });

  it('a boolean in a query string: true/false/1/0 by meaning, anything else refused', async () => {
    const total = async (value: string) => (await gw.http('GET', `/v1/users?queries[]=${encodeURIComponent(MINE)}&total=${value}`)).body;
    expect((await total('false')).total).toBe(0);
    expect((await total('0')).total).toBe(0);
    expect((await total('1')).total).toBeGreaterThan(0);
    expect((await total('true')).total).toBeGreaterThan(0);
    expect(await total('no')).toMatchObject({ code: 400, type: 'general_argument_invalid', message: 'Invalid total: Value must be a valid boolean' });
  });
});

describe('List User Memberships takes queries and search (Appwrite 1.7)', () => {
  it('filters, orders, pages and searches a user\'s memberships', async () => {
    await users.create({ userId: 'q-mem', email: 'mem@q18.io', name: 'Member' });
    for (const [teamId, roles] of [['q-m1', ['owner']], ['q-m2', []], ['q-m3', ['admin']]] as const) {
      await teams.create({ teamId, name: `Team ${teamId}` });
      await teams.createMembership({ teamId, roles: [...roles], userId: 'q-mem' });
    }
    const teamIds = async (...queries: string[]) => (await users.listMemberships({ userId: 'q-mem', queries })).memberships.map((m) => m.teamId);
    expect(await teamIds()).toEqual(['q-m1', 'q-m2', 'q-m3']);
    expect(await teamIds(Query.equal('teamId', ['q-m2', 'q-m3']), Query.orderDesc('$createdAt'))).toEqual(['q-m3', 'q-m2']);
    expect(await teamIds(Query.notEqual('teamId', 'q-m1'), Query.limit(1))).toEqual(['q-m2']);
    const page = await users.listMemberships({ userId: 'q-mem', queries: [Query.limit(1), Query.offset(2)] });
    expect([page.total, page.memberships.map((m) => m.teamId)]).toEqual([3, ['q-m3']]);
    const first = (await users.listMemberships({ userId: 'q-mem' })).memberships[0];
    expect(await teamIds(Query.cursorAfter(first.$id))).toEqual(['q-m2', 'q-m3']);
    const found = await users.listMemberships({ userId: 'q-mem', search: first.$id });
    expect(found.memberships.map((m) => m.$id)).toEqual([first.$id]);
    expect((await sdkError(users.listMemberships({ userId: 'q-mem', queries: [Query.equal('roles', 'owner')] }))).message).toBe('Invalid queries: Query not valid: Attribute not found in schema: roles');
    expect((await sdkError(users.listMemberships({ userId: 'q-nobody', queries: [Query.limit(1)] }))).type).toBe('user_not_found');
    expect((await sdkError(users.listMemberships({ userId: 'q-mem', queries: [Query.cursorAfter('nope')] }))).message).toBe("Membership 'nope' for the 'cursor' value not found.");
  });
});

describe('the 1.x string syntax takes the new methods too', () => {
  it('raw query strings', async () => {
    const q = (...queries: string[]) => gw.http('GET', `/v1/users?${queries.map((s) => `queries[]=${encodeURIComponent(s)}`).join('&')}`);
    const r = await q('endsWith("email", "@q18.io")', 'notContains("name", ["smith", "stone"])', 'orderDesc("$createdAt")');
    expect(r.body.users.map((u: { $id: string }) => u.$id)).toEqual(expect.arrayContaining(['q-cy', 'q-tot', 'q-mem']));
    expect(r.body.users.map((u: { $id: string }) => u.$id)).not.toContain('q-ann');
    expect((await q('containsAll("labels", ["vip", "beta"])')).body.users.map((u: { $id: string }) => u.$id)).toEqual(['q-ann']);
    expect((await q(`createdBefore("2000-01-01")`)).body.total).toBe(0);
  });
});
