import { startTestStack, TestStack } from '../support/test-stack';

/** The Teams API over raw HTTP (Appwrite 1.3.8 with an API key), embedded or distributed. */
let gw: TestStack;
beforeAll(async () => {
  gw = await startTestStack();
});
afterAll(() => gw.close());

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;
const TEAM_KEYS = ['$id', '$createdAt', '$updatedAt', 'name', 'total', 'prefs'];
/** Appwrite 1.3's Membership (format 1.0.0), and the newest (no format header). */
const MEMBERSHIP_KEYS = ['$id', '$createdAt', '$updatedAt', 'userId', 'userName', 'userEmail', 'teamId', 'teamName', 'invited', 'joined', 'confirm', 'roles'];
const NEWEST_MEMBERSHIP_KEYS = ['$id', '$createdAt', '$updatedAt', 'userId', 'userName', 'userEmail', 'userPhone', 'teamId', 'teamName', 'invited', 'joined', 'confirm', 'mfa', 'userAccessedAt', 'roles'];
const envelope = (code: number, type: string, message: string) => ({ message, code, type, version: '1.3.8' });
const q = (...queries: string[]) => queries.map((x) => `queries[]=${encodeURIComponent(x)}`).join('&');

async function expectError(res: Promise<{ status: number; body: any }>, code: number, type: string, message?: string) {
  const r = await res;
  expect([r.status, r.body?.type]).toEqual([code, type]);
  if (message !== undefined) expect(r.body).toEqual(envelope(code, type, message));
}

const createTeam = (teamId: string, name: string) => gw.http('POST', '/v1/teams', { teamId, name });
const createUser = (userId: string, email?: string, name?: string) => gw.http('POST', '/v1/users', { userId, email, name });
const addMember = (teamId: string, body: Record<string, unknown>) => gw.http('POST', `/v1/teams/${teamId}/memberships`, { roles: ['member'], url: 'https://example.com/join', ...body });

