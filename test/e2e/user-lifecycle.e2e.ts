import { Client, Query, Teams, Users } from 'node-appwrite';
import { Client as LatestClient, Teams as LatestTeams, Users as LatestUsers } from 'node-appwrite-latest';
import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';

/*
 * What real requests make shows in every Users list: a login's session in List User Sessions
 * and its `session.create` row in List User Logs (ip, client, country, the user as actor), a
 * team membership in List User Memberships with the team's current name, and deleting the user
 * takes its sessions, tokens and memberships with it. Driven by node-appwrite 9.0.0 and the newest.
 */

const CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36';
/** A browser behind our (loopback, trusted) proxy, coming from 8.8.8.8. */
const BROWSER = { 'x-appwrite-key': '', 'x-forwarded-for': '8.8.8.8', 'user-agent': CHROME };

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

const generations = [
  {
    name: 'node-appwrite 9.0.0',
    sdk: () => {
      const client = new Client().setEndpoint(stack.endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY);
      const users = new Users(client);
      const teams = new Teams(client);
      return {
        createUser: (id: string, email: string, password: string) => users.create(id, email, undefined, password, 'Life'),
        updateName: (id: string, name: string) => users.updateName(id, name),
        listSessions: (id: string) => users.listSessions(id),
        listLogs: (id: string) => users.listLogs(id, [Query.limit(5)]),
        listMemberships: (id: string) => users.listMemberships(id),
        deleteUser: (id: string) => users.delete(id),
        createTeam: (id: string, name: string) => teams.create(id, name),
        renameTeam: (id: string, name: string) => teams.updateName(id, name),
        getTeam: (id: string) => teams.get(id),
        addMember: (teamId: string, userId: string) => teams.createMembership(teamId, ['member'], 'https://example.com/join', undefined, userId),
      };
    },
  },
  {
    name: 'newest node-appwrite',
    sdk: () => {
      const client = new LatestClient().setEndpoint(stack.endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY);
      const users = new LatestUsers(client);
      const teams = new LatestTeams(client);
      return {
        createUser: (id: string, email: string, password: string) => users.create({ userId: id, email, password, name: 'Life' }),
        updateName: (id: string, name: string) => users.updateName({ userId: id, name }),
        listSessions: (id: string) => users.listSessions({ userId: id }),
        listLogs: (id: string) => users.listLogs({ userId: id, queries: [Query.limit(5)] }),
        listMemberships: (id: string) => users.listMemberships({ userId: id }),
        deleteUser: (id: string) => users.delete({ userId: id }),
        createTeam: (id: string, name: string) => teams.create({ teamId: id, name }),
        renameTeam: (id: string, name: string) => teams.updateName({ teamId: id, name }),
        getTeam: (id: string) => teams.get({ teamId: id }),
        addMember: (teamId: string, userId: string) => teams.createMembership({ teamId, roles: ['member'], userId }),
      };
    },
  },
];

describe.each(generations)('a user\'s life, as $name sees it', ({ name, sdk }) => {
  const tag = name.includes('9.0.0') ? 'v9' : 'latest';
  it('login → session and log; team → membership with the current names; delete → all gone', async () => {
    const api = sdk();
    const userId = `life-${tag}`;
    const email = `${userId}@life.io`;
    await api.createUser(userId, email, 'correct horse battery');

    const login = await stack.http('POST', '/v1/account/sessions/email', { email, password: 'correct horse battery' }, BROWSER);
    expect(login.status).toBe(201);
    const sessions: any = await api.listSessions(userId);
    expect(sessions.total).toBe(1);
    expect(sessions.sessions[0]).toMatchObject({ $id: login.body.$id, provider: 'email', providerUid: email, ip: '8.8.8.8', osCode: 'MAC', clientName: 'Chrome', countryCode: 'us', current: false });

    const logs: any = await api.listLogs(userId);
    expect(logs.logs[0]).toMatchObject({ event: 'session.create', mode: 'user', userId, userEmail: email, ip: '8.8.8.8', clientName: 'Chrome', osCode: 'MAC', countryCode: 'us', countryName: 'United States' });

    const token = await stack.http('POST', `/v1/users/${userId}/tokens`, {});
    expect(token.status).toBe(201);

    const teamId = `team-${tag}`;
    await api.createTeam(teamId, 'Before');
    await api.addMember(teamId, userId);
    await api.renameTeam(teamId, 'After');
    await api.updateName(userId, 'Renamed Life');
    const memberships: any = await api.listMemberships(userId);
    expect(memberships.total).toBe(1);
    expect(memberships.memberships[0]).toMatchObject({ teamId, teamName: 'After', userId, userName: 'Renamed Life', userEmail: email, confirm: true, roles: ['member'] });
    expect(((await api.getTeam(teamId)) as any).total).toBe(1);

    await api.deleteUser(userId);
    expect(((await api.getTeam(teamId)) as any).total).toBe(0);
    const members = await stack.http('GET', `/v1/teams/${teamId}/memberships`);
    expect(members.body.total).toBe(0);
    for (const part of ['/sessions', '/memberships']) expect((await stack.http('GET', `/v1/users/${userId}${part}`)).body.type).toBe('user_not_found');
    // The login's session no longer authenticates anyone.
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    expect((await stack.http('GET', '/v1/account', undefined, { ...BROWSER, cookie })).status).toBe(401);
    // A new user under the same id starts with nothing.
    await api.createUser(userId, email, 'correct horse battery');
    expect(((await api.listSessions(userId)) as any).total).toBe(0);
    expect(((await api.listMemberships(userId)) as any).total).toBe(0);
  });
});
