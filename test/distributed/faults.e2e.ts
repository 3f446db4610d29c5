import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { DistributedStack, startDistributed } from '../support/test-stack';

let stack: DistributedStack;
beforeAll(async () => {
  stack = await startDistributed();
});
afterAll(() => stack?.close());

const lastPosition = async () => {
  let position: string | null = null;
  for (;;) {
    const batch = await stack.events.readAll(position, 5000);
    if (!batch.length) return position;
    position = batch[batch.length - 1].position;
  }
};

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const caughtUp = async () => {
  const end = await lastPosition();
  for (const name of ['users', 'sessions', 'logs', 'access']) {
    if (stack.events.comparePositions(await stack.readStore.getCheckpoint(name), end) < 0) return false;
  }
  return true;
};

describe('distributed stack under faults', () => {
  it('a projector killed mid-stream and restarted converges, with no duplicate log rows', async () => {
    const users = Array.from({ length: 30 }, (_, i) => `kill-${i}`);
    for (const id of users) expect((await stack.http('POST', '/v1/users', { userId: id, email: `${id}@x.io` })).status).toBe(201);
    // Stop projecting, write while it is down (the gateway answers 503 for what it cannot confirm).
    await stack.processes.projector.stop('SIGKILL');
    const pending = users.map((id) => stack.http('PATCH', `/v1/users/${id}/name`, { name: `Renamed ${id}` }));
    await new Promise((r) => setTimeout(r, 500));
    stack.processes.projector = await stack.startProjector();
    // Kill it again while it catches up, then let a fresh one finish.
    await new Promise((r) => setTimeout(r, 50));
    await stack.processes.projector.stop('SIGKILL');
    stack.processes.projector = await stack.startProjector();
    for (const res of await Promise.all(pending)) expect([200, 503]).toContain(res.status);
    await until('projections caught up', caughtUp);
    for (const id of users) {
      const user = await stack.http('GET', `/v1/users/${id}`);
      expect(user.body.name).toBe(`Renamed ${id}`);
      const logs = await stack.http('GET', `/v1/users/${id}/logs`);
      // user.create and exactly one user.update: the re-applied events logged once.
      expect(logs.body.total).toBe(2);
    }
    expect((await stack.http('GET', '/v1/users?queries[]=limit(100)&search=kill')).body.total).toBe(users.length);
  });

  it('without a hasher, password writes fail with 503 and leave nothing behind; a new hasher recovers', async () => {
    await stack.processes.hasher.stop();
    const started = Date.now();
    const res = await stack.http('POST', '/v1/users', { userId: 'needs-hash', password: 'password-123' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 503, type: 'general_service_unavailable' });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect((await stack.http('GET', '/v1/users/needs-hash')).status).toBe(404);
    stack.processes.hasher = stack.startHasher();
    await until('hasher answering', async () => (await stack.http('POST', '/v1/users', { userId: 'needs-hash', password: 'password-123' })).status === 201, 120_000);
    expect((await stack.http('GET', '/v1/users/needs-hash')).body.password).toMatch(/^\$argon2id\$v=19\$m=65536,t=4,p=3\$/);
  });

  it('downstream consumers receive every user event as a CloudEvent, in log order per user, without hashes', async () => {
    const ids = ['down-a', 'down-b'];
    for (const id of ids) {
      await stack.http('POST', '/v1/users', { userId: id, email: `${id}@x.io`, password: 'password-123' });
      await stack.http('PATCH', `/v1/users/${id}/name`, { name: 'N1' });
      await stack.http('PATCH', `/v1/users/${id}/status`, { status: false });
    }
    await stack.http('DELETE', '/v1/users/down-b');
    const expected = (await stack.events.readAll(null, 100_000)).filter((e) => e.streamId.startsWith('user-'));
    const kafka = new Kafka({ clientId: 'e2e-consumer', brokers: stack.env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `e2e-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic: stack.env.EVENTS_TOPIC, fromBeginning: true });
    const received: Array<{ key: string; event: any; raw: string }> = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        const raw = message.value!.toString();
        received.push({ key: message.key!.toString(), event: JSON.parse(raw), raw });
      },
    });
    try {
      await until('every event downstream', async () => new Set(received.map((r) => r.event.id)).size >= expected.length, 60_000);
    } finally {
      await consumer.disconnect();
    }
    const seen = new Set(received.map((r) => r.event.id));
    for (const e of expected) expect(seen.has(e.id)).toBe(true);
    for (const r of received) {
      expect(r.event.specversion).toBe('1.0');
      expect(r.raw).not.toContain('$argon2id$');
      expect(r.raw).not.toContain('password-123');
    }
    // Per user, first deliveries come in the order of the log.
    const byUser = new Map<string, string[]>();
    for (const r of received) {
      const list = byUser.get(r.key) ?? [];
      if (!list.includes(r.event.id)) list.push(r.event.id);
      byUser.set(r.key, list);
    }
    for (const id of ids) {
      const logOrder = expected.filter((e) => e.streamId.endsWith(`:${id}`)).map((e) => e.id);
      expect(byUser.get(id)).toEqual(logOrder);
    }
  });
});
