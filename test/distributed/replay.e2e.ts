import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DistributedStack, startDistributed } from '../support/test-stack';

let stack: DistributedStack;
beforeAll(async () => {
  stack = await startDistributed();
});
afterAll(() => stack?.close());

async function snapshot() {
  const list = await stack.http('GET', '/v1/users?queries[]=limit(5000)');
  const out: Record<string, unknown> = { list: list.body };
  for (const u of list.body.users) {
    for (const part of ['', '/sessions', '/logs']) out[`${u.$id}${part}`] = (await stack.http('GET', `/v1/users/${u.$id}${part}`)).body;
  }
  return out;
}

describe('replay on the distributed stack (MongoDB read models)', () => {
  it('`npm run replay -- all` rebuilds every projection blue/green into an identical read model, with progress and events/s', async () => {
    for (let i = 0; i < 12; i++) await stack.http('POST', '/v1/users', { userId: `replay-${i}`, email: `replay-${i}@x.io`, name: `Replay ${i}` });
    for (let i = 0; i < 12; i += 2) await stack.http('PATCH', `/v1/users/replay-${i}/name`, { name: `Renamed ${i}` });
    await stack.http('DELETE', '/v1/users/replay-3');
    const session = { provider: 'email', providerUid: '', providerAccessToken: '', providerAccessTokenExpiry: null, providerRefreshToken: '', expire: null, ip: '8.8.8.8', userAgent: 'curl/8.0' };
    await stack.createSession('replay-1', session);
    const before = await snapshot();

    const run = spawnSync(process.execPath, [join(__dirname, '../../dist/apps/projector/src/cli/replay.js'), 'all'], {
      env: { ...process.env, ...stack.env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(results.map((r) => r.projection)).toEqual(['users', 'sessions', 'logs', 'access', 'teams', 'memberships']);
    for (const r of results) expect(r).toMatchObject({ swapped: true, events: expect.any(Number), eventsPerSecond: expect.any(Number) });
    expect(run.stderr).toMatch(/users\s+\[#+\] 100% \d+\/\d+ events \d+ ev\/s/);

    expect(await snapshot()).toEqual(before);
    // The live projector carries on after the swap.
    expect((await stack.http('PATCH', '/v1/users/replay-0/name', { name: 'After replay' })).body.name).toBe('After replay');
    expect((await stack.http('GET', '/v1/users/replay-0/logs')).body.total).toBe(3);
  });
});
