import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type pino from 'pino';
import { deleteTestTopics, describeWithKafka } from '@lib/kafka/testing';
import { KafkaHashingAdapter, type RunningHasher, Slots, startHasher } from '@lib/passwords';
import { createLogger, loadHasherConfig } from '@lib/platform';


const MAIN = path.resolve(__dirname, '../../../dist/apps/hasher/src/main.js');
const PASSWORD = 'hunter2-but-longer';

interface Child {
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function spawnHasher(env: Record<string, string>): Child {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  const proc = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, output: () => out, exited };
}

async function until(what: string, check: () => boolean, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${child ? `:\n${child.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('hasher config and helpers', () => {
  const key = randomBytes(32).toString('base64');

  it('reads the environment and fails clearly on missing settings', () => {
    expect(loadHasherConfig({ KAFKA_BROKERS: 'a:1,b:2', HASHER_SHARED_KEY: key, HASHING_POOL_SIZE: '3' })).toMatchObject({
      brokers: ['a:1', 'b:2'],
      poolSize: 3,
      logLevel: 'info',
      requestTopic: 'users.hashing.requests',
      groupId: 'users-hasher',
      taskTimeoutMs: 30_000,
    });
    expect(() => loadHasherConfig({ HASHER_SHARED_KEY: key })).toThrow(/KAFKA_BROKERS is not set/);
    expect(() => loadHasherConfig({ KAFKA_BROKERS: 'a:1' })).toThrow(/HASHER_SHARED_KEY is not set/);
    expect(() => loadHasherConfig({ KAFKA_BROKERS: 'a:1', HASHER_SHARED_KEY: 'c2hvcnQ=' })).toThrow(/HASHER_SHARED_KEY must be 32 bytes/);
    expect(() => loadHasherConfig({ KAFKA_BROKERS: 'a:1', HASHER_SHARED_KEY: key, HASHING_POOL_SIZE: 'many' })).toThrow(/HASHING_POOL_SIZE/);
  });

  it('Slots admits at most size holders, FIFO', async () => {
    const slots = new Slots(2);
    await slots.acquire();
    await slots.acquire();
    const order: number[] = [];
    const third = slots.acquire().then(() => order.push(3));
    const fourth = slots.acquire().then(() => order.push(4));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    slots.release();
    await third;
    slots.release();
    await fourth;
    expect(order).toEqual([3, 4]);
    expect(slots.inUse).toBe(2);
    slots.release();
    slots.release();
    expect(slots.inUse).toBe(0);
  });

  it('the built process exits 1 with a clear message, and no secret, when HASHER_SHARED_KEY is short', async () => {
    const short = randomBytes(8).toString('base64');
    const child = spawnHasher({ KAFKA_BROKERS: '127.0.0.1:9', HASHER_SHARED_KEY: short });
    expect(await child.exited).toBe(1);
    expect(child.output()).toContain('HASHER_SHARED_KEY must be 32 bytes');
    expect(child.output()).not.toContain(short);
  });
});

describeWithKafka('hasher process against a real broker', (brokers) => {
  const suite = randomBytes(4).toString('hex');
  const key = randomBytes(32).toString('base64');
  const requestTopic = `users.hashing.requests.proc-${suite}`;
  const groupId = `users-hasher-proc-${suite}`;
  const env = {
    KAFKA_BROKERS: brokers.join(','),
    HASHER_SHARED_KEY: key,
    HASHING_POOL_SIZE: '1',
    LOG_LEVEL: 'debug',
    HASHING_REQUEST_TOPIC: requestTopic,
    HASHER_GROUP_ID: groupId,
  };
  const logLines: string[] = [];
  const inProcessLogger: pino.Logger = createLogger('debug', 'users-hasher', { write: (s: string) => void logLines.push(s) });
  let adapter: KafkaHashingAdapter;
  const children: Child[] = [];
  const inProcess: RunningHasher[] = [];

  beforeAll(async () => {
    adapter = new KafkaHashingAdapter({ brokers, sharedKey: key, requestTopic, attempts: 3, attemptTimeoutMs: 8_000 });
    await adapter.start();
  });

  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    await Promise.all(inProcess.map((h) => h.stop()));
    await adapter?.close();
    await deleteTestTopics(brokers, [requestTopic]);
  });

  it('runs from dist, shares the group with another hasher, and exits 0 on SIGTERM', async () => {
    const child = spawnHasher(env);
    children.push(child);
    await until('the child hasher ready', () => child.output().includes('"msg":"hasher ready"'), 60_000, child);
    const second = await startHasher(loadHasherConfig({ ...env, LOG_LEVEL: 'debug' }), inProcessLogger);
    inProcess.push(second);
    // Both members now share the 12 partitions; random job ids spread over them.
    const passwords = Array.from({ length: 16 }, (_, i) => `${PASSWORD}-${i}`);
    const hashes = await Promise.all(passwords.map((p) => adapter.hash(p)));
    expect(await Promise.all(hashes.map((h, i) => adapter.verify(passwords[i], h)))).toEqual(passwords.map(() => true));

    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    const out = child.output();
    // Counted once the child has exited: its "job done" line is written after the reply is sent.
    const childJobs = count(out, '"msg":"job done"');
    expect(childJobs).toBeGreaterThan(0);
    expect(second.service.stats.done).toBeGreaterThan(0);
    expect(childJobs + second.service.stats.done).toBeGreaterThanOrEqual(32);
    expect(out).toContain('"msg":"hasher stopped"');
    for (const p of passwords) expect(out).not.toContain(p);
    expect(out).not.toContain('$argon2id$');
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('loses no job across a graceful stop: what was taken is answered, the rest goes to the next hasher', async () => {
    await Promise.all(inProcess.splice(0).map((h) => h.stop()));
    const child = spawnHasher(env);
    children.push(child);
    await until('the child hasher ready', () => child.output().includes('"msg":"hasher ready"'), 60_000, child);
    const passwords = Array.from({ length: 6 }, (_, i) => `${PASSWORD}-stop-${i}`);
    const calls = passwords.map((p) => adapter.hash(p));
    await until('a first job', () => child.output().includes('"msg":"job done"'), 20_000, child);
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    const next = await startHasher(loadHasherConfig(env), inProcessLogger);
    inProcess.push(next);
    const hashes = await Promise.all(calls);
    expect(hashes.every((h) => h.password.startsWith('$argon2id$'))).toBe(true);
    expect(logLines.join('')).not.toContain(PASSWORD);
  });
});
