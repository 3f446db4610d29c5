import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashSync } from 'bcryptjs';
import { Account, Client, Users } from 'node-appwrite';
import { Account as LatestAccount, Client as LatestClient } from 'node-appwrite-latest';
import { signJwt } from '@lib/http';
import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';
import type { Response } from '../support/raw-http';

/*
 * The Account API's email/password sessions (sessions-and-teams.md §1): login, the cookies, the
 * session authenticating later requests, logout, blocked users, the abuse limit, the re-hash of
 * legacy hashes; over raw HTTP and with node-appwrite 9.0.0 and the newest node-appwrite.
 */

const CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36';
/** No key: the caller is a guest (or the user of its session). 8.8.8.8 through a trusted (loopback) proxy. */
const BROWSER = { 'x-appwrite-key': '', 'x-forwarded-for': '8.8.8.8', 'user-agent': CHROME };
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;
/** The 1.3 models (format 1.0.0, node-appwrite 9). */
const SESSION_KEYS = ['$id', '$createdAt', 'userId', 'expire', 'provider', 'providerUid', 'providerAccessToken', 'providerAccessTokenExpiry', 'providerRefreshToken', 'ip', 'osCode', 'osName', 'osVersion', 'clientType', 'clientCode', 'clientName', 'clientVersion', 'clientEngine', 'clientEngineVersion', 'deviceName', 'deviceBrand', 'deviceModel', 'countryCode', 'countryName', 'current'];
const ACCOUNT_KEYS = ['$id', '$createdAt', '$updatedAt', 'name', 'registration', 'status', 'passwordUpdate', 'email', 'phone', 'emailVerification', 'phoneVerification', 'prefs'];
/** The newest models (no format header). */
const NEWEST_SESSION_KEYS = ['$id', '$createdAt', '$updatedAt', ...SESSION_KEYS.slice(2), 'factors', 'secret', 'mfaUpdatedAt'];
const NEWEST_ACCOUNT_KEYS = [
  '$id', '$createdAt', '$updatedAt', 'name', 'registration', 'status', 'labels', 'passwordUpdate', 'email', 'phone', 'emailVerification',
  'emailCanonical', 'emailIsFree', 'emailIsDisposable', 'emailIsCorporate', 'emailIsCanonical', 'phoneVerification', 'mfa', 'prefs', 'targets', 'accessedAt', 'impersonator', 'impersonatorUserId',
];
const COOKIE = `a_session_${TEST_PROJECT}`;

let gw: TestStack;
let seq = 0;

beforeAll(async () => {
  gw = await startTestStack();
});
afterAll(() => gw.close());

/** A new user with a plain password (each test its own email: the abuse limit counts per email). */
async function newUser(password = 'correct horse battery'): Promise<{ id: string; email: string; password: string }> {
  const email = `Login.${++seq}.${Date.now()}@Example.com`;
  const res = await gw.http('POST', '/v1/users', { userId: 'unique()', email, password, name: `User ${seq}` });
  expect(res.status).toBe(201);
  return { id: res.body.$id, email, password };
}

const login = (email: string, password: string, headers: Record<string, string> = {}, path = '/v1/account/sessions/email') =>
  gw.http('POST', path, { email, password }, { ...BROWSER, ...headers });
const asSession = (value: string) => ({ ...BROWSER, 'x-appwrite-session': value });

