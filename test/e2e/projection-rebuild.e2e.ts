import { CommandBus } from '@nestjs/cqrs';
import { join } from 'node:path';
import { EventStore } from '@lib/event-store';
import { ALL_PROJECTIONS, ALL_READ_MODELS } from '@lib/platform';
import { ProjectionRebuilder, ProjectionRunner, ReadModelStore, SqliteReadModels } from '@lib/read-models';
import { CreateSessionCommand, newSessionId, UserDirectory } from '@lib/users';
import { startTestGateway, TEST_PROJECT, TestGateway } from '../support/test-gateway';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

/** Everything a client can read, through the API. */
async function snapshot() {
  const list = await gw.http('GET', '/v1/users?queries[]=limit(5000)');
  const out: Record<string, unknown> = { list: list.body };
  for (const u of list.body.users) {
    for (const part of ['', '/prefs', '/sessions', '/logs', '/memberships']) out[`${u.$id}${part}`] = (await gw.http('GET', `/v1/users/${u.$id}${part}`)).body;
  }
  return out;
}

describe('projections are disposable', () => {
  it('a projection rebuilt from the log equals the live one', async () => {
    for (let i = 0; i < 20; i++) await gw.http('POST', '/v1/users', { userId: `r${i}`, email: `r${i}@x.io`, name: `R ${i}` });
    for (let i = 0; i < 20; i += 3) await gw.http('PATCH', `/v1/users/r${i}/name`, { name: `Renamed ${i}` });
    for (let i = 0; i < 20; i += 4) await gw.http('PATCH', `/v1/users/r${i}/prefs`, { prefs: { i } });
    for (let i = 0; i < 20; i += 5) await gw.http('PATCH', `/v1/users/r${i}/email`, { email: `new${i}@x.io` });
    await gw.http('DELETE', '/v1/users/r7');
    await gw.http('POST', '/v1/users', { userId: 'r7', name: 'Second life' });
    const bus = gw.app.get(CommandBus);
    const ctx = { projectId: TEST_PROJECT, actor: { type: 'system' as const, id: 't' }, requestId: 't', ip: '8.8.8.8', userAgent: 'curl/8.0' };
    const session = { provider: 'email', providerUid: '', providerAccessToken: '', providerAccessTokenExpiry: null, providerRefreshToken: '', expire: null, ip: '8.8.8.8', userAgent: 'curl/8.0' };
    for (const u of ['r1', 'r2', 'r2']) await bus.execute(new CreateSessionCommand(ctx, u, { ...session, sessionId: newSessionId() }));
    const live = await snapshot();
    expect((live.list as { total: number }).total).toBe(20);

    const runner = gw.app.get(ProjectionRunner);
    const readStore = gw.app.get(ReadModelStore);
    await runner.stop();
    for (const p of ALL_PROJECTIONS) await readStore.reset(p.name);
    expect(await gw.app.get(UserDirectory).get(TEST_PROJECT, 'r1')).toBeNull();
    await runner.start();
    const all = await gw.app.get(EventStore).readAll(null, 1_000_000);
    await runner.waitFor(all[all.length - 1].position);

    expect(await snapshot()).toEqual(live);
  });

  it('replays blue/green beside the live store (as the replay CLI does) while reads and writes go on', async () => {
    const before = await snapshot();
    // A second connection to the same file, as the replay command in another process has.
    const live = new SqliteReadModels(join(gw.dataDir, 'read-model.sqlite'), Object.fromEntries(ALL_READ_MODELS.map((m) => [m.projection.name, m.sqlite.storage])));
    const rebuilder = new ProjectionRebuilder(gw.app.get(EventStore), live, 50);
    // A read is sent at every progress step, i.e. while the shadow is being built.
    const readsDuringRebuild: Array<Promise<{ status: number }>> = [];
    for (const projection of ALL_PROJECTIONS) {
      const progress: number[] = [];
      const done = await rebuilder.rebuild(projection, (p) => {
        progress.push(p.applied);
        readsDuringRebuild.push(gw.http('GET', '/v1/users/r1'));
      });
      expect(done.applied).toBeGreaterThan(0);
      expect(progress.length).toBeGreaterThan(1);
    }
    await live.close();
    const statuses = (await Promise.all(readsDuringRebuild)).map((r) => r.status);
    expect(statuses.length).toBeGreaterThan(ALL_PROJECTIONS.length);
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(await snapshot()).toEqual(before);
    // The live projections carry on after the swap.
    expect((await gw.http('POST', '/v1/users', { userId: 'after-rebuild' })).status).toBe(201);
    expect((await gw.http('PATCH', '/v1/users/r1/name', { name: 'After rebuild' })).body.name).toBe('After rebuild');
    expect((await gw.http('GET', '/v1/users/r1/logs')).body.logs[0].event).toBe('user.update');
  });
});
