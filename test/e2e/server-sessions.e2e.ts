import { AppwriteException, Client, Users } from 'node-appwrite-latest';
import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';

/**
 * The server-side producers of sessions, tokens and JWTs (Appwrite 1.5 / 1.6,
 * sessions-and-teams.md §2): raw HTTP, then the newest node-appwrite with object parameters.
 */
let gw: TestStack;
let users: Users;
beforeAll(async () => {
  gw = await startTestStack();
  users = new Users(new Client().setEndpoint(gw.endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY));
});
afterAll(() => gw.close());

const CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36';
const seconds = (date: string) => Date.parse(date) / 1000;
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const nowSeconds = () => Math.floor(Date.now() / 1000);
const invalid = (message: string) => ({ message, code: 400, type: 'general_argument_invalid', version: '1.3.8' });

async function createUser(userId: string): Promise<void> {
  const res = await gw.http('POST', '/v1/users', { userId, email: `${userId}@server-sessions.io`, password: 'password-123', name: userId });
  expect([userId, res.status]).toEqual([userId, 201]);
}

describe('raw HTTP: POST /v1/users/:userId/sessions', () => {
  it('makes a `server` session with its secret, listed among the user’s sessions', async () => {
    await createUser('sess-raw');
    const res = await gw.http('POST', '/v1/users/sess-raw/sessions', {}, { 'user-agent': CHROME });
    expect(res.status).toBe(201);
    const s = res.body;
    expect(Object.keys(s)).toEqual([
      '$id', '$createdAt', '$updatedAt', 'userId', 'expire', 'provider', 'providerUid', 'providerAccessToken', 'providerAccessTokenExpiry',
      'providerRefreshToken', 'ip', 'osCode', 'osName', 'osVersion', 'clientType', 'clientCode', 'clientName', 'clientVersion', 'clientEngine',
      'clientEngineVersion', 'deviceName', 'deviceBrand', 'deviceModel', 'countryCode', 'countryName', 'current', 'factors', 'secret', 'mfaUpdatedAt',
    ]);
    expect(s).toMatchObject({ userId: 'sess-raw', provider: 'server', providerUid: '', providerAccessToken: '', providerAccessTokenExpiry: '', providerRefreshToken: '' });
    expect(s).toMatchObject({ current: false, factors: ['server'], mfaUpdatedAt: '', clientName: 'Chrome', osName: 'Mac' });
    // Since 1.7 the secret is shown as clients hold a session: base64(JSON {id, secret}); 1.5–1.6 formats get the raw secret.
    expect(JSON.parse(Buffer.from(s.secret, 'base64').toString('utf8'))).toEqual({ id: 'sess-raw', secret: expect.stringMatching(/^[0-9a-f]{256}$/) });
    const raw = await gw.http('POST', '/v1/users/sess-raw/sessions', {}, { 'x-appwrite-response-format': '1.6.0' });
    expect(raw.body.secret).toMatch(/^[0-9a-f]{256}$/);
    await gw.http('DELETE', `/v1/users/sess-raw/sessions/${raw.body.$id}`);
    expect(s.$updatedAt).toBe(s.$createdAt);
    expect(seconds(s.expire) - seconds(s.$createdAt)).toBe(31_536_000);
    expect(s.ip).not.toBe('');

    const listed = await gw.http('GET', '/v1/users/sess-raw/sessions');
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(1);
    expect(listed.body.sessions[0]).toMatchObject({ $id: s.$id, provider: 'server', ip: s.ip, expire: s.expire, clientName: 'Chrome', current: false });
    expect(listed.text).not.toContain(s.secret);

    const second = await gw.http('POST', '/v1/users/sess-raw/sessions');
    expect(second.status).toBe(201);
    expect(second.body.$id).not.toBe(s.$id);
    expect(second.body.secret).not.toBe(s.secret);
    expect((await gw.http('GET', '/v1/users/sess-raw/sessions')).body.sessions.map((x: { $id: string }) => x.$id)).toEqual([s.$id, second.body.$id]);
  });
});