/** The value of the `a_session_<project>` cookie an answer sets. */
function cookieValue(res: Response, name = COOKIE): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!cookie) throw new Error(`no ${name} cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
  return decodeURIComponent(cookie.slice(name.length + 1, cookie.indexOf(';')));
}

const jwtSecret = () => Buffer.from(readFileSync(join(gw.dataDir, 'jwt-secret'), 'utf8').trim(), 'hex');
const jwtOf = (userId: string, sessionId: string, key = jwtSecret()) => signJwt({ userId, sessionId, exp: Math.floor(Date.now() / 1000) + 600 }, key);

describe('POST /v1/account/sessions/email (raw HTTP)', () => {
  it('logs a user in: 201 Session (email provider, current, a year), the two cookies and X-Fallback-Cookies', async () => {
    const user = await newUser();
    const before = Date.now();
    const res = await login(user.email, user.password);
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(NEWEST_SESSION_KEYS);
    expect(res.body.secret).toBe('');
    expect(res.body).toMatchObject({ userId: user.id, provider: 'email', providerUid: user.email.toLowerCase(), providerAccessToken: '', providerAccessTokenExpiry: '', providerRefreshToken: '', current: true, ip: '8.8.8.8' });
    expect(res.body).toMatchObject({ osName: 'Mac', clientType: 'browser', clientName: 'Chrome', countryCode: 'us', countryName: 'United States' });
    expect(res.body.$createdAt).toMatch(DATE);
    const year = Date.parse(res.body.expire) - Date.parse(res.body.$createdAt);
    expect(year).toBe(31_536_000_000);
    expect(Date.parse(res.body.$createdAt)).toBeGreaterThanOrEqual(before - 1000);

    const [legacy, main] = res.headers.getSetCookie();
    expect(legacy).toMatch(new RegExp(`^${COOKIE}_legacy=[^;]+; Expires=[^;]+ GMT; Path=/; HttpOnly$`));
    expect(main).toMatch(new RegExp(`^${COOKIE}=[^;]+; Expires=[^;]+ GMT; Path=/; HttpOnly; SameSite=None$`));
    expect(Date.parse(main.split('; ')[1].slice('Expires='.length))).toBe(Math.floor(Date.parse(res.body.expire) / 1000) * 1000);
    const value = cookieValue(res);
    expect(cookieValue(res, `${COOKIE}_legacy`)).toBe(value);
    const decoded = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    expect(decoded).toEqual({ id: user.id, secret: expect.stringMatching(/^[0-9a-f]{256}$/) });
    // No Origin on the API's registrable domain (127.0.0.1 has none): the fallback header too.
    expect(JSON.parse(res.headers.get('x-fallback-cookies')!)).toEqual({ [COOKIE]: value });
    expect(res.text).not.toContain(decoded.secret);
    expect(res.text).not.toContain(user.password);
    expect([res.headers.get('x-ratelimit-limit'), res.headers.get('x-ratelimit-remaining')]).toEqual(['10', '9']);
  });

  it('shows the session in List User Sessions with its ip, client and country; the 1.3 alias path works too', async () => {
    const user = await newUser();
    const first = await login(user.email.toUpperCase(), user.password);
    const second = await login(user.email, user.password, {}, '/v1/account/sessions');
    expect([first.status, second.status]).toEqual([201, 201]);
    const list = await gw.http('GET', `/v1/users/${user.id}/sessions`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    expect(list.body.sessions.map((s: { $id: string }) => s.$id)).toEqual([first.body.$id, second.body.$id]);
    expect(list.body.sessions[0]).toEqual({ ...first.body, current: false });
    expect(list.body.sessions[0]).toMatchObject({ ip: '8.8.8.8', osCode: 'MAC', clientCode: 'CH', clientEngine: 'Blink', deviceName: 'desktop', countryCode: 'us', countryName: 'United States' });
  });

  it('refuses a wrong password, an unknown email and a user without password with user_invalid_credentials', async () => {
    const user = await newUser();
    const noPassword = `nopass.${Date.now()}@example.com`;
    expect((await gw.http('POST', '/v1/users', { userId: 'unique()', email: noPassword })).body.password).toBeNull();
    for (const [email, password] of [[user.email, 'wrong horse battery'], [`nobody.${Date.now()}@example.com`, user.password], [noPassword, user.password]]) {
      const res = await login(email, password);
      expect([res.status, res.body]).toEqual([401, { message: 'Invalid credentials. Please check the email and password.', code: 401, type: 'user_invalid_credentials', version: '1.3.8' }]);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('validates email, then password, as Appwrite does', async () => {
    expect((await gw.http('POST', '/v1/account/sessions/email', { password: 'x' }, BROWSER)).body.message).toBe('Param "email" is not optional.');
    expect((await login('not-an-email', 'whatever12')).body.message).toBe('Invalid email: Value must be a valid email address');
    expect((await login('short@example.com', 'short')).body).toMatchObject({ code: 400, type: 'general_argument_invalid', message: 'Invalid password: Password must be at least 8 characters' });
    // A long password, every character JSON-escaped, is still read: the route takes what Create User takes.
    const escaped = JSON.stringify({ email: 'long@example.com', password: 'é'.repeat(500) }).replace(/é/g, '\\u00e9');
    expect((await gw.http('POST', '/v1/account/sessions/email', escaped, BROWSER)).body.type).toBe('user_invalid_credentials');
  });

  it('refuses the 11th attempt for an email within the window with 429', async () => {
    const user = await newUser();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login(user.email, i === 9 ? user.password : 'wrong horse battery')).status);
    expect(statuses).toEqual([...Array(9).fill(401), 201]);
    const eleventh = await login(user.email, user.password);
    expect([eleventh.status, eleventh.body.type]).toEqual([429, 'general_rate_limit_exceeded']);
    expect(eleventh.body.message).toBe('Rate limit for the current endpoint has been exceeded. Please try again after some time.');
    expect(eleventh.headers.get('x-ratelimit-remaining')).toBe('0');
    // Another email is not limited by this one.
    const other = await newUser();
    expect((await login(other.email, other.password)).status).toBe(201);
  });

  it('refuses a blocked user with user_blocked, and its existing sessions stop working', async () => {
    const user = await newUser();
    const value = cookieValue(await login(user.email, user.password));
    expect((await gw.http('PATCH', `/v1/users/${user.id}/status`, { status: false })).status).toBe(200);
    const res = await login(user.email, user.password);
    // 403 since Appwrite 1.9.0; SDKs asking for an older format get 1.3's 401.
    expect([res.status, res.body.type]).toEqual([403, 'user_blocked']);
    expect((await gw.http('POST', '/v1/account/sessions/email', { email: user.email, password: user.password }, { ...BROWSER, 'x-appwrite-response-format': '1.0.0' })).status).toBe(401);
    expect((await login(user.email, 'wrong horse battery')).body.type).toBe('user_invalid_credentials');
    expect((await gw.http('GET', '/v1/account', undefined, asSession(value))).body.type).toBe('user_blocked');
    await gw.http('PATCH', `/v1/users/${user.id}/status`, { status: true });
    expect((await gw.http('GET', '/v1/account', undefined, asSession(value))).status).toBe(200);
  });

  it('re-hashes a bcrypt-imported user to Argon2id on login: the old password still works, passwordUpdate unchanged', async () => {
    const email = `bcrypt.${Date.now()}@example.com`;
    const created = await gw.http('POST', '/v1/users/bcrypt', { userId: 'unique()', email, password: hashSync('old bcrypt password', 8) });
    expect(created.body.hash).toBe('bcrypt');
    // Logins at once: one re-hashes, the others still stand (the same password, only stored anew).
    expect((await Promise.all([1, 2, 3].map(() => login(email, 'old bcrypt password')))).map((r) => r.status)).toEqual([201, 201, 201]);
    const after = (await gw.http('GET', `/v1/users/${created.body.$id}`)).body;
    expect(after.password).toMatch(/^\$argon2id\$v=19\$m=65536,t=4,p=3\$/);
    expect(after).toMatchObject({ hash: 'argon2', hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 }, passwordUpdate: created.body.passwordUpdate });
    expect((await login(email, 'old bcrypt password')).status).toBe(201);
    expect((await gw.http('GET', `/v1/users/${created.body.$id}`)).body.password).toBe(after.password);
    expect((await login(email, 'wrong bcrypt password')).status).toBe(401);
  });
});

describe('sessions authenticate requests (raw HTTP)', () => {
  it('GET /v1/account: the Account model with the session header or cookie; 401 without', async () => {
    const user = await newUser();
    const res = await login(user.email, user.password);
    const value = cookieValue(res);
    const byHeader = await gw.http('GET', '/v1/account', undefined, asSession(value));
    expect(byHeader.status).toBe(200);
    expect(Object.keys(byHeader.body)).toEqual(NEWEST_ACCOUNT_KEYS);
    expect(Object.keys((await gw.http('GET', '/v1/account', undefined, { ...asSession(value), 'x-appwrite-response-format': '1.0.0' })).body)).toEqual(ACCOUNT_KEYS);
    expect(byHeader.body).toMatchObject({ $id: user.id, email: user.email.toLowerCase(), name: expect.stringMatching(/^User /), status: true, prefs: {} });
    const byCookie = await gw.http('GET', '/v1/account', undefined, { ...BROWSER, cookie: `other=1; ${COOKIE}=${encodeURIComponent(value)}` });
    expect(byCookie.body).toEqual(byHeader.body);
    const byLegacy = await gw.http('GET', '/v1/account', undefined, { ...BROWSER, cookie: `${COOKIE}_legacy=${encodeURIComponent(value)}` });
    expect(byLegacy.status).toBe(200);
    // Browsers that drop third-party cookies send back what X-Fallback-Cookies gave them.
    const byFallback = await gw.http('GET', '/v1/account', undefined, { ...BROWSER, 'x-fallback-cookies': res.headers.get('x-fallback-cookies')! });
    expect(byFallback.body).toEqual(byHeader.body);

    const guest = await gw.http('GET', '/v1/account', undefined, BROWSER);
    expect([guest.status, guest.body.type, guest.body.message]).toEqual([401, 'general_unauthorized_scope', 'User (role: guests) missing scope (account)']);
    const wrongSecret = Buffer.from(JSON.stringify({ id: user.id, secret: 'f'.repeat(256) })).toString('base64');
    expect((await gw.http('GET', '/v1/account', undefined, asSession(wrongSecret))).body.message).toBe('User (role: guests) missing scope (account)');
    const key = await gw.http('GET', '/v1/account');
    expect([key.status, key.body.message]).toEqual([401, `app.${TEST_PROJECT}@service.127.0.0.1 (role: applications) missing scope (account)`]);
    // A user's session does not open the Users API.
    expect((await gw.http('GET', '/v1/users', undefined, asSession(value))).body.message).toBe(`${user.email.toLowerCase()} (role: users) missing scope (users.read)`);
  });

  it('DELETE /v1/account/sessions/current: 204, cookies cleared, a SessionDeleted; the session no longer authenticates', async () => {
    const user = await newUser();
    const keep = cookieValue(await login(user.email, user.password));
    const res = await login(user.email, user.password);
    const value = cookieValue(res);
    const del = await gw.http('DELETE', '/v1/account/sessions/current', undefined, asSession(value));
    expect(del.status).toBe(204);
    expect(del.headers.getSetCookie()).toEqual([expect.stringMatching(new RegExp(`^${COOKIE}_legacy=; Expires=`)), expect.stringMatching(new RegExp(`^${COOKIE}=; Expires=.*SameSite=None$`))]);
    expect(del.headers.get('x-fallback-cookies')).toBe('[]');
    expect((await gw.http('GET', '/v1/account', undefined, asSession(value))).status).toBe(401);
    expect((await gw.http('DELETE', '/v1/account/sessions/current', undefined, asSession(value))).status).toBe(401);
    const sessions = (await gw.http('GET', `/v1/users/${user.id}/sessions`)).body.sessions.map((s: { $id: string }) => s.$id);
    expect(sessions).toEqual([expect.any(String)]);
    expect(sessions).not.toContain(res.body.$id);
    // The other session of the user is untouched; another user's session id is not found.
    expect((await gw.http('GET', '/v1/account', undefined, asSession(keep))).status).toBe(200);
    expect((await gw.http('DELETE', `/v1/account/sessions/${res.body.$id}`, undefined, asSession(keep))).body.type).toBe('user_session_not_found');
  });

  it('X-Appwrite-JWT authenticates as the user of a live session; a bad or orphaned JWT is user_jwt_invalid', async () => {
    const user = await newUser();
    const res = await login(user.email, user.password);
    const jwt = jwtOf(user.id, res.body.$id);
    const account = await gw.http('GET', '/v1/account', undefined, { ...BROWSER, 'x-appwrite-jwt': jwt });
    expect([account.status, account.body.$id]).toEqual([200, user.id]);
    // A JWT has no secret: `current` is no session for it.
    expect((await gw.http('DELETE', '/v1/account/sessions/current', undefined, { ...BROWSER, 'x-appwrite-jwt': jwt })).body.type).toBe('user_session_not_found');
    const forged = jwtOf(user.id, res.body.$id, Buffer.alloc(32, 1));
    expect((await gw.http('GET', '/v1/account', undefined, { ...BROWSER, 'x-appwrite-jwt': forged })).body).toMatchObject({ code: 401, type: 'user_jwt_invalid' });
    await gw.http('DELETE', `/v1/users/${user.id}/sessions/${res.body.$id}`);
    expect((await gw.http('GET', '/v1/account', undefined, { ...BROWSER, 'x-appwrite-jwt': jwt })).body.type).toBe('user_jwt_invalid');
  });
});

describe('with node-appwrite 9.0.0', () => {
  it('Account.get and Account.deleteSession("current") with the session of a login', async () => {
    const user = await newUser();
    const value = cookieValue(await login(user.email, user.password));
    const client = new Client().setEndpoint(gw.endpoint).setProject(TEST_PROJECT);
    // node-appwrite 9 predates setSession; its (untyped) addHeader sends the session like the newer SDKs do.
    (client as unknown as { addHeader(name: string, value: string): void }).addHeader('X-Appwrite-Session', value);
    const account = new Account(client);
    const me: any = await account.get();
    expect(Object.keys(me)).toEqual(ACCOUNT_KEYS);
    expect(me.$id).toBe(user.id);
    const sessions = await new Users(new Client().setEndpoint(gw.endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY)).listSessions(user.id);
    expect(sessions.sessions[0]).toMatchObject({ provider: 'email', ip: '8.8.8.8', current: false });
    await account.deleteSession('current');
    await expect(account.get()).rejects.toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
  });
});

describe('with the newest node-appwrite', () => {
  it('createEmailPasswordSession, then Account.get and deleteSession with setSession', async () => {
    const user = await newUser();
    const client = new LatestClient().setEndpoint(gw.endpoint).setProject(TEST_PROJECT);
    const session = await new LatestAccount(client).createEmailPasswordSession({ email: user.email, password: user.password });
    expect(session).toMatchObject({ userId: user.id, provider: 'email', current: true });
    await expect(new LatestAccount(client).createEmailPasswordSession({ email: user.email, password: 'wrong horse battery' })).rejects.toMatchObject({ code: 401, type: 'user_invalid_credentials' });

    const value = cookieValue(await login(user.email, user.password));
    const account = new LatestAccount(new LatestClient().setEndpoint(gw.endpoint).setProject(TEST_PROJECT).setSession(value));
    expect((await account.get()).$id).toBe(user.id);
    await account.deleteSession({ sessionId: 'current' });
    await expect(account.get()).rejects.toMatchObject({ code: 401 });
  });
});
