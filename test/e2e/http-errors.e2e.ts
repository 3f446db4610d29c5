import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';
import { ALL_ENDPOINTS } from '../../apps/gateway/src/contexts';

/** Both contexts' endpoints: the gateway serves and documents them together. */

let gw: TestStack;
beforeAll(async () => {
  gw = await startTestStack();
});
afterAll(() => gw.close());

const envelope = (code: number, type: string, message: string) => ({ message, code, type, version: '1.3.8' });

describe('raw HTTP: the Appwrite error envelope on every error path', () => {
  it('answers unknown routes with general_route_not_found', async () => {
    const res = await gw.http('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual(envelope(404, 'general_route_not_found', 'Not Found'));
    expect(Object.keys(res.body)).toEqual(['message', 'code', 'type', 'version']);
    expect(res.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.headers.get('expires')).toBe('0');
  });

  describe('authentication, before any validation', () => {
    it('unknown project', async () => {
      const res = await gw.http('GET', '/v1/users', undefined, { 'x-appwrite-project': 'nope' });
      expect(res.status).toBe(404);
      expect(res.body.type).toBe('project_not_found');
      expect(res.body.message).toBe('Project with the requested ID could not be found. Please check the value of the X-Appwrite-Project header to ensure the correct project ID is being used.');
    });
    it('no key, unknown key or no project: guests missing the route scope', async () => {
      const variants: Array<Record<string, string>> = [{ 'x-appwrite-key': '' }, { 'x-appwrite-key': 'wrong' }, { 'x-appwrite-project': '' }];
      for (const headers of variants) {
        const res = await gw.http('GET', '/v1/users', undefined, headers);
        expect(res.status).toBe(401);
        expect(res.body).toEqual(envelope(401, 'general_unauthorized_scope', 'User (role: guests) missing scope (users.read)'));
      }
      const write = await gw.http('POST', '/v1/users', { userId: '_bad' }, { 'x-appwrite-key': 'wrong' });
      expect(write.body.message).toBe('User (role: guests) missing scope (users.write)');
    });
    it('a key without the scope, an expired key, a revoked key', async () => {
      const readOnly = await gw.createKey({ name: 'ro', scopes: ['users.read'] });
      const expired = await gw.createKey({ name: 'old', scopes: ['users.read'], expire: '2020-01-01T00:00:00.000+00:00' });
      const revoked = await gw.createKey({ name: 'gone', scopes: ['users.read'] });
      await gw.revokeKey(revoked.keyId);
      expect((await gw.http('GET', '/v1/users', undefined, { 'x-appwrite-key': readOnly.secret })).status).toBe(200);
      const denied = await gw.http('POST', '/v1/users', { userId: 'x' }, { 'x-appwrite-key': readOnly.secret, 'x-forwarded-host': 'users.example.com:8443' });
      expect(denied.body).toEqual(envelope(401, 'general_unauthorized_scope', `app.${TEST_PROJECT}@service.users.example.com (role: applications) missing scope (users.write)`));
      const old = await gw.http('GET', '/v1/users', undefined, { 'x-appwrite-key': expired.secret });
      expect(old.body).toEqual(envelope(401, 'project_key_expired', 'The project key has expired. Please generate a new key using the Appwrite console.'));
      expect((await gw.http('GET', '/v1/users', undefined, { 'x-appwrite-key': revoked.secret })).body.type).toBe('general_unauthorized_scope');
    });
    it('takes the project from a `project` parameter over the header', async () => {
      const res = await gw.http('GET', `/v1/users?project=${TEST_PROJECT}`, undefined, { 'x-appwrite-project': 'nope' });
      expect(res.status).toBe(200);
    });
  });

  describe('validation (users-api.md appendix A)', () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/v1/users', {}, 'Param "userId" is not optional.'],
      ['POST', '/v1/users', '{not json', 'Param "userId" is not optional.'],
      ['POST', '/v1/users', { userId: '_bad' }, "Invalid userId: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char"],
      ['POST', '/v1/users', { userId: 'u2', email: 'not-an-email' }, 'Invalid email: Value must be a valid email address'],
      ['POST', '/v1/users', { userId: 'u3', password: 'short' }, 'Invalid password: Password must be at least 8 characters and should not be one of the commonly used password.'],
      ['POST', '/v1/users', { userId: 'u3', name: '' }, 'Invalid name: Value must be a valid string and at least 1 chars and no longer than 128 chars'],
      ['POST', '/v1/users', { userId: 'u3', phone: '12345' }, "Invalid phone: Phone number must start with a '+' can have a maximum of fifteen digits."],
      ['POST', '/v1/users/scrypt', { userId: 'u4', email: 'a@b.co', password: 'password', passwordSalt: 'salt' }, 'Param "passwordCpu" is not optional.'],
      ['POST', '/v1/users/sha', { userId: 'u4', email: 'a@b.co', password: 'password', passwordVersion: '' }, 'Invalid passwordVersion: Value must be one of (sha1, sha224, sha256, sha384, sha512/224, sha512/256, sha512, sha3-224, sha3-256, sha3-384, sha3-512)'],
      ['POST', '/v1/users/bcrypt', { userId: 'u4', password: 'password' }, 'Param "email" is not optional.'],
      ['GET', '/v1/users/_bad', undefined, "Invalid userId: UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore"],
      ['GET', '/v1/users?search=', undefined, 'Invalid search: Value must be a valid string and at least 1 chars and no longer than 256 chars'],
      ['GET', '/v1/users?queries[]=limit(-1)', undefined, 'Invalid queries: Query not valid: Invalid limit: Value must be a valid range between 0 and 9,223,372,036,854,775,808'],
      ['GET', '/v1/users?queries[0]=foo("x")', undefined, 'Invalid queries: Query method not valid: foo'],
      ['GET', '/v1/users?queries=limit 5', undefined, 'Invalid queries: Invalid query: limit 5'],
      ['PATCH', '/v1/users/someone/status', { status: 'maybe' }, 'Invalid status: Value must be a valid boolean'],
      ['PATCH', '/v1/users/someone/verification', { emailVerification: 'true' }, 'Invalid emailVerification: Value must be a valid boolean'],
      ['PATCH', '/v1/users/someone/prefs', { prefs: 'bad-string' }, 'Invalid prefs: Value must be a valid object.'],
      ['PATCH', '/v1/users/someone/prefs', {}, 'Param "prefs" is not optional.'],
      ['PATCH', '/v1/users/someone/phone', { phone: '+123456789' }, 'Param "number" is not optional.'],
      ['PATCH', '/v1/users/someone/name', { name: 'x'.repeat(129) }, 'Invalid name: Value must be a valid string and at least 1 chars and no longer than 128 chars'],
    ];
    it.each(cases)('%s %s %j', async (method, path, body, message) => {
      const res = await gw.http(method, path, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(envelope(400, 'general_argument_invalid', message));
    });

    it('treats null optionals as absent and accepts loose booleans for status', async () => {
      const res = await gw.http('POST', '/v1/users', { userId: 'nulls', email: null, phone: null, password: null, name: null });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ email: '', phone: '', name: '', password: null });
      for (const [value, expected] of [['false', false], [1, true], ['0', false], [true, true]] as const) {
        const r = await gw.http('PATCH', '/v1/users/nulls/status', { status: value });
        expect([r.status, r.body.status]).toEqual([200, expected]);
      }
    });

    it('accepts the empty string as unique() and both query syntaxes', async () => {
      const res = await gw.http('POST', '/v1/users', { userId: '' });
      expect(res.status).toBe(201);
      expect(res.body.$id).toMatch(/^[0-9a-f]{20}$/);
      const json = encodeURIComponent(JSON.stringify({ method: 'equal', attribute: '$id', values: [res.body.$id] }));
      const listed = await gw.http('GET', `/v1/users?queries[]=${json}`);
      expect(listed.body.users.map((u: any) => u.$id)).toEqual([res.body.$id]);
      const plain = await gw.http('GET', `/v1/users?queries=${encodeURIComponent(`equal("$id", "${res.body.$id}")`)}`);
      expect(plain.body.total).toBe(1);
    });
  });

  it('answers 404 user_not_found for every user route on a missing user', async () => {
    for (const e of ALL_ENDPOINTS.filter((x) => x.path.includes(':userId'))) {
      const body: Record<string, unknown> = {};
      for (const p of e.params.filter((x) => x.in === 'body')) {
        body[p.name] = {
          status: true, phoneVerification: true, emailVerification: true, name: 'n', password: 'password123', email: 'a@b.co', number: '+12345678', prefs: {},
          labels: [], mfa: true, impersonator: true, targetId: 'target', providerType: 'push', identifier: 'token',
        }[p.name];
      }
      const path = e.path
        .replace(':userId', 'missing-user')
        .replace(':sessionId', 'missing-session')
        .replace(':targetId', 'missing-target')
        .replace(':passkeyId', 'missing-passkey')
        .replace(':challengeId', 'missing-challenge')
        .replace(':type', 'totp');
      const res = await gw.http(e.method, path, e.method === 'GET' ? undefined : body);
      expect([e.sdkMethod, res.status, res.body?.type]).toEqual([e.sdkMethod, 404, 'user_not_found']);
    }
  });

  it('serves health, readiness and the OpenAPI document of every endpoint without a key', async () => {
    expect((await gw.http('GET', '/healthz', undefined, { 'x-appwrite-key': '' })).status).toBe(200);
    expect((await gw.http('GET', '/readyz', undefined, { 'x-appwrite-key': '' })).status).toBe(200);
    const doc = await gw.http('GET', '/v1/openapi.json', undefined, { 'x-appwrite-key': '' });
    expect(doc.status).toBe(200);
    const ops = Object.values(doc.body.paths as Record<string, Record<string, { operationId: string }>>).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(ops).toHaveLength(ALL_ENDPOINTS.length);
    expect(new Set(ops)).toEqual(new Set(ALL_ENDPOINTS.map((e) => e.sdkMethod)));
    expect(doc.body.paths['/v1/users/{userId}/phone'].patch.requestBody.content['application/json'].schema.required).toEqual(['number']);
  });

  it('never echoes a key or a password in a response', async () => {
    const res = await gw.http('POST', '/v1/users', { userId: 'secretive', password: 'my-secret-password' });
    expect(res.text).not.toContain('my-secret-password');
    expect(res.text).not.toContain(TEST_KEY);
  });
});