describe('raw HTTP: POST /v1/users/:userId/tokens', () => {
  it('makes a 6-char token expiring in 15 minutes by default', async () => {
    await createUser('tok-raw');
    const res = await gw.http('POST', '/v1/users/tok-raw/tokens', {});
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['$id', '$createdAt', 'userId', 'secret', 'expire', 'phrase']);
    expect(res.body).toMatchObject({ userId: 'tok-raw', phrase: '' });
    expect(res.body.secret).toMatch(/^[0-9a-f]{6}$/);
    expect(seconds(res.body.expire) - seconds(res.body.$createdAt)).toBe(900);
  });

  it('takes length 4–128 and expire 60–31,536,000 (integers or integer strings)', async () => {
    for (const [length, expire] of [[4, 60], [128, 31_536_000], ['9', '120']] as const) {
      const res = await gw.http('POST', '/v1/users/tok-raw/tokens', { length, expire });
      expect([length, res.status]).toEqual([length, 201]);
      expect(res.body.secret).toMatch(new RegExp(`^[0-9a-f]{${Number(length)}}$`));
      expect(seconds(res.body.expire) - seconds(res.body.$createdAt)).toBe(Number(expire));
    }
  });

  it('refuses lengths and expiries out of range with Appwrite’s messages, length first', async () => {
    const lengthMessage = 'Invalid length: Value must be a valid range between 4 and 128';
    const expireMessage = 'Invalid expire: Value must be a valid range between 60 and 31,536,000';
    const cases: [Record<string, unknown>, string][] = [
      [{ length: 3 }, lengthMessage],
      [{ length: 129 }, lengthMessage],
      [{ length: 6.5 }, lengthMessage],
      [{ length: 'six' }, lengthMessage],
      [{ expire: 59 }, expireMessage],
      [{ expire: 31_536_001 }, expireMessage],
      [{ length: 3, expire: 59 }, lengthMessage],
    ];
    for (const [body, message] of cases) {
      const res = await gw.http('POST', '/v1/users/tok-raw/tokens', body);
      expect([body, res.status, res.body]).toEqual([body, 400, invalid(message)]);
    }
  });
});

describe('raw HTTP: POST /v1/users/:userId/jwts', () => {
  let sessions: string[];
  beforeAll(async () => {
    await createUser('jwt-raw');
    sessions = [];
    for (let i = 0; i < 2; i++) sessions.push((await gw.http('POST', '/v1/users/jwt-raw/sessions')).body.$id);
  });

  it('names no session by default and lasts 900 s', async () => {
    const before = nowSeconds();
    const res = await gw.http('POST', '/v1/users/jwt-raw/jwts', {});
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['jwt']);
    const claims = claimsOf(res.body.jwt);
    expect(Object.keys(claims)).toEqual(['userId', 'sessionId', 'exp']);
    expect(claims).toMatchObject({ userId: 'jwt-raw', sessionId: '' });
    expect(claims.exp).toBeGreaterThanOrEqual(before + 900);
    expect(claims.exp).toBeLessThanOrEqual(nowSeconds() + 900);
    expect(JSON.parse(Buffer.from(res.body.jwt.split('.')[0], 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'HS256' });
  });

  it('names the newest session for `recent`, or the one asked for; duration 0–3600', async () => {
    const recent = await gw.http('POST', '/v1/users/jwt-raw/jwts', { sessionId: 'recent', duration: 3600 });
    expect(recent.status).toBe(201);
    expect(claimsOf(recent.body.jwt)).toMatchObject({ userId: 'jwt-raw', sessionId: sessions[1] });
    expect(claimsOf(recent.body.jwt).exp).toBeGreaterThanOrEqual(nowSeconds() + 3599);
    const first = await gw.http('POST', '/v1/users/jwt-raw/jwts', { sessionId: sessions[0], duration: 0 });
    expect(first.status).toBe(201);
    expect(claimsOf(first.body.jwt).sessionId).toBe(sessions[0]);
  });

  it('refuses an unknown or deleted session, and durations out of range', async () => {
    const unknown = await gw.http('POST', '/v1/users/jwt-raw/jwts', { sessionId: 'no-such-session' });
    expect([unknown.status, unknown.body.type]).toEqual([404, 'user_session_not_found']);
    expect((await gw.http('DELETE', `/v1/users/jwt-raw/sessions/${sessions[0]}`)).status).toBe(204);
    const deleted = await gw.http('POST', '/v1/users/jwt-raw/jwts', { sessionId: sessions[0] });
    expect([deleted.status, deleted.body.type]).toEqual([404, 'user_session_not_found']);
    for (const duration of [3601, -1]) {
      const res = await gw.http('POST', '/v1/users/jwt-raw/jwts', { duration });
      expect([duration, res.status, res.body]).toEqual([duration, 400, invalid('Invalid duration: Value must be a valid range between 0 and 3,600')]);
    }
    const badId = await gw.http('POST', '/v1/users/jwt-raw/jwts', { sessionId: '_bad' });
    expect([badId.status, badId.body.message]).toEqual([400, expect.stringMatching(/^Invalid sessionId: UID must contain at most 36 chars/)]);
  });
});