describe('teams', () => {
  it('creates a team: 201, Team model, total 0 with a key, nobody a member', async () => {
    const res = await createTeam('vip', 'VIP');
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(TEAM_KEYS);
    expect(res.body).toMatchObject({ $id: 'vip', name: 'VIP', total: 0, prefs: {} });
    expect(res.body.$createdAt).toMatch(DATE);
    expect(res.body.$updatedAt).toBe(res.body.$createdAt);
    expect((await gw.http('GET', '/v1/teams/vip')).body).toEqual(res.body);
    expect((await gw.http('GET', '/v1/teams/vip/memberships')).body).toEqual({ total: 0, memberships: [] });
    const generated = await gw.http('POST', '/v1/teams', { teamId: 'unique()', name: 'Generated', roles: ['owner', 'admin'] });
    expect(generated.body.$id).toMatch(/^[0-9a-f]{20}$/);
  });

  it('refuses a taken id with team_already_exists; a deleted team\'s id is free again', async () => {
    await createTeam('dup-team', 'One');
    await expectError(createTeam('dup-team', 'Two'), 409, 'team_already_exists', 'Team with requested ID already exists. Please choose a different ID and try again.');
    expect((await gw.http('DELETE', '/v1/teams/dup-team')).status).toBe(204);
    await expectError(gw.http('GET', '/v1/teams/dup-team'), 404, 'team_not_found', 'Team with the requested ID could not be found.');
    await expectError(gw.http('DELETE', '/v1/teams/dup-team'), 404, 'team_not_found');
    expect((await createTeam('dup-team', 'Again')).body).toMatchObject({ name: 'Again', total: 0 });
  });

  it.each([
    ['POST', '/v1/teams', {}, 'Param "teamId" is not optional.'],
    ['POST', '/v1/teams', { teamId: '_bad', name: 'x' }, "Invalid teamId: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char"],
    ['POST', '/v1/teams', { teamId: 't' }, 'Param "name" is not optional.'],
    ['POST', '/v1/teams', { teamId: 't', name: 'x'.repeat(129) }, 'Invalid name: Value must be a valid string and at least 1 chars and no longer than 128 chars'],
    ['POST', '/v1/teams', { teamId: 't', name: 'x', roles: 'owner' }, "Invalid roles: Value must a valid array no longer than 100 items and Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char"],
    ['GET', '/v1/teams/_bad', undefined, "Invalid teamId: UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore"],
    ['PUT', '/v1/teams/vip', {}, 'Param "name" is not optional.'],
    ['PUT', '/v1/teams/vip/prefs', { prefs: 'x' }, 'Invalid prefs: Value must be a valid object.'],
    ['GET', `/v1/teams?${q('equal("total", ["1"])')}`, undefined, 'Invalid queries: Query not valid: Query type does not match expected: integer'],
    ['GET', `/v1/teams?${q('equal("prefs", "x")')}`, undefined, 'Invalid queries: Query not valid: Attribute not found in schema: prefs'],
    ['GET', '/v1/teams?search=', undefined, 'Invalid search: Value must be a valid string and at least 1 chars and no longer than 256 chars'],
    ['GET', `/v1/teams/vip/memberships?${q('equal("roles", "x")')}`, undefined, 'Invalid queries: Query not valid: Attribute not found in schema: roles'],
    ['POST', '/v1/teams/vip/memberships', { userId: 'u' }, 'Param "roles" is not optional.'],
    ['POST', '/v1/teams/vip/memberships', { roles: [] }, 'At least one of userId, email, or phone is required'],
    ['POST', '/v1/teams/vip/memberships', { email: 'nope', roles: [] }, 'Invalid email: Value must be a valid email address'],
    ['POST', '/v1/teams/vip/memberships', { userId: 'u', roles: [], url: 'not a url' }, 'Invalid url: Value must be a valid URL'],
    ['PATCH', '/v1/teams/vip/memberships/m1', {}, 'Param "roles" is not optional.'],
  ])('%s %s %j → 400', async (method, path, body, message) => expectError(gw.http(method, path, body), 400, 'general_argument_invalid', message));

  it('renames by PUT /teams/{id} (1.3) and PUT /teams/{id}/name (1.4+), replaces prefs', async () => {
    const created = (await createTeam('rename-me', 'Before')).body;
    await new Promise((r) => setTimeout(r, 5));
    const renamed = await gw.http('PUT', '/v1/teams/rename-me', { name: 'After' });
    expect(renamed.body).toMatchObject({ $id: 'rename-me', name: 'After', $createdAt: created.$createdAt });
    expect(renamed.body.$updatedAt > created.$updatedAt).toBe(true);
    expect((await gw.http('PUT', '/v1/teams/rename-me/name', { name: 'Again' })).body.name).toBe('Again');
    expect((await gw.http('GET', '/v1/teams/rename-me/prefs')).body).toEqual({});
    expect((await gw.http('PUT', '/v1/teams/rename-me/prefs', { prefs: { theme: 'dark', n: [1, 2] } })).body).toEqual({ theme: 'dark', n: [1, 2] });
    expect((await gw.http('PUT', '/v1/teams/rename-me/prefs', { prefs: { only: true } })).body).toEqual({ only: true });
    expect((await gw.http('GET', '/v1/teams/rename-me')).body).toMatchObject({ name: 'Again', prefs: { only: true } });
    await expectError(gw.http('PUT', '/v1/teams/missing-team', { name: 'x' }), 404, 'team_not_found');
    await expectError(gw.http('GET', '/v1/teams/missing-team/prefs'), 404, 'team_not_found');
    await expectError(gw.http('PUT', '/v1/teams/missing-team/prefs', { prefs: {} }), 404, 'team_not_found');
  });

  it('lists teams with queries, search and cursors', async () => {
    for (const [id, name] of [['list-a', 'Alpha Squad'], ['list-b', 'Beta Squad'], ['list-c', 'Gamma Crew']]) await createTeam(id, name);
    const listed = await gw.http('GET', `/v1/teams?${q('startsWith("$id", "list-")', 'orderDesc("name")')}`);
    expect(listed.body.total).toBe(3);
    expect(listed.body.teams.map((t: any) => t.$id)).toEqual(['list-c', 'list-b', 'list-a']);
    expect(Object.keys(listed.body.teams[0])).toEqual(TEAM_KEYS);
    const page = await gw.http('GET', `/v1/teams?${q('startsWith("$id", "list-")', 'limit(1)', 'cursorAfter("list-a")')}`);
    expect([page.body.total, page.body.teams.map((t: any) => t.$id)]).toEqual([3, ['list-b']]);
    expect((await gw.http('GET', '/v1/teams?search=squad')).body.teams.map((t: any) => t.$id).sort()).toEqual(['list-a', 'list-b']);
    expect((await gw.http('GET', `/v1/teams?search=${encodeURIComponent('"list-c"')}`)).body.teams.map((t: any) => t.$id)).toEqual(['list-c']);
    const json = encodeURIComponent(JSON.stringify({ method: 'equal', attribute: 'name', values: ['gamma crew'] }));
    expect((await gw.http('GET', `/v1/teams?queries[0]=${json}`)).body.teams.map((t: any) => t.$id)).toEqual(['list-c']);
    expect((await gw.http('GET', `/v1/teams?${q('startsWith("$id", "list-")', 'select(["name"])')}`)).body.teams[0]).toMatchObject({ name: 'Alpha Squad', total: 0, prefs: {} });
    await expectError(gw.http('GET', `/v1/teams?${q('cursorAfter("nope")')}`), 400, 'general_cursor_not_found', "Team 'nope' for the 'cursor' value not found.");
  });

  it('needs the teams scopes', async () => {
    const usersOnly = await gw.createKey({ name: 'users-only', scopes: ['users.read', 'users.write'] });
    const denied = await gw.http('GET', '/v1/teams', undefined, { 'x-appwrite-key': usersOnly.secret, host: 'teams.example.com' });
    expect(denied.body).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
    expect(denied.body.message).toMatch(/missing scope \(teams\.read\)$/);
    const write = await gw.http('POST', '/v1/teams', { teamId: 'x', name: 'x' }, { 'x-appwrite-key': 'wrong' });
    expect(write.body).toEqual(envelope(401, 'general_unauthorized_scope', 'User (role: guests) missing scope (teams.write)'));
    const teamsRead = await gw.createKey({ name: 'teams-read', scopes: ['teams.read'] });
    expect((await gw.http('GET', '/v1/teams', undefined, { 'x-appwrite-key': teamsRead.secret })).status).toBe(200);
  });
});

