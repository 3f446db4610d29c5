import { startTestStack, TestStack } from '../support/test-stack';

/**
 * The gateway keeps projects and keys in memory where it keeps the read models; a revocation
 * must still refuse the key from the first request after the revocation is recorded and
 * projected (what `revokeKey` waits for), with no polling and no grace period.
 */
let gw: TestStack;
beforeAll(async () => {
  gw = await startTestStack();
});
afterAll(() => gw.close());

const getUsers = (secret: string) => gw.http('GET', '/v1/users', undefined, { 'x-appwrite-key': secret });

describe('API key revocation takes effect at once', () => {
  it('a key used a moment ago is refused by the very next request after its revocation', async () => {
    const key = await gw.createKey({ name: 'revoked-at-once', scopes: ['users.read'] });
    for (let i = 0; i < 20; i++) expect((await getUsers(key.secret)).status).toBe(200);
    await gw.revokeKey(key.keyId);
    const next = await getUsers(key.secret);
    expect([next.status, next.body.type]).toEqual([401, 'general_unauthorized_scope']);
  });

  it('while the key is under concurrent load, every request that starts after the revocation is refused', async () => {
    const key = await gw.createKey({ name: 'under-load', scopes: ['users.read'] });
    let revoked = false;
    const afterRevocation: number[] = [];
    let stop = false;
    const workers = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const startedAfter = revoked;
        const res = await getUsers(key.secret);
        if (startedAfter) afterRevocation.push(res.status);
      }
    });
    await new Promise((r) => setTimeout(r, 200));
    await gw.revokeKey(key.keyId);
    revoked = true;
    await new Promise((r) => setTimeout(r, 200));
    stop = true;
    await Promise.all(workers);
    expect(afterRevocation.length).toBeGreaterThan(0);
    expect(afterRevocation.filter((s) => s !== 401)).toEqual([]);
  });

  it('a key created a moment ago works on its first request, and other keys are not affected', async () => {
    const other = await gw.createKey({ name: 'stays', scopes: ['users.read'] });
    expect((await getUsers(other.secret)).status).toBe(200);
    const fresh = await gw.createKey({ name: 'fresh', scopes: ['users.read'] });
    expect((await getUsers(fresh.secret)).status).toBe(200);
    await gw.revokeKey(fresh.keyId);
    expect((await getUsers(fresh.secret)).status).toBe(401);
    expect((await getUsers(other.secret)).status).toBe(200);
  });
});
