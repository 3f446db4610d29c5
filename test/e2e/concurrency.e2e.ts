import { startTestStack, TestStack } from '../support/test-stack';

let gw: TestStack;
beforeAll(async () => {
  gw = await startTestStack();
});
afterAll(() => gw.close());

const race = (n: number, body: (i: number) => unknown, path = '/v1/users', method = 'POST') =>
  Promise.all(Array.from({ length: n }, (_, i) => gw.http(method, path, body(i))));

function expectOneWinner(results: Array<{ status: number; body: any }>, conflictType: string, winnerStatus = 201) {
  const statuses = results.map((r) => r.status);
  expect(statuses.filter((s) => s === winnerStatus)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(results.length - 1);
  for (const r of results.filter((x) => x.status === 409)) expect(r.body.type).toBe(conflictType);
}

describe('uniqueness under 50 concurrent requests', () => {
  it('same email, different ids: exactly one user', async () => {
    expectOneWinner(await race(50, (i) => ({ userId: `race-email-${i}`, email: 'Race@Example.com' })), 'user_already_exists');
    const listed = await gw.http('GET', `/v1/users?queries[]=${encodeURIComponent('equal("email", "race@example.com")')}`);
    expect(listed.body.total).toBe(1);
  });

  it('same id, different emails: exactly one user, and the losers\' emails stay free', async () => {
    const results = await race(50, (i) => ({ userId: 'race-id', email: `race-id-${i}@example.com` }));
    expectOneWinner(results, 'user_already_exists');
    const winner = results.find((r) => r.status === 201)!.body.email;
    const loser = [...Array(50).keys()].map((i) => `race-id-${i}@example.com`).find((e) => e !== winner)!;
    expect((await gw.http('POST', '/v1/users', { userId: 'after-race', email: loser })).status).toBe(201);
  });

  it('same phone with passwords being hashed: exactly one user', async () => {
    expectOneWinner(await race(50, (i) => ({ userId: `race-phone-${i}`, phone: '+15551234567', password: `password-${i}` })), 'user_already_exists');
  }, 120_000);

  it('50 users racing to take one email by update: exactly one wins', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => gw.http('POST', '/v1/users', { userId: `upd-race-${i}` })));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => gw.http('PATCH', `/v1/users/upd-race-${i}/email`, { email: 'contested@example.com' })));
    expectOneWinner(results, 'user_email_already_exists', 200);
  });

  it('deleting releases id, email and phone at once', async () => {
    expect((await gw.http('POST', '/v1/users', { userId: 'reuse', email: 'reuse@example.com', phone: '+15559876543' })).status).toBe(201);
    expect((await gw.http('DELETE', '/v1/users/reuse')).status).toBe(204);
    expect((await gw.http('POST', '/v1/users', { userId: 'reuse-2', email: 'reuse@example.com', phone: '+15559876543' })).status).toBe(201);
    expect((await gw.http('POST', '/v1/users', { userId: 'reuse' })).status).toBe(201);
  });
});