describe('memberships', () => {
  it('adds an existing user at once (confirmed, joined now), counts it, shows current names', async () => {
    await createTeam('m-team', 'Members');
    await createUser('m-ann', 'ann@members.io', 'Ann');
    const res = await addMember('m-team', { userId: 'm-ann', roles: ['owner'] });
    expect(res.status).toBe(201);
    const m = res.body;
    expect(Object.keys(m)).toEqual(NEWEST_MEMBERSHIP_KEYS);
    expect(m).toMatchObject({ userId: 'm-ann', userName: 'Ann', userEmail: 'ann@members.io', userPhone: '', teamId: 'm-team', teamName: 'Members', confirm: true, mfa: false, userAccessedAt: '', roles: ['owner'] });
    const old = await gw.http('GET', `/v1/teams/m-team/memberships/${m.$id}`, undefined, { 'x-appwrite-response-format': '1.0.0' });
    expect(Object.keys(old.body)).toEqual(MEMBERSHIP_KEYS);
    expect(m.$id).toMatch(/^[0-9a-f]{20}$/);
    expect([m.invited, m.joined, m.$updatedAt]).toEqual([m.$createdAt, m.$createdAt, m.$createdAt]);
    const team = (await gw.http('GET', '/v1/teams/m-team')).body;
    expect(team.total).toBe(1);
    expect(team.$updatedAt).toBe(m.$createdAt);
    expect((await gw.http('GET', `/v1/teams/m-team/memberships/${m.$id}`)).body).toEqual(m);
    await expectError(addMember('m-team', { userId: 'm-ann' }), 409, 'team_invite_already_exists', 'User has already been invited or is already a member of this team');
    await expectError(addMember('m-team', { email: 'ANN@members.io' }), 409, 'team_invite_already_exists');
  });

  it('creates a missing invitee (name = name or email), finds existing ones by email or phone', async () => {
    await createTeam('inv-team', 'Invites');
    const byEmail = (await addMember('inv-team', { email: 'New.Person@Invites.io' })).body;
    expect(byEmail).toMatchObject({ userName: 'new.person@invites.io', userEmail: 'new.person@invites.io', confirm: true });
    const user = (await gw.http('GET', `/v1/users/${byEmail.userId}`)).body;
    expect(user).toMatchObject({ email: 'new.person@invites.io', name: 'new.person@invites.io', password: null, status: true });
    expect((await addMember('inv-team', { email: 'named@invites.io', name: 'Named' })).body.userName).toBe('Named');
    const phoneOnly = (await addMember('inv-team', { phone: '+15550001111' })).body;
    expect((await gw.http('GET', `/v1/users/${phoneOnly.userId}`)).body).toMatchObject({ phone: '+15550001111', email: '', name: '' });
    await createUser('inv-existing', 'existing@invites.io', 'Existing');
    expect((await addMember('inv-team', { email: 'existing@invites.io' })).body.userId).toBe('inv-existing');
    expect((await gw.http('GET', '/v1/teams/inv-team')).body.total).toBe(4);
  });

  it('refuses an unknown team or user, and ids naming different users', async () => {
    await createTeam('ref-team', 'Refusals');
    await createUser('ref-u1', 'ref1@x.io');
    await gw.http('POST', '/v1/users', { userId: 'ref-u2', email: 'ref2@x.io', phone: '+15550002222' });
    await expectError(addMember('missing-team', { userId: 'ref-u1' }), 404, 'team_not_found');
    await expectError(addMember('ref-team', { userId: 'nobody' }), 404, 'user_not_found', "User with given userId doesn't exist.");
    await expectError(addMember('ref-team', { userId: 'ref-u1', email: 'ref2@x.io' }), 409, 'user_already_exists', "Given userId and email doesn't match");
    await expectError(addMember('ref-team', { userId: 'ref-u1', phone: '+15550002222' }), 409, 'user_already_exists', "Given userId and phone doesn't match");
    await expectError(addMember('ref-team', { email: 'ref2@x.io', phone: '+15550009999' }), 409, 'user_already_exists', "Given email and phone doesn't match");
    expect((await gw.http('GET', '/v1/teams/ref-team')).body.total).toBe(0);
  });

  it('lists, filters, changes roles and deletes memberships; totals follow', async () => {
    await createTeam('ops', 'Ops');
    await createTeam('other-team', 'Other');
    const ids: string[] = [];
    for (const u of ['ops-a', 'ops-b', 'ops-c']) {
      await createUser(u, `${u}@ops.io`, u.toUpperCase());
      ids.push((await addMember('ops', { userId: u, roles: [u === 'ops-a' ? 'owner' : 'member'] })).body.$id);
    }
    const foreign = (await addMember('other-team', { userId: 'ops-a' })).body.$id;
    const all = await gw.http('GET', '/v1/teams/ops/memberships');
    expect([all.body.total, all.body.memberships.map((m: any) => m.userId)]).toEqual([3, ['ops-a', 'ops-b', 'ops-c']]);
    const filtered = await gw.http('GET', `/v1/teams/ops/memberships?${q('equal("userId", ["OPS-B", "ops-c"])', 'orderDesc("$createdAt")', 'limit(1)')}`);
    expect([filtered.body.total, filtered.body.memberships.map((m: any) => m.userId)]).toEqual([2, ['ops-c']]);
    expect((await gw.http('GET', `/v1/teams/ops/memberships?${q('equal("confirm", true)', 'isNotNull("joined")')}`)).body.total).toBe(3);
    expect((await gw.http('GET', `/v1/teams/ops/memberships?search=${ids[1]}`)).body.memberships.map((m: any) => m.$id)).toEqual([ids[1]]);
    expect((await gw.http('GET', `/v1/teams/ops/memberships?search=${encodeURIComponent('"ops-c"')}`)).body.memberships.map((m: any) => m.userId)).toEqual(['ops-c']);
    expect((await gw.http('GET', `/v1/teams/ops/memberships?${q(`cursorAfter("${ids[0]}")`)}`)).body.memberships.map((m: any) => m.$id)).toEqual(ids.slice(1));
    await expectError(gw.http('GET', `/v1/teams/ops/memberships?${q('cursorAfter("nope")')}`), 400, 'general_cursor_not_found', "Membership 'nope' for the 'cursor' value not found.");
    await expectError(gw.http('GET', '/v1/teams/missing-team/memberships'), 404, 'team_not_found');

    const patched = await gw.http('PATCH', `/v1/teams/ops/memberships/${ids[1]}`, { roles: ['admin', 'billing'] });
    expect(patched.body).toMatchObject({ $id: ids[1], roles: ['admin', 'billing'], userName: 'OPS-B', teamName: 'Ops' });
    await expectError(gw.http('PATCH', '/v1/teams/ops/memberships/nope', { roles: [] }), 404, 'membership_not_found', 'Membership with the requested ID could not be found.');
    await expectError(gw.http('PATCH', `/v1/teams/ops/memberships/${foreign}`, { roles: [] }), 404, 'membership_not_found');
    await expectError(gw.http('PATCH', `/v1/teams/missing-team/memberships/${ids[1]}`, { roles: [] }), 404, 'team_not_found');
    await expectError(gw.http('GET', `/v1/teams/ops/memberships/${foreign}`), 404, 'membership_not_found');
    await expectError(gw.http('GET', `/v1/teams/missing-team/memberships/${ids[0]}`), 404, 'team_not_found');

    await expectError(gw.http('DELETE', `/v1/teams/ops/memberships/${foreign}`), 404, 'team_membership_mismatch', 'The membership ID does not belong to the team ID.');
    expect((await gw.http('DELETE', `/v1/teams/ops/memberships/${ids[1]}`)).status).toBe(204);
    await expectError(gw.http('DELETE', `/v1/teams/ops/memberships/${ids[1]}`), 404, 'team_invite_not_found', 'The requested team invitation could not be found.');
    await expectError(gw.http('GET', `/v1/teams/ops/memberships/${ids[1]}`), 404, 'membership_not_found');
    expect((await gw.http('GET', '/v1/teams/ops')).body.total).toBe(2);
    expect((await gw.http('GET', `/v1/teams?${q('equal("total", 2)', 'equal("$id", "ops")')}`)).body.total).toBe(1);
    // The pair is free again at once.
    expect((await addMember('ops', { userId: 'ops-b' })).status).toBe(201);
    expect((await gw.http('GET', '/v1/teams/ops')).body.total).toBe(3);
  });
});