describe('raw HTTP: unknown and deleted users', () => {
  it('answers 404 user_not_found for an unknown user on all three routes', async () => {
    for (const path of ['sessions', 'tokens', 'jwts']) {
      const res = await gw.http('POST', `/v1/users/nobody-here/${path}`, {});
      expect([path, res.status, res.body]).toEqual([path, 404, { message: 'User with the requested ID could not be found.', code: 404, type: 'user_not_found', version: '1.3.8' }]);
    }
  });

  it('deleting a user takes its sessions and tokens with it', async () => {
    await createUser('del-raw');
    const session = (await gw.http('POST', '/v1/users/del-raw/sessions')).body;
    expect((await gw.http('POST', '/v1/users/del-raw/tokens', { length: 32 })).status).toBe(201);
    // The server-made session authenticates its user until the user is deleted.
    const asUser = { 'x-appwrite-key': '', 'x-appwrite-session': session.secret };
    expect((await gw.http('GET', '/v1/account', undefined, asUser)).status).toBe(200);
    expect((await gw.http('DELETE', '/v1/users/del-raw')).status).toBe(204);
    expect((await gw.http('GET', '/v1/account', undefined, asUser)).status).toBe(401);

    const listed = await gw.http('GET', '/v1/users/del-raw/sessions');
    expect([listed.status, listed.body.type]).toEqual([404, 'user_not_found']);
    for (const path of ['sessions', 'tokens', 'jwts']) expect((await gw.http('POST', `/v1/users/del-raw/${path}`, {})).status).toBe(404);

    // A user made again with the same id inherits nothing.
    await createUser('del-raw');
    expect((await gw.http('GET', '/v1/users/del-raw/sessions')).body).toEqual({ total: 0, sessions: [] });
    const jwt = await gw.http('POST', '/v1/users/del-raw/jwts', { sessionId: session.$id });
    expect([jwt.status, jwt.body.type]).toEqual([404, 'user_session_not_found']);
    expect(claimsOf((await gw.http('POST', '/v1/users/del-raw/jwts', { sessionId: 'recent' })).body.jwt).sessionId).toBe('');
  });
});

