import { AppwriteException, Client, ID, Query, Teams, Users } from 'node-appwrite';
import * as Latest from 'node-appwrite-latest';
import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';

/** The Teams service of node-appwrite 9.0.0 (Appwrite 1.3) and of the newest node-appwrite, against the gateway. */
let gw: TestStack;
let teams: Teams;
let users: Users;
let latest: Latest.Teams;
beforeAll(async () => {
  gw = await startTestStack();
  teams = new Teams(new Client().setEndpoint(gw.endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY));
  users = new Users(new Client().setEndpoint(gw.endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY));
  latest = new Latest.Teams(new Latest.Client().setEndpoint(gw.endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY));
});
afterAll(() => gw.close());

type SdkError = { code: number; type: string; message: string };
async function sdkError(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppwriteException || err instanceof Latest.AppwriteException) return err as unknown as SdkError;
    throw err;
  }
  throw new Error('expected the SDK call to fail');
}

describe('node-appwrite 9.0.0 Teams', () => {
  it('creates, lists, gets, renames, sets prefs and deletes teams', async () => {
    const t: any = await teams.create(ID.unique(), 'SDK Nine', ['owner']);
    expect(t).toMatchObject({ name: 'SDK Nine', total: 0, prefs: {} });
    await teams.create('sdk9-b', 'SDK Nine B');
    const listed: any = await teams.list([Query.startsWith('name', 'SDK Nine'), Query.orderDesc('name')]);
    expect([listed.total, listed.teams.map((x: any) => x.$id)]).toEqual([2, ['sdk9-b', t.$id]]);
    expect(((await teams.list(undefined, 'nine')) as any).total).toBeGreaterThanOrEqual(2);
    expect(await teams.get('sdk9-b')).toMatchObject({ $id: 'sdk9-b', name: 'SDK Nine B' });
    expect(await teams.updateName('sdk9-b', 'Renamed Nine')).toMatchObject({ name: 'Renamed Nine' });
    expect(await teams.updatePrefs('sdk9-b', { color: 'red' })).toEqual({ color: 'red' });
    expect(await teams.getPrefs('sdk9-b')).toEqual({ color: 'red' });
    await teams.delete('sdk9-b');
    const err = await sdkError(teams.get('sdk9-b'));
    expect([err.code, err.type]).toEqual([404, 'team_not_found']);
    expect((await sdkError(teams.create(t.$id, 'Again'))).type).toBe('team_already_exists');
  });

  it('adds members at once, lists, reads, changes roles and removes them', async () => {
    await teams.create('sdk9-m', 'Members Nine');
    await users.create('sdk9-user', 'sdk9@x.io', undefined, undefined, 'Nine User');
    const byId: any = await teams.createMembership('sdk9-m', ['owner'], 'https://example.com', undefined, 'sdk9-user');
    expect(byId).toMatchObject({ userId: 'sdk9-user', userName: 'Nine User', userEmail: 'sdk9@x.io', teamName: 'Members Nine', confirm: true, roles: ['owner'] });
    const byEmail: any = await teams.createMembership('sdk9-m', ['member'], 'https://example.com', 'invitee9@x.io', undefined, undefined, 'Invitee');
    expect(byEmail).toMatchObject({ userName: 'Invitee', userEmail: 'invitee9@x.io', confirm: true });
    const again = await sdkError(teams.createMembership('sdk9-m', [], 'https://example.com', 'SDK9@x.io'));
    expect([again.code, again.type]).toEqual([409, 'team_invite_already_exists']);
    const list: any = await teams.listMemberships('sdk9-m', [Query.equal('userId', 'sdk9-user')]);
    expect(list.memberships.map((m: any) => m.$id)).toEqual([byId.$id]);
    expect(((await teams.listMemberships('sdk9-m')) as any).total).toBe(2);
    expect(await teams.getMembership('sdk9-m', byEmail.$id)).toEqual(byEmail);
    expect(await teams.updateMembershipRoles('sdk9-m', byEmail.$id, ['admin'])).toMatchObject({ roles: ['admin'] });
    expect(((await teams.get('sdk9-m')) as any).total).toBe(2);
    expect(((await users.listMemberships('sdk9-user')) as any).memberships.map((m: any) => m.teamName)).toEqual(['Members Nine']);
    await teams.deleteMembership('sdk9-m', byEmail.$id);
    expect(((await teams.get('sdk9-m')) as any).total).toBe(1);
    expect((await sdkError(teams.getMembership('sdk9-m', byEmail.$id))).type).toBe('membership_not_found');
    await users.delete('sdk9-user');
    expect(await teams.listMemberships('sdk9-m')).toEqual({ total: 0, memberships: [] });
    expect(((await teams.get('sdk9-m')) as any).total).toBe(0);
  });
});