describe('List User Memberships and what deletions do', () => {
  it('lists a user\'s memberships with the team\'s and the user\'s names as they are now', async () => {
    await createUser('lum-user', 'lum@x.io', 'Lum');
    await createTeam('lum-t1', 'First');
    await createTeam('lum-t2', 'Second');
    const m1 = (await addMember('lum-t1', { userId: 'lum-user' })).body;
    const m2 = (await addMember('lum-t2', { userId: 'lum-user', roles: ['owner'] })).body;
    expect((await gw.http('GET', '/v1/users/lum-user/memberships')).body).toEqual({ total: 2, memberships: [m1, m2] });
    await gw.http('PUT', '/v1/teams/lum-t1', { name: 'First Renamed' });
    await gw.http('PATCH', '/v1/users/lum-user/name', { name: 'Lum Renamed' });
    await gw.http('PATCH', '/v1/users/lum-user/email', { email: 'renamed@x.io' });
    const after = (await gw.http('GET', '/v1/users/lum-user/memberships')).body;
    expect(after.memberships.map((m: any) => [m.teamName, m.userName, m.userEmail])).toEqual([
      ['First Renamed', 'Lum Renamed', 'renamed@x.io'],
      ['Second', 'Lum Renamed', 'renamed@x.io'],
    ]);
    expect((await gw.http('GET', `/v1/teams/lum-t1/memberships/${m1.$id}`)).body).toMatchObject({ teamName: 'First Renamed', userName: 'Lum Renamed' });
    expect((await gw.http('GET', '/v1/teams/lum-t2/memberships')).body.memberships[0]).toMatchObject({ teamName: 'Second', userEmail: 'renamed@x.io' });
    await createUser('lum-none');
    expect((await gw.http('GET', '/v1/users/lum-none/memberships')).body).toEqual({ total: 0, memberships: [] });
    await expectError(gw.http('GET', '/v1/users/lum-missing/memberships'), 404, 'user_not_found', 'User with the requested ID could not be found.');
  });

  it('deleting a user removes its memberships at once; totals go down; the id can join again', async () => {
    await createTeam('du-t1', 'One');
    await createTeam('du-t2', 'Two');
    for (const u of ['du-gone', 'du-stays']) await createUser(u, `${u}@x.io`);
    const gone = (await addMember('du-t1', { userId: 'du-gone' })).body;
    await addMember('du-t2', { userId: 'du-gone' });
    await addMember('du-t1', { userId: 'du-stays' });
    expect((await gw.http('GET', '/v1/teams/du-t1')).body.total).toBe(2);
    expect((await gw.http('DELETE', '/v1/users/du-gone')).status).toBe(204);
    // Read-your-writes: right after the DELETE answered.
    expect((await gw.http('GET', '/v1/teams/du-t1/memberships')).body.memberships.map((m: any) => m.userId)).toEqual(['du-stays']);
    expect((await gw.http('GET', '/v1/teams/du-t1')).body.total).toBe(1);
    expect((await gw.http('GET', '/v1/teams/du-t2')).body.total).toBe(0);
    await expectError(gw.http('GET', `/v1/teams/du-t1/memberships/${gone.$id}`), 404, 'membership_not_found');
    await expectError(gw.http('PATCH', `/v1/teams/du-t1/memberships/${gone.$id}`, { roles: [] }), 404, 'membership_not_found');
    await expectError(gw.http('DELETE', `/v1/teams/du-t1/memberships/${gone.$id}`), 404, 'team_invite_not_found');
    // Re-created under the same id, the user is nobody's member, and may join again at once.
    await createUser('du-gone', 'du-gone@x.io');
    expect((await gw.http('GET', '/v1/users/du-gone/memberships')).body.total).toBe(0);
    expect((await addMember('du-t1', { userId: 'du-gone' })).status).toBe(201);
    expect((await gw.http('GET', '/v1/teams/du-t1')).body.total).toBe(2);
  });

  it('deleting a team removes its memberships; a team re-created under its id starts empty', async () => {
    await createTeam('dt-team', 'Doomed');
    await createUser('dt-user', 'dt@x.io');
    const m = (await addMember('dt-team', { userId: 'dt-user' })).body;
    expect((await gw.http('DELETE', '/v1/teams/dt-team')).status).toBe(204);
    expect((await gw.http('GET', '/v1/users/dt-user/memberships')).body).toEqual({ total: 0, memberships: [] });
    await expectError(gw.http('GET', '/v1/teams/dt-team/memberships'), 404, 'team_not_found');
    await expectError(gw.http('DELETE', `/v1/teams/dt-team/memberships/${m.$id}`), 404, 'team_invite_not_found');
    expect((await createTeam('dt-team', 'Reborn')).body.total).toBe(0);
    expect((await gw.http('GET', '/v1/teams/dt-team/memberships')).body.total).toBe(0);
    expect((await addMember('dt-team', { userId: 'dt-user' })).status).toBe(201);
    expect((await gw.http('GET', '/v1/users/dt-user/memberships')).body.memberships.map((x: any) => x.teamName)).toEqual(['Reborn']);
  });
});

