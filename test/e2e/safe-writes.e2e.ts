import type { RecordedEvent } from '@lib/event-store';
import { userStreamId } from '@lib/users';
import type { Response } from '../support/raw-http';
import { startTestStack, TEST_PROJECT, TestStack } from '../support/test-stack';

/**
 * Safe concurrent edits (If-Match) and idempotent retries (Idempotency-Key) over raw HTTP, on
 * the embedded and the distributed stack. What survives a restart and a `kill -9` is in
 * safe-writes-crash.e2e.ts (it runs the service as processes).
 */
let gw: TestStack;
beforeAll(async () => {
  gw = await startTestStack();
});
afterAll(() => gw.close());

const streamOf = async (userId: string): Promise<RecordedEvent[]> => (await gw.allEvents()).filter((e) => e.streamId === userStreamId(TEST_PROJECT, userId));
/** The user's version as its ETag states it: the revision of its stream's last event. */
const versionOf = async (userId: string) => `"${(await streamOf(userId)).at(-1)!.revision}"`;
const createdWith = async (name: string) => (await gw.allEvents()).filter((e) => e.type === 'UserCreated' && e.data.name === name);
const newUser = async (userId: string, body: Record<string, unknown> = {}) => expect((await gw.http('POST', '/v1/users', { userId, name: userId, ...body })).status).toBe(201);
const renames = (userId: string, names: string[], version: string) =>
  Promise.all(names.map((name) => gw.http('PATCH', `/v1/users/${userId}/name`, { name }, { 'if-match': version })));

describe('If-Match: safe concurrent edits', () => {
  it('two clients edit the same version: exactly one wins, the other gets 412 user_version_mismatch and changes nothing', async () => {
    await newUser('im-two');
    const version = await versionOf('im-two');
    const [a, b] = await renames('im-two', ['Alice', 'Bob'], version);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    expect(loser.body).toMatchObject({ code: 412, type: 'user_version_mismatch', message: expect.stringContaining('If-Match') });
    expect((await gw.http('GET', '/v1/users/im-two')).body.name).toBe(winner.body.name);
    expect((await streamOf('im-two')).map((e) => e.type)).toEqual(['UserCreated', 'UserNameChanged']);
  });

  it('20 clients edit the same version at once: one change, 19 refusals', async () => {
    await newUser('im-twenty');
    const version = await versionOf('im-twenty');
    const names = Array.from({ length: 20 }, (_, i) => `Writer ${i}`);
    const results = await renames('im-twenty', names, version);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412 && r.body.type === 'user_version_mismatch')).toHaveLength(19);
    const winner = results.find((r) => r.status === 200)!.body.name;
    expect((await gw.http('GET', '/v1/users/im-twenty')).body.name).toBe(winner);
    expect((await streamOf('im-twenty')).filter((e) => e.type === 'UserNameChanged').map((e) => e.data.name)).toEqual([winner]);
  });

  it('the current version passes (strong, weak, in a list, `*`), and each write moves it on', async () => {
    await newUser('im-forms');
    const v0 = await versionOf('im-forms');
    expect((await renames('im-forms', ['One'], v0))[0].status).toBe(200);
    const v1 = await versionOf('im-forms');
    expect(v1).not.toBe(v0);
    expect((await renames('im-forms', ['Two'], `W/${v1}`))[0].status).toBe(200);
    expect((await renames('im-forms', ['Three'], `"99", ${await versionOf('im-forms')}`))[0].status).toBe(200);
    expect((await renames('im-forms', ['Four'], '*'))[0].status).toBe(200);
    expect((await renames('im-forms', ['Five'], v1))[0].status).toBe(412);
    expect((await gw.http('GET', '/v1/users/im-forms')).body.name).toBe('Four');
  });

  it('`*` on a user that does not exist: 412; a malformed If-Match: 400, and nothing is written', async () => {
    const before = (await gw.allEvents()).length;
    const missing = await gw.http('PATCH', '/v1/users/im-nobody/name', { name: 'X' }, { 'if-match': '*' });
    expect([missing.status, missing.body.type]).toEqual([412, 'user_version_mismatch']);
    await newUser('im-malformed');
    const afterCreate = (await gw.allEvents()).length;
    expect(afterCreate).toBeGreaterThan(before);
    for (const header of ['3', '"3', 'W/3']) {
      const bad = await gw.http('PATCH', '/v1/users/im-malformed/name', { name: 'X' }, { 'if-match': header });
      expect([header, bad.status, bad.body.type]).toEqual([header, 400, 'general_argument_invalid']);
    }
    expect((await gw.allEvents()).length).toBe(afterCreate);
  });

  it('a stale email change claims nothing: the address stays free for anyone', async () => {
    await newUser('im-email', { email: 'im-email@example.com' });
    const stale = await versionOf('im-email');
    expect((await renames('im-email', ['Moved on'], stale))[0].status).toBe(200);
    const refused = await gw.http('PATCH', '/v1/users/im-email/email', { email: 'im-contested@example.com' }, { 'if-match': stale });
    expect([refused.status, refused.body.type]).toEqual([412, 'user_version_mismatch']);
    await newUser('im-other', { email: 'im-contested@example.com' });
    expect((await gw.http('GET', '/v1/users/im-email')).body.email).toBe('im-email@example.com');
  });

  it('holds on every write under the user, also on routes that write nothing to its stream (a JWT) and on deletion', async () => {
    await newUser('im-routes');
    const stale = await versionOf('im-routes');
    expect((await renames('im-routes', ['Changed'], stale))[0].status).toBe(200);
    const current = await versionOf('im-routes');
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/v1/users/im-routes/jwts', {}],
      ['PUT', '/v1/users/im-routes/labels', { labels: ['vip'] }],
      ['PATCH', '/v1/users/im-routes/prefs', { prefs: { theme: 'dark' } }],
      ['POST', '/v1/users/im-routes/targets', { targetId: 'im-t1', providerType: 'email', identifier: 'im-t1@example.com' }],
      ['PATCH', '/v1/users/im-routes/mfa', { mfa: true }],
      ['DELETE', '/v1/users/im-routes/sessions', undefined],
      ['DELETE', '/v1/users/im-routes', undefined],
    ];
    for (const [method, path, body] of writes) {
      const res = await gw.http(method, path, body, { 'if-match': stale });
      expect([method, path, res.status, res.body?.type]).toEqual([method, path, 412, 'user_version_mismatch']);
    }
    expect(await versionOf('im-routes')).toBe(current);
    const jwt = await gw.http('POST', '/v1/users/im-routes/jwts', {}, { 'if-match': current });
    expect(jwt.status).toBe(201);
    expect((await gw.http('DELETE', '/v1/users/im-routes', undefined, { 'if-match': current })).status).toBe(204);
  });
});