describe('newest node-appwrite: createSession, createToken, createJWT', () => {
  const expectError = async (call: Promise<unknown>, code: number, type: string, message?: string) => {
    const err = await call.then(
      () => new Error('expected an error'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppwriteException);
    const e = err as AppwriteException;
    expect([e.code, e.type, ...(message ? [e.message] : [])]).toEqual([code, type, ...(message ? [message] : [])]);
  };

  it('creates a server session, lists it, and signs JWTs for it', async () => {
    await users.create({ userId: 'sdk-sess', email: 'sdk-sess@server-sessions.io', password: 'password-123', name: 'Sdk' });
    const session = await users.createSession({ userId: 'sdk-sess' });
    expect(session).toMatchObject({ userId: 'sdk-sess', provider: 'server', current: false, factors: ['server'], mfaUpdatedAt: '' });
    expect(JSON.parse(Buffer.from(session.secret, 'base64').toString('utf8'))).toMatchObject({ id: 'sdk-sess' });
    const listed = await users.listSessions({ userId: 'sdk-sess' });
    expect(listed.sessions.map((s) => [s.$id, s.provider])).toEqual([[session.$id, 'server']]);

    const { jwt } = await users.createJWT({ userId: 'sdk-sess', sessionId: 'recent', duration: 60 });
    const claims = claimsOf(jwt);
    expect(claims).toMatchObject({ userId: 'sdk-sess', sessionId: session.$id });
    expect(claims.exp - nowSeconds()).toBeGreaterThan(50);
    expect(claims.exp - nowSeconds()).toBeLessThanOrEqual(60);
    expect(claimsOf((await users.createJWT({ userId: 'sdk-sess' })).jwt)).toMatchObject({ userId: 'sdk-sess', sessionId: '' });
    expect(claimsOf((await users.createJWT({ userId: 'sdk-sess', sessionId: session.$id })).jwt).sessionId).toBe(session.$id);
  });

  it('creates tokens of the asked length and expiry', async () => {
    await users.create({ userId: 'sdk-tok', email: 'sdk-tok@server-sessions.io', password: 'password-123' });
    const token = await users.createToken({ userId: 'sdk-tok', length: 10, expire: 120 });
    expect(token).toMatchObject({ userId: 'sdk-tok', phrase: '' });
    expect(token.secret).toMatch(/^[0-9a-f]{10}$/);
    expect(seconds(token.expire) - seconds(token.$createdAt)).toBe(120);
    const byDefault = await users.createToken({ userId: 'sdk-tok' });
    expect(byDefault.secret).toMatch(/^[0-9a-f]{6}$/);
    expect(byDefault.$id).not.toBe(token.$id);
  });

  it('reports validation errors and unknown users as Appwrite does', async () => {
    await expectError(users.createToken({ userId: 'sdk-tok', length: 3 }), 400, 'general_argument_invalid', 'Invalid length: Value must be a valid range between 4 and 128');
    await expectError(users.createToken({ userId: 'sdk-tok', expire: 59 }), 400, 'general_argument_invalid', 'Invalid expire: Value must be a valid range between 60 and 31,536,000');
    await expectError(users.createJWT({ userId: 'sdk-sess', duration: 3601 }), 400, 'general_argument_invalid', 'Invalid duration: Value must be a valid range between 0 and 3,600');
    await expectError(users.createJWT({ userId: 'sdk-sess', sessionId: 'missing' }), 404, 'user_session_not_found');
    await expectError(users.createSession({ userId: 'sdk-nobody' }), 404, 'user_not_found');
    await expectError(users.createToken({ userId: 'sdk-nobody' }), 404, 'user_not_found');
    await expectError(users.createJWT({ userId: 'sdk-nobody' }), 404, 'user_not_found');
  });

  it('forgets sessions and tokens with the deleted user', async () => {
    await users.create({ userId: 'sdk-del', email: 'sdk-del@server-sessions.io', password: 'password-123' });
    await users.createSession({ userId: 'sdk-del' });
    await users.createToken({ userId: 'sdk-del' });
    await users.delete({ userId: 'sdk-del' });
    await expectError(users.listSessions({ userId: 'sdk-del' }), 404, 'user_not_found');
    await expectError(users.createJWT({ userId: 'sdk-del', sessionId: 'recent' }), 404, 'user_not_found');
  });
});