describe('uniqueness under 50 concurrent requests', () => {
  const race = (n: number, request: (i: number) => Promise<{ status: number; body: any }>) => Promise.all(Array.from({ length: n }, (_, i) => request(i)));
  const expectOneWinner = (results: Array<{ status: number; body: any }>, conflictType: string) => {
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.type === conflictType)).toHaveLength(results.length - 1);
  };

  it('one team id: one 201, 49 team_already_exists', async () => {
    const results = await race(50, (i) => createTeam('race-team', `Racer ${i}`));
    expectOneWinner(results, 'team_already_exists');
    expect((await gw.http('GET', `/v1/teams?${q('equal("$id", "race-team")')}`)).body.total).toBe(1);
  });

  it('one user in one team: one 201, 49 team_invite_already_exists, total 1', async () => {
    await createTeam('race-members', 'Racing');
    await createUser('race-user', 'race-user@x.io');
    const results = await race(50, (i) => addMember('race-members', i % 2 ? { userId: 'race-user' } : { email: 'race-user@x.io' }));
    expectOneWinner(results, 'team_invite_already_exists');
    expect((await gw.http('GET', '/v1/teams/race-members/memberships')).body.total).toBe(1);
    expect((await gw.http('GET', '/v1/teams/race-members')).body.total).toBe(1);
  });
});
