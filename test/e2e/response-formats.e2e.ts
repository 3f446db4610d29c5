import { startTestStack, TestStack } from '../support/test-stack';

/**
 * One server, every SDK generation (users-latest.md §3): each answer in the format the request
 * asks for with X-Appwrite-Response-Format, over real HTTP.
 */
let gw: TestStack;
beforeAll(async () => {
  gw = await startTestStack();
  expect((await gw.http('POST', '/v1/users', { userId: 'fmt', email: 'fmt@formats.io', phone: '+15550004444', password: 'password-123', name: 'Fmt' })).status).toBe(201);
  expect((await gw.http('PUT', '/v1/users/fmt/labels', { labels: ['vip'] })).status).toBe(200);
});
afterAll(() => gw?.close());

const as = (format: string | null): Record<string, string> => (format ? { 'x-appwrite-response-format': format } : {});
const USER_13 = ['$id', '$createdAt', '$updatedAt', 'name', 'password', 'hash', 'hashOptions', 'registration', 'status', 'passwordUpdate', 'email', 'phone', 'emailVerification', 'phoneVerification', 'prefs'];

describe('response formats', () => {
  it('answers 1.3 SDKs (1.0.0) with exactly the 1.3 User, in order', async () => {
    const { body } = await gw.http('GET', '/v1/users/fmt', undefined, as('1.0.0'));
    expect(Object.keys(body)).toEqual(USER_13);
    const list = await gw.http('GET', '/v1/users', undefined, as('1.0.0'));
    expect(list.body.users.map((u: object) => Object.keys(u))).toEqual([USER_13]);
  });

  it('adds labels and accessedAt from 1.4.0, mfa and targets from 1.5.0, impersonator from 1.9.0', async () => {
    const keys = async (format: string | null) => Object.keys((await gw.http('GET', '/v1/users/fmt', undefined, as(format))).body);
    expect(await keys('1.4.0')).toEqual(expect.arrayContaining(['labels', 'accessedAt']));
    expect(await keys('1.4.0')).not.toEqual(expect.arrayContaining(['mfa']));
    expect(await keys('1.4.0')).not.toContain('targets');
    expect(await keys('1.5.0')).toEqual(expect.arrayContaining(['labels', 'mfa', 'targets']));
    expect(await keys('1.8.0')).not.toContain('impersonator');
    expect(await keys('1.9.0')).toEqual(expect.arrayContaining(['impersonator', 'impersonatorUserId']));
    expect(await keys(null)).toEqual(await keys('1.9.6'));
  });

  it('answers the newest format with the user\'s email and phone as its targets', async () => {
    const { body, headers } = await gw.http('GET', '/v1/users/fmt');
    expect(headers.get('x-appwrite-warning')).toBeNull();
    expect(body).toMatchObject({ labels: ['vip'], mfa: false, impersonator: false, impersonatorUserId: null, accessedAt: '' });
    expect(body.targets.map((t: { providerType: string; identifier: string; userId: string }) => [t.providerType, t.identifier, t.userId])).toEqual([
      ['email', 'fmt@formats.io', 'fmt'],
      ['sms', '+15550004444', 'fmt'],
    ]);
  });

  it('gives an SDK built for a newer server the newest shape and a warning', async () => {
    const { body, headers } = await gw.http('GET', '/v1/users/fmt', undefined, as('2.5.0'));
    expect(body).toHaveProperty('impersonator', false);
    expect(headers.get('x-appwrite-warning')).toMatch(/^The current SDK is built for Appwrite 2\.5\.0\. However, the current Appwrite server version is 1\.9\.6\./);
    const missing = await gw.http('GET', '/v1/users/nobody', undefined, as('2.5.0'));
    expect([missing.status, missing.headers.get('x-appwrite-warning') !== null]).toEqual([404, true]);
  });

  it('removes the email with "" from 1.5.0 on, and refuses it as 1.3 did before', async () => {
    const old = await gw.http('PATCH', '/v1/users/fmt/email', { email: '' }, as('1.4.0'));
    expect([old.status, old.body.type, old.body.message]).toEqual([400, 'general_argument_invalid', 'Invalid email: Value must be a valid email address']);
    const removed = await gw.http('PATCH', '/v1/users/fmt/email', { email: '' }, as('1.5.0'));
    expect([removed.status, removed.body.email, removed.body.targets.map((t: { providerType: string }) => t.providerType)]).toEqual([200, '', ['sms']]);
    const phone = await gw.http('PATCH', '/v1/users/fmt/phone', { number: '' });
    expect([phone.status, phone.body.phone, phone.body.targets]).toEqual([200, '', []]);
    const back = await gw.http('PATCH', '/v1/users/fmt/email', { email: 'fmt@formats.io' });
    expect(back.body.targets.map((t: { identifier: string }) => t.identifier)).toEqual(['fmt@formats.io']);
  });

  it('answers a blocked user\'s login 401 before 1.9.0 and 403 since', async () => {
    await gw.http('PATCH', '/v1/users/fmt/status', { status: false });
    const login = (format: string | null) => gw.http('POST', '/v1/account/sessions/email', { email: 'fmt@formats.io', password: 'password-123' }, { 'x-appwrite-key': '', ...as(format) });
    const old = await login('1.8.0');
    expect([old.status, old.body.type, old.body.code]).toEqual([401, 'user_blocked', 401]);
    const current = await login(null);
    expect([current.status, current.body.type, current.body.message]).toEqual([403, 'user_blocked', 'The current user has been blocked.']);
    await gw.http('PATCH', '/v1/users/fmt/status', { status: true });
  });

  it('carries a Content-Type on every 204', async () => {
    await gw.http('POST', '/v1/users', { userId: 'fmt-gone' });
    const deleted = await gw.http('DELETE', '/v1/users/fmt-gone');
    expect([deleted.status, deleted.headers.get('content-type')]).toEqual([204, 'text/html']);
  });
});