describe('newest node-appwrite Teams', () => {
  it('creates, lists with JSON queries, gets, renames, sets prefs and deletes teams', async () => {
    const t = await latest.create({ teamId: Latest.ID.unique(), name: 'Latest Team' });
    expect(t).toMatchObject({ name: 'Latest Team', total: 0, prefs: {} });
    await latest.create('latest-b', 'Latest B');
    const listed = await latest.list({ queries: [Latest.Query.startsWith('name', 'Latest'), Latest.Query.orderAsc('name'), Latest.Query.limit(1)] });
    expect([listed.total, listed.teams.map((x) => x.$id)]).toEqual([2, ['latest-b']]);
    expect((await latest.list({ queries: [Latest.Query.or([Latest.Query.equal('name', 'latest b'), Latest.Query.greaterThan('total', 5)])] })).teams.map((x) => x.$id)).toEqual(['latest-b']);
    expect((await latest.list({ search: 'latest' })).total).toBeGreaterThanOrEqual(2);
    expect((await latest.get({ teamId: t.$id })).name).toBe('Latest Team');
    expect((await latest.updateName({ teamId: t.$id, name: 'Latest Renamed' })).name).toBe('Latest Renamed');
    expect(await latest.updatePrefs({ teamId: t.$id, prefs: { a: 1 } })).toEqual({ a: 1 });
    expect(await latest.getPrefs({ teamId: t.$id })).toEqual({ a: 1 });
    await latest.delete({ teamId: 'latest-b' });
    expect((await sdkError(latest.get({ teamId: 'latest-b' }))).type).toBe('team_not_found');
  });

  it('adds members without an invitation URL, lists, updates and deletes them', async () => {
    await latest.create({ teamId: 'latest-m', name: 'Latest Members' });
    await users.create('latest-user', 'latest-user@x.io', undefined, undefined, 'Latest User');
    const m = await latest.createMembership({ teamId: 'latest-m', roles: ['owner'], userId: 'latest-user' });
    expect(m).toMatchObject({ userId: 'latest-user', userName: 'Latest User', teamName: 'Latest Members', confirm: true, roles: ['owner'] });
    const byPhone = await latest.createMembership({ teamId: 'latest-m', roles: [], phone: '+15550003333' });
    expect(byPhone.confirm).toBe(true);
    const listed = await latest.listMemberships({ teamId: 'latest-m', queries: [Latest.Query.equal('confirm', true), Latest.Query.orderDesc('$createdAt')] });
    expect([listed.total, listed.memberships.map((x) => x.$id)]).toEqual([2, [byPhone.$id, m.$id]]);
    expect((await latest.getMembership({ teamId: 'latest-m', membershipId: m.$id })).userEmail).toBe('latest-user@x.io');
    expect((await latest.updateMembership({ teamId: 'latest-m', membershipId: m.$id, roles: ['admin', 'owner'] })).roles).toEqual(['admin', 'owner']);
    await latest.deleteMembership({ teamId: 'latest-m', membershipId: byPhone.$id });
    expect((await latest.get({ teamId: 'latest-m' })).total).toBe(1);
    const mismatch = await sdkError(latest.deleteMembership({ teamId: 'latest-missing', membershipId: m.$id }));
    expect([mismatch.code, mismatch.type]).toEqual([404, 'team_membership_mismatch']);
    await latest.delete({ teamId: 'latest-m' });
    expect((await users.listMemberships('latest-user')) as any).toEqual({ total: 0, memberships: [] });
  });
});