const withKey = (key: string, extra: Record<string, string> = {}) => ({ 'idempotency-key': key, ...extra });
const isReplay = (r: Response) => r.headers.get('idempotent-replayed') === 'true';

describe('Idempotency-Key: idempotent retries', () => {
  it('the same request again gets the first answer (status, body, headers) with Idempotent-Replayed, and writes nothing', async () => {
    const body = { userId: 'unique()', name: 'Replayed Ada', email: 'replayed-ada@example.com' };
    const first = await gw.http('POST', '/v1/users', body, withKey('key-replay-1'));
    expect(first.status).toBe(201);
    expect(isReplay(first)).toBe(false);
    const eventsAfterFirst = (await gw.allEvents()).length;
    const again = await gw.http('POST', '/v1/users', { email: 'replayed-ada@example.com', name: 'Replayed Ada', userId: 'unique()' }, withKey('key-replay-1'));
    expect(again.status).toBe(201);
    expect(isReplay(again)).toBe(true);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect((await gw.allEvents()).length).toBe(eventsAfterFirst);
    expect(await createdWith('Replayed Ada')).toHaveLength(1);
  });

  it('the same key with another request: 422 idempotency_key_mismatch, and nothing is written', async () => {
    await gw.http('POST', '/v1/users', { userId: 'unique()', name: 'Mismatch One' }, withKey('key-mismatch'));
    const before = (await gw.allEvents()).length;
    const cases: Array<[string, string, unknown, Record<string, string>]> = [
      ['another body', '/v1/users', { userId: 'unique()', name: 'Mismatch Two' }, {}],
      ['another route', '/v1/teams', { teamId: 'unique()', name: 'Mismatch One' }, {}],
      ['another response format', '/v1/users', { userId: 'unique()', name: 'Mismatch One' }, { 'x-appwrite-response-format': '1.4.0' }],
    ];
    for (const [what, path, body, headers] of cases) {
      const res = await gw.http('POST', path, body, withKey('key-mismatch', headers));
      expect([what, res.status, res.body.type]).toEqual([what, 422, 'idempotency_key_mismatch']);
    }
    expect((await gw.allEvents()).length).toBe(before);
  });

  it('another API key of the project cannot replay an answer: 422, never the first caller\'s answer', async () => {
    const other = await gw.createKey({ name: 'idempotency-other', scopes: ['users.write', 'users.read'] });
    const body = { userId: 'idem-session-user', name: 'Session Owner' };
    expect((await gw.http('POST', '/v1/users', body, withKey('key-caller'))).status).toBe(201);
    const stranger = await gw.http('POST', '/v1/users', body, withKey('key-caller', { 'x-appwrite-key': other.secret }));
    expect([stranger.status, stranger.body.type]).toEqual([422, 'idempotency_key_mismatch']);
    // Its own requests with its own keys work as usual.
    const own = await gw.http('POST', '/v1/users', { userId: 'idem-other-user' }, withKey('key-caller-2', { 'x-appwrite-key': other.secret }));
    expect(own.status).toBe(201);
  });

  it('a second request while the first still runs (hashing its password): 409 idempotency_key_in_use; one user', async () => {
    const body = { userId: 'idem-slow', password: 'correct horse battery staple', name: 'Slow Hash' };
    const results = await Promise.all(Array.from({ length: 4 }, () => gw.http('POST', '/v1/users', body, withKey('key-in-use'))));
    const ran = results.filter((r) => r.status === 201 && !isReplay(r));
    expect(ran).toHaveLength(1);
    const inUse = results.filter((r) => r.status === 409);
    expect(inUse.length).toBeGreaterThan(0);
    for (const r of inUse) expect(r.body.type).toBe('idempotency_key_in_use');
    // Any that came after the first had finished got its answer again.
    for (const r of results.filter(isReplay)) expect(r.text).toBe(ran[0].text);
    expect(await createdWith('Slow Hash')).toHaveLength(1);
    const later = await gw.http('POST', '/v1/users', body, withKey('key-in-use'));
    expect([later.status, isReplay(later), later.text]).toEqual([201, true, ran[0].text]);
  }, 60_000);

  it('a domain refusal is an answer too: repeated as it was, even once it would no longer happen', async () => {
    await newUser('idem-taken');
    const refused = await gw.http('POST', '/v1/users', { userId: 'idem-taken' }, withKey('key-refused'));
    expect([refused.status, refused.body.type]).toEqual([409, 'user_already_exists']);
    expect((await gw.http('DELETE', '/v1/users/idem-taken')).status).toBe(204);
    const again = await gw.http('POST', '/v1/users', { userId: 'idem-taken' }, withKey('key-refused'));
    expect([again.status, again.body.type, isReplay(again)]).toEqual([409, 'user_already_exists', true]);
    expect((await gw.http('GET', '/v1/users/idem-taken')).status).toBe(404);
  });

  it('works on every write method, a 204 included, and keeps If-Match in the request it repeats', async () => {
    await newUser('idem-methods');
    const version = await versionOf('idem-methods');
    const rename = () => gw.http('PATCH', '/v1/users/idem-methods/name', { name: 'Once' }, withKey('key-patch', { 'if-match': version }));
    const [first, second] = [await rename(), await rename()];
    expect([first.status, second.status, isReplay(second), second.text]).toEqual([200, 200, true, first.text]);
    const put = () => gw.http('PUT', '/v1/users/idem-methods/labels', { labels: ['a'] }, withKey('key-put'));
    expect([(await put()).status, isReplay(await put())]).toEqual([200, true]);
    const del = () => gw.http('DELETE', '/v1/users/idem-methods', undefined, withKey('key-delete'));
    const deleted = await del();
    const replayed = await del();
    expect([deleted.status, replayed.status, isReplay(replayed), replayed.text]).toEqual([204, 204, true, '']);
    expect((await streamOf('idem-methods')).map((e) => e.type)).toEqual(['UserCreated', 'UserNameChanged', 'UserLabelsReplaced', 'UserDeleted']);
  });

  it('refuses a key that is not 1–255 visible ASCII characters: 400, nothing written', async () => {
    const before = (await gw.allEvents()).length;
    for (const key of ['k'.repeat(256), 'has space', '']) {
      const res = await gw.http('POST', '/v1/users', { userId: 'unique()', name: 'Bad Key' }, withKey(key));
      expect([key.length, res.status, res.body.type]).toEqual([key.length, 400, 'general_argument_invalid']);
    }
    expect((await gw.allEvents()).length).toBe(before);
  });

  it('GraphQL: the key covers the whole document (its fields do not see it), and the retry gets the document\'s answer', async () => {
    const query = 'mutation { a: usersCreate(userId: "unique()", name: "GraphQL A") { _id name } b: usersCreate(userId: "unique()", name: "GraphQL B") { _id name } }';
    const first = await gw.http('POST', '/v1/graphql', { query }, withKey('key-graphql'));
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    expect([first.body.data.a.name, first.body.data.b.name]).toEqual(['GraphQL A', 'GraphQL B']);
    const again = await gw.http('POST', '/v1/graphql', { query }, withKey('key-graphql'));
    expect([again.status, isReplay(again), again.text]).toEqual([200, true, first.text]);
    expect([(await createdWith('GraphQL A')).length, (await createdWith('GraphQL B')).length]).toEqual([1, 1]);
  });

  it('requests without the header are not idempotent: the same create twice makes two users', async () => {
    for (let i = 0; i < 2; i++) expect((await gw.http('POST', '/v1/users', { userId: 'unique()', name: 'No Key' })).status).toBe(201);
    expect(await createdWith('No Key')).toHaveLength(2);
  });
});
