import { createHash } from 'node:crypto';
import { Client, Users } from 'node-appwrite';
import { Client as LatestClient, Users as LatestUsers } from 'node-appwrite-latest';
import { formatDate } from '@lib/appwrite';
import type { Response } from '../support/raw-http';
import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';

/*
 * A user's history and time travel over raw HTTP, on whichever stack E2E_STACK names: a user is
 * created, changed in many ways (a session and a token too), then deleted. Its history lists
 * every event of its stream, pages by offset and by both cursors with a true total, and holds no
 * secret; GET user at each revision, and at dates between the writes, answers what GET answered
 * then, byte for byte; every answer that is one user names its revision in an ETag, which grows
 * with every write; node-appwrite still reads the user as before.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

const USER = 'hist-ada';
const PASSWORD = 'plain history password 1';
const NEW_PASSWORD = 'plain history password 2';
const OLD_FORMAT = { 'x-appwrite-response-format': '1.0.0' };

/** What GET user answered right after a write, and a moment after that answer and before the next write. */
interface Snapshot {
  write: string;
  revision: number;
  text: string;
  oldFormatText: string;
  between: string;
}

const etagOf = (res: Response): number => {
  const etag = res.headers.get('etag');
  expect(etag).toMatch(/^"\d+"$/);
  return Number(etag!.slice(1, -1));
};

/** The next request starts strictly after `moment` (the service stamps events in milliseconds). */
async function pastMoment(moment: string): Promise<void> {
  while (Date.now() <= Date.parse(moment)) await new Promise((r) => setTimeout(r, 2));
}

const events = (userId: string, queries: string[] = [], headers?: Record<string, string>) =>
  stack.http('GET', `/v1/users/${userId}/events${queries.length ? `?${queries.map((q) => `queries[]=${encodeURIComponent(q)}`).join('&')}` : ''}`, undefined, headers);

