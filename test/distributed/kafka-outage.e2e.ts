import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { DistributedStack, startDistributed } from '../support/test-stack';

const ROOT = join(__dirname, '../..');
let stack: DistributedStack;
beforeAll(async () => {
  stack = await startDistributed();
});
afterAll(() => stack?.close());

async function stopKafka(): Promise<void> {
  const pid = Number(readFileSync(join(ROOT, '.infra/kafka.pid'), 'utf8').trim());
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error('Kafka did not stop');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a brief Kafka outage', () => {
  it('delays downstream events but loses none: publishing resumes from its checkpoint, in order per user', async () => {
    const ids = ['outage-a', 'outage-b', 'outage-c'];
    for (const id of ids) await stack.http('POST', '/v1/users', { userId: id, email: `${id}@x.io` });
    await stopKafka();
    try {
      // Writes that need no hasher keep working while Kafka is down: the log and read models do not depend on it.
      for (const id of ids) {
        expect((await stack.http('PATCH', `/v1/users/${id}/name`, { name: 'During outage' })).status).toBe(200);
        expect((await stack.http('PATCH', `/v1/users/${id}/status`, { status: false })).status).toBe(200);
      }
      await stack.http('DELETE', '/v1/users/outage-c');
    } finally {
      execFileSync('bash', [join(ROOT, 'test/infra/infra.sh'), 'up'], { stdio: 'ignore', timeout: 180_000 });
    }
    for (const id of ids.slice(0, 2)) await stack.http('PATCH', `/v1/users/${id}/name`, { name: 'After outage' });

    const expected = (await stack.events.readAll(null, 100_000)).filter((e) => e.streamId.startsWith('user-'));
    const kafka = new Kafka({ clientId: 'e2e-outage', brokers: stack.env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `e2e-outage-${randomBytes(4).toString('hex')}` });
    const received: Array<{ key: string; id: string }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic: stack.env.EVENTS_TOPIC, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push({ key: message.key!.toString(), id: JSON.parse(message.value!.toString()).id }) });
    try {
      const deadline = Date.now() + 120_000;
      while (new Set(received.map((r) => r.id)).size < expected.length) {
        if (Date.now() > deadline) throw new Error(`only ${new Set(received.map((r) => r.id)).size} of ${expected.length} events arrived`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await consumer.disconnect();
    }
    for (const id of ids) {
      const firstSeen: string[] = [];
      for (const r of received) if (r.key === id && !firstSeen.includes(r.id)) firstSeen.push(r.id);
      expect(firstSeen).toEqual(expected.filter((e) => e.streamId.endsWith(`:${id}`)).map((e) => e.id));
    }
  });
});