describe('a user\'s history and time travel', () => {
  const snapshots: Snapshot[] = [];
  const secrets: string[] = [PASSWORD, NEW_PASSWORD];
  const writeEtags: Array<[string, number]> = [];
  let beforeCreation: string;
  let deletedAt: string;
  let deletion: Response;
  let history: Response;

  /** A write on the user: its answer's ETag (when it answers the User model), then GET user as it is now. */
  async function write(name: string, method: string, path: string, body: unknown, answersUser = true): Promise<Response> {
    const res = await stack.http(method, path, body);
    expect([name, res.status < 300, res.text]).toEqual([name, true, res.text]);
    const now = await stack.http('GET', `/v1/users/${USER}`);
    expect(now.status).toBe(200);
    if (answersUser) {
      // The write answers what a GET right after it answers, with the same version.
      expect([name, etagOf(res), res.text]).toEqual([name, etagOf(now), now.text]);
      writeEtags.push([name, etagOf(res)]);
    }
    const oldFormat = await stack.http('GET', `/v1/users/${USER}`, undefined, OLD_FORMAT);
    expect(etagOf(oldFormat)).toBe(etagOf(now));
    const between = formatDate(Date.now());
    snapshots.push({ write: name, revision: etagOf(now), text: now.text, oldFormatText: oldFormat.text, between });
    await pastMoment(between);
    return res;
  }

  beforeAll(async () => {
    beforeCreation = formatDate(Date.now());
    await pastMoment(beforeCreation);
    const created = await write('create', 'POST', '/v1/users', { userId: USER, email: 'ada@history.io', password: PASSWORD, name: 'Ada' });
    secrets.push(created.body.password);
    await write('name', 'PATCH', `/v1/users/${USER}/name`, { name: 'Ada Lovelace' });
    await write('email', 'PATCH', `/v1/users/${USER}/email`, { email: 'ada@lovelace.io' });
    await write('prefs', 'PATCH', `/v1/users/${USER}/prefs`, { prefs: { theme: 'dark', nested: { a: [1, 2] } } }, false);
    await write('labels', 'PUT', `/v1/users/${USER}/labels`, { labels: ['vip', 'beta'] });
    const session = await write('session', 'POST', `/v1/users/${USER}/sessions`, {}, false);
    const sessionSecret = JSON.parse(Buffer.from(session.body.secret, 'base64').toString('utf8')).secret as string;
    const token = await write('token', 'POST', `/v1/users/${USER}/tokens`, { length: 64 }, false);
    secrets.push(session.body.secret, sessionSecret, token.body.secret, ...[sessionSecret, token.body.secret].map((s) => createHash('sha256').update(s).digest('hex')));
    const password = await write('password', 'PATCH', `/v1/users/${USER}/password`, { password: NEW_PASSWORD });
    secrets.push(password.body.password);
    await write('status', 'PATCH', `/v1/users/${USER}/status`, { status: false });
    deletion = await stack.http('DELETE', `/v1/users/${USER}`);
    deletedAt = formatDate(Date.now());
    history = await events(USER, ['limit(100)']);
  });

  it('every write answering the User model names its revision in an ETag, growing with each write', () => {
    expect(deletion.status).toBe(204);
    expect(writeEtags.map(([name]) => name)).toEqual(['create', 'name', 'email', 'labels', 'password', 'status']);
    const revisions = snapshots.map((s) => s.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(new Set(revisions).size).toBe(revisions.length);
    // Creation is two events (the user and its email's target): the first answer is revision 1.
    expect(revisions[0]).toBe(1);
  });

  it('another create route and GET user carry the ETag too; the prefs routes do not answer a user', async () => {
    const imported = await stack.http('POST', '/v1/users/bcrypt', { userId: 'hist-bcrypt', email: 'b@history.io', password: '$2a$10$Aq9wVTnA5YXkA5y5ko9qCe3HNUDNp6EPlYKUqZ6DfphyUu8u8v1Ce' });
    expect([imported.status, etagOf(imported)]).toEqual([201, 1]);
    const got = await stack.http('GET', '/v1/users/hist-bcrypt');
    expect([got.headers.get('etag'), got.text]).toEqual(['"1"', imported.text]);
    const prefs = await stack.http('GET', '/v1/users/hist-bcrypt/prefs');
    expect([prefs.status, prefs.headers.get('etag')]).toEqual([200, null]);
  });

  it('lists every event of the stream, oldest first, with a true total, for a deleted user too', () => {
    expect(history.status).toBe(200);
    const listed = history.body.events as Array<Record<string, any>>;
    expect(history.body.total).toBe(listed.length);
    expect(listed.map((e) => e.revision)).toEqual(listed.map((_, i) => i));
    expect(listed.map((e) => e.type)).toEqual([
      'UserCreated', 'TargetCreated',
      'UserNameChanged',
      'UserEmailChanged', 'TargetUpdated',
      'UserPrefsReplaced',
      'UserLabelsReplaced',
      'SessionCreated',
      'TokenCreated',
      'UserPasswordChanged',
      'UserStatusChanged',
      'UserDeleted',
    ]);
    expect(new Set(listed.map((e) => e.$id)).size).toBe(listed.length);
    expect(listed.map((e) => e.occurredAt)).toEqual([...listed.map((e) => e.occurredAt)].sort());
    expect(listed[0]).toEqual({
      $id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'UserCreated',
      revision: 0,
      position: expect.any(String),
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/),
      schemaVersion: 1,
      actor: { type: 'apiKey', id: expect.any(String) },
      requestId: expect.any(String),
      ip: expect.any(String),
      userAgent: expect.any(String),
      data: { userId: USER, name: 'Ada', email: 'ada@history.io', phone: null },
    });
    expect(listed[2].data).toEqual({ name: 'Ada Lovelace' });
    expect(listed[5].data).toEqual({ prefs: { theme: 'dark', nested: { a: [1, 2] } } });
    expect(listed[9].data).toEqual({});
    // The revisions of the history are the versions the ETags named.
    for (const s of snapshots) expect([s.write, listed[s.revision].type]).toEqual([s.write, expect.any(String)]);
    expect(snapshots.map((s) => listed[s.revision].type)).toEqual(['TargetCreated', 'UserNameChanged', 'TargetUpdated', 'UserPrefsReplaced', 'UserLabelsReplaced', 'SessionCreated', 'TokenCreated', 'UserPasswordChanged', 'UserStatusChanged']);
  });

  it('holds no password, hash, hash options, secret, secret hash or token anywhere', () => {
    // Long enough that no id or date could hold one by chance.
    expect(secrets.filter((s) => typeof s !== 'string' || s.length < 24)).toEqual([]);
    for (const secret of secrets) expect(history.text).not.toContain(secret);
    const keys = (history.body.events as Array<{ data: Record<string, unknown> }>).flatMap((e) => Object.keys(e.data));
    expect(keys.filter((k) => ['password', 'hash', 'hashOptions', 'secretHash', 'providerAccessToken', 'providerRefreshToken', 'codes', 'secret'].includes(k))).toEqual([]);
  });

  it('pages by limit and offset, and by either cursor (an event id), each with the full total', async () => {
    const all = history.body.events as Array<{ $id: string }>;
    const ids = (res: Response) => (res.body.events as Array<{ $id: string }>).map((e) => e.$id);
    const pages: string[] = [];
    for (let offset = 0; offset < all.length; offset += 5) {
      const page = await events(USER, ['limit(5)', `offset(${offset})`]);
      expect(page.body.total).toBe(all.length);
      pages.push(...ids(page));
    }
    expect(pages).toEqual(all.map((e) => e.$id));
    const after = await events(USER, [`cursorAfter("${all[2].$id}")`, 'limit(3)']);
    expect([after.body.total, ids(after)]).toEqual([all.length, all.slice(3, 6).map((e) => e.$id)]);
    const before = await events(USER, [`cursorBefore("${all[6].$id}")`, 'limit(2)']);
    expect([before.body.total, ids(before)]).toEqual([all.length, all.slice(4, 6).map((e) => e.$id)]);
    const json = await events(USER, [JSON.stringify({ method: 'cursorAfter', values: [all[all.length - 2].$id] })]);
    expect(ids(json)).toEqual([all[all.length - 1].$id]);
    // 25 by default, the total always counted unless `total=false`.
    expect((await events(USER)).body.events).toHaveLength(all.length);
    const uncounted = await stack.http('GET', `/v1/users/${USER}/events?total=false&queries[]=limit(1)`);
    expect([uncounted.body.total, uncounted.body.events.length]).toEqual([0, 1]);
  });

  it('filters by type, orders newest first, and refuses what it cannot do in Appwrite\'s envelope', async () => {
    const renamed = await events(USER, ['equal("type", ["UserNameChanged", "UserEmailChanged"])']);
    expect([renamed.body.total, renamed.body.events.map((e: { type: string }) => e.type)]).toEqual([2, ['UserNameChanged', 'UserEmailChanged']]);
    const newest = await events(USER, ['orderDesc("")', 'limit(1)']);
    expect(newest.body.events.map((e: { type: string }) => e.type)).toEqual(['UserDeleted']);
    const refusals: Array<[string[], number, string]> = [
      [['cursorAfter("no-such-event")'], 400, 'general_cursor_not_found'],
      [['limit(-1)'], 400, 'general_argument_invalid'],
      [['equal("password", ["x"])'], 400, 'general_argument_invalid'],
      [['select(["type"])'], 400, 'general_query_invalid'],
    ];
    for (const [queries, status, type] of refusals) {
      const res = await events(USER, queries);
      expect([queries, res.status, res.body]).toEqual([queries, status, { message: expect.any(String), code: status, type, version: expect.any(String) }]);
    }
    const missing = await events('hist-never-existed');
    expect([missing.status, missing.body.type]).toEqual([404, 'user_not_found']);
  });

  it('answers the user at each revision as GET answered it then, byte for byte, in each response format', async () => {
    for (const s of snapshots) {
      const asOf = await stack.http('GET', `/v1/users/${USER}?revision=${s.revision}`);
      expect([s.write, asOf.status, asOf.headers.get('etag'), asOf.text]).toEqual([s.write, 200, `"${s.revision}"`, s.text]);
      const oldFormat = await stack.http('GET', `/v1/users/${USER}?revision=${s.revision}`, undefined, OLD_FORMAT);
      expect([s.write, oldFormat.text]).toEqual([s.write, s.oldFormatText]);
    }
    // Revision 0 is the user before its email's target: a state of the stream of its own.
    const first = await stack.http('GET', `/v1/users/${USER}?revision=0`);
    expect([first.status, first.headers.get('etag'), first.body.name, first.body.targets]).toEqual([200, '"0"', 'Ada', []]);
  });

  it('answers the user at dates between the writes as GET answered it then', async () => {
    for (const s of snapshots) {
      const asOf = await stack.http('GET', `/v1/users/${USER}?at=${encodeURIComponent(s.between)}`);
      expect([s.write, asOf.status, asOf.headers.get('etag'), asOf.text]).toEqual([s.write, 200, `"${s.revision}"`, s.text]);
    }
    // A `+00:00` offset sent without percent-encoding arrives as a space, and still means UTC.
    const unencoded = await stack.http('GET', `/v1/users/${USER}?at=${snapshots[1].between}`);
    expect([unencoded.status, unencoded.text]).toEqual([200, snapshots[1].text]);
  });

  it('is 404 user_not_found before the creation, after the deletion, and now', async () => {
    const deletedRevision = (history.body.events as Array<{ type: string; revision: number }>).find((e) => e.type === 'UserDeleted')!.revision;
    for (const query of [`at=${encodeURIComponent(beforeCreation)}`, `at=${encodeURIComponent(deletedAt)}`, `revision=${deletedRevision}`, `revision=${deletedRevision + 1}`, '']) {
      const res = await stack.http('GET', `/v1/users/${USER}${query ? `?${query}` : ''}`);
      expect([query, res.status, res.body.type, res.headers.get('etag')]).toEqual([query, 404, 'user_not_found', null]);
    }
    const never = await stack.http('GET', '/v1/users/hist-never-existed?revision=0');
    expect([never.status, never.body.type]).toEqual([404, 'user_not_found']);
  });

  it('refuses a bad at or revision, and both at once, with 400 general_argument_invalid', async () => {
    for (const query of ['at=yesterday', 'at=2024-02-30T00:00:00Z', 'revision=-1', 'revision=x', `revision=1&at=${encodeURIComponent(snapshots[0].between)}`]) {
      const res = await stack.http('GET', `/v1/users/${USER}?${query}`);
      expect([query, res.status, res.body]).toEqual([query, 400, { message: expect.stringMatching(/^Invalid (at|revision): /), code: 400, type: 'general_argument_invalid', version: expect.any(String) }]);
    }
  });

  it('GraphQL lists the same history, and reads the user at a revision', async () => {
    const query = `{ usersListEvents(userId: "${USER}", queries: ["limit(3)"]) { total events { _id type revision actor { type } data } } }`;
    const res = await stack.http('POST', '/v1/graphql', { query });
    const rest = history.body.events.slice(0, 3);
    expect(res.body).toEqual({
      data: { usersListEvents: { total: history.body.total, events: rest.map((e: Record<string, any>) => ({ _id: e.$id, type: e.type, revision: e.revision, actor: { type: e.actor.type }, data: e.data })) } },
    });
    const renamed = snapshots.find((s) => s.write === 'name')!;
    const asOf = await stack.http('POST', '/v1/graphql', { query: `{ usersGet(userId: "${USER}", revision: ${renamed.revision}) { _id name } }` });
    expect(asOf.body).toEqual({ data: { usersGet: { _id: USER, name: 'Ada Lovelace' } } });
  });
});

describe('node-appwrite reads a user as before, the ETag beside it', () => {
  it.each([
    ['node-appwrite 9.0.0', (id: string) => new Users(new Client().setEndpoint(stack.endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY)).get(id)],
    ['node-appwrite 27.1.0', (id: string) => new LatestUsers(new LatestClient().setEndpoint(stack.endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY)).get({ userId: id })],
  ])('%s: users.get', async (_name, get) => {
    const userId = `hist-sdk-${_name.includes('9.0.0') ? 'v9' : 'v27'}`;
    expect((await stack.http('POST', '/v1/users', { userId, name: 'Sdk' })).status).toBe(201);
    const user = (await get(userId)) as unknown as { $id: string; name: string };
    expect([user.$id, user.name]).toEqual([userId, 'Sdk']);
    expect((await stack.http('GET', `/v1/users/${userId}`)).headers.get('etag')).toBe('"0"');
  });
});
