import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { scanFiles } from '@lib/event-store/testing';
import { userStreamId } from '@lib/users';
import { TEST_DATA_ENCRYPTION_KEY } from '../support/test-constants';
import { DistributedStack, startTestStack, TEST_PROJECT, TestStack } from '../support/test-stack';

/**
 * Erasure that reaches the log, end to end over raw HTTP on the real service (embedded, or the
 * three-process distributed stack with E2E_STACK=distributed): a person with every personal
 * field, changed, with sessions, a target and logs; erased; then no byte of them is left in
 * DATA_DIR (every file, WAL and shared memory included), in the read models, or in read models
 * rebuilt by `npm run replay`, and the log reads "[erased]" where they were.
 */
const USER = 'erasure-probe';
const IP = '203.0.113.77';
const UA = 'ErasureProbe/7.7 (zebulon-7f3a)';
/** The person's own client, as a proxy in front of the service reports it. */
const CLIENT = { 'user-agent': UA, 'x-forwarded-for': IP };
const KEYED = { ...CLIENT, 'idempotency-key': 'erasure-probe-rename-7f3a' };
const FIRST = { email: 'zebulon.first-7f3a@erasure.example', phone: '+15555550177', name: 'Zebulon Quixotic' };
const SECOND = { email: 'yselda.second-7f3a@erasure.example', phone: '+15555550188', name: 'Yselda Marchpane' };
const PREFS = ['prefs-first-7f3a9c', 'prefs-second-7f3a9c'];
const PUSH_TOKEN = 'push-token-7f3a-erasure';
const PASSWORD = 'correct horse erasure';
const ERASED = '[erased]';

let stack: TestStack;
/** The stored password hash (the User model shows it): personal data too. */
let passwordHash = '';
let downstream: Downstream;

/** Every value of the person, old and new, as the byte scan looks for it (case-insensitively: lower-cased copies and search words count). */
const personalValues = () => [FIRST.email, FIRST.phone, 'zebulon', 'quixotic', SECOND.email, SECOND.phone, 'yselda', 'marchpane', ...PREFS, PUSH_TOKEN, UA, IP, passwordHash];
/** What the read models hold of the person now (before the erasure). */
const currentValues = () => [SECOND.email, SECOND.phone, 'yselda', 'marchpane', PREFS[1], PUSH_TOKEN, IP, passwordHash];

beforeAll(async () => {
  stack = await startTestStack();
  downstream = stack.kind === 'distributed' ? kafkaDownstream(stack as DistributedStack) : jsonlDownstream(stack.dataDir);
});
afterAll(async () => {
  await downstream?.close();
  await stack?.close();
});

describe('POST /v1/users/:userId/erase', () => {
  it('before: the read models hold the person, the event log only ciphertext', async () => {
    const created = await stack.http('POST', '/v1/users', { userId: USER, ...FIRST, password: PASSWORD }, CLIENT);
    expect(created.status).toBe(201);
    passwordHash = created.body.password;
    expect(passwordHash).toMatch(/^\$argon2id\$/);
    for (const [path, body] of [
      ['/prefs', { prefs: { note: PREFS[0] } }],
      ['/name', { name: SECOND.name }],
      ['/email', { email: SECOND.email }],
      ['/phone', { number: SECOND.phone }],
      ['/prefs', { prefs: { note: PREFS[1] } }],
    ] as const) {
      const res = await stack.http('PATCH', `/v1/users/${USER}${path}`, body, CLIENT);
      expect([path, res.status]).toEqual([path, 200]);
    }
    // A write with an Idempotency-Key: its answer, the person in it, is remembered for retries.
    const keyed = await stack.http('PATCH', `/v1/users/${USER}/name`, { name: SECOND.name }, KEYED);
    const replayed = await stack.http('PATCH', `/v1/users/${USER}/name`, { name: SECOND.name }, KEYED);
    expect([keyed.status, replayed.status, replayed.headers.get('idempotent-replayed'), replayed.body.name]).toEqual([200, 200, 'true', SECOND.name]);
    expect((await stack.http('POST', `/v1/users/${USER}/sessions`, {}, CLIENT)).status).toBe(201);
    // The person's own login: the session's provider id is their email, the request is theirs.
    expect((await stack.http('POST', '/v1/account/sessions/email', { email: SECOND.email, password: PASSWORD }, { 'x-appwrite-key': '', ...CLIENT })).status).toBe(201);
    expect((await stack.http('POST', `/v1/users/${USER}/targets`, { targetId: 'probe-push', providerType: 'push', identifier: PUSH_TOKEN, name: 'Zebulon phone' }, CLIENT)).status).toBe(201);
    // A team the person is in, asked for from their address: team streams are no one's to seal, so they record no client.
    expect((await stack.http('POST', '/v1/teams', { teamId: 'probe-team', name: 'Probe Team' }, CLIENT)).status).toBe(201);
    expect((await stack.http('POST', '/v1/teams/probe-team/memberships', { userId: USER, roles: ['member'] }, CLIENT)).status).toBe(201);
    const logs = await stack.http('GET', `/v1/users/${USER}/logs`);
    expect(logs.body.total).toBeGreaterThanOrEqual(8);
    expect(logs.body.logs[0].ip).toBe(IP);

    expect(hitsIn(eventLogFiles(stack.dataDir), personalValues())).toEqual([]);
    expect(await missingFromReadModels(stack, currentValues())).toEqual([]);
    // The raw user agent is parsed in the read models; the downstream copy has it as sent.
    await waitUntil(async () => (await downstream.eventsOf(USER)).some((e) => e.includes(UA)));
  });

  it('erases: 204, again 204; a user that never existed is 404 user_not_found', async () => {
    expect((await stack.http('POST', `/v1/users/${USER}/erase`, undefined, CLIENT)).status).toBe(204);
    expect((await stack.http('POST', `/v1/users/${USER}/erase`, undefined, CLIENT)).status).toBe(204);
    const unknown = await stack.http('POST', '/v1/users/never-existed/erase');
    expect([unknown.status, unknown.body.type]).toEqual([404, 'user_not_found']);
    const read = await stack.http('GET', `/v1/users/${USER}`);
    expect([read.status, read.body.type]).toEqual([404, 'user_not_found']);
    expect((await stack.http('GET', `/v1/users?search=${encodeURIComponent('yselda')}`)).body.total).toBe(0);
    // The remembered answer went with the person: the retry is not run again, and shows no one.
    const retry = await stack.http('PATCH', `/v1/users/${USER}/name`, { name: SECOND.name }, KEYED);
    expect([retry.status, retry.body.type]).toEqual([409, 'idempotency_answer_lost']);
    expect(personalValues().filter((v) => retry.text.toLowerCase().includes(v.toLowerCase()))).toEqual([]);
  });

  it('downstream: a user.erased CloudEvent without personal data; the embedded sink keeps none of the person', async () => {
    const ERASURE = 'io.appwrite-compatible.users.user.erased.v1';
    const types = async () => (await downstream.eventsOf(USER)).map((e) => JSON.parse(e).type as string);
    // Kafka keeps what it was sent (its consumers delete their copies); the embedded sink is such a consumer.
    await waitUntil(async () => (await types()).includes(ERASURE) && (downstream.keepsCopies || (await types()).length === 1));
    const erasure = (await downstream.eventsOf(USER)).map((e) => JSON.parse(e)).find((e) => e.type === ERASURE);
    expect(erasure).toMatchObject({ subject: USER, projectid: TEST_PROJECT, data: {}, dataschema: 'https://appwrite-compatible.io/schemas/users/user.erased.v1.json' });
    expect((await types()).slice(-2)).toEqual(downstream.keepsCopies ? ['io.appwrite-compatible.users.user.deleted.v1', ERASURE] : [ERASURE]);
  });

  it('afterwards: no byte of the person in any file of DATA_DIR (WAL and shared memory included), nor in the read models', async () => {
    const files = filesUnder(stack.dataDir);
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
    expect(hitsIn(files, personalValues())).toEqual([]);
    expect(await missingFromReadModels(stack, personalValues())).toEqual(personalValues());
  });

  it('the log reads "[erased]" wherever the person was, and records who erased them', async () => {
    const events = (await stack.allEvents()).filter((e) => e.streamId === userStreamId(TEST_PROJECT, USER));
    const created = events.find((e) => e.type === 'UserCreated')!;
    expect(created.data).toMatchObject({ userId: USER, name: ERASED, email: ERASED, phone: ERASED, password: ERASED, hash: 'argon2' });
    expect([created.metadata.ip, created.metadata.userAgent]).toEqual([ERASED, ERASED]);
    const login = events.find((e) => e.type === 'SessionCreated' && e.metadata.actor.type === 'user')!;
    expect(login.data).toMatchObject({ provider: 'email', providerUid: ERASED, ip: ERASED, userAgent: ERASED });
    expect(events.find((e) => e.type === 'TargetCreated' && e.data.targetId === 'probe-push')!.data).toMatchObject({ identifier: ERASED, name: ERASED, providerType: 'push' });
    expect(events.find((e) => e.type === 'UserPrefsReplaced')!.data.prefs).toBe(ERASED);
    expect(events.map((e) => e.type).slice(-2)).toEqual(['UserDeleted', 'UserErased']);
    const erasure = events[events.length - 1];
    expect(erasure.metadata).toMatchObject({ actor: { type: 'apiKey' }, ip: '', userAgent: '' });
    expect(JSON.stringify(events)).not.toContain('yselda');
  });

  it('the history endpoint lists every event with the personal fields "[erased]", and nothing of the person', async () => {
    const res = await stack.http('GET', `/v1/users/${USER}/events?queries[]=${encodeURIComponent(JSON.stringify({ method: 'limit', values: [100] }))}`);
    expect(res.status).toBe(200);
    const { total, events } = res.body as { total: number; events: Array<{ type: string; ip: string; userAgent: string; data: Record<string, unknown> }> };
    expect(events).toHaveLength(total);
    expect(events.map((e) => e.type).slice(-2)).toEqual(['UserDeleted', 'UserErased']);
    const created = events.find((e) => e.type === 'UserCreated')!;
    expect(created).toMatchObject({ ip: ERASED, userAgent: ERASED, data: { userId: USER, name: ERASED, email: ERASED, phone: ERASED } });
    expect(events.find((e) => e.type === 'UserPrefsReplaced')!.data.prefs).toBe(ERASED);
    expect(events.find((e) => e.type === 'SessionCreated')!).toMatchObject({ data: { ip: ERASED, userAgent: ERASED } });
    const text = res.text.toLowerCase();
    expect(personalValues().filter((v) => text.includes(v.toLowerCase()))).toEqual([]);
  });

  it('a replay rebuilds every read model without the person', async () => {
    const run = spawnSync(process.execPath, [join(__dirname, '../../dist/apps/projector/src/cli/replay.js'), 'all'], { env: { ...process.env, ...replayEnv(stack) }, encoding: 'utf8', timeout: 120_000 });
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l).projection)).toEqual(['users', 'sessions', 'logs', 'access', 'teams', 'memberships']);
    expect(await missingFromReadModels(stack, personalValues())).toEqual(personalValues());
    expect(hitsIn(filesUnder(stack.dataDir), personalValues())).toEqual([]);
    expect((await stack.http('GET', `/v1/users/${USER}`)).status).toBe(404);
  });

  it('after a restart: still erased, and the id and the email are free for a new user with a key of its own', async () => {
    stack = await stack.restart();
    expect((await stack.http('GET', `/v1/users/${USER}`)).status).toBe(404);
    const again = await stack.http('POST', '/v1/users', { userId: USER, email: FIRST.email, name: 'Second Life' }, CLIENT);
    expect(again.status).toBe(201);
    expect((await stack.http('GET', `/v1/users/${USER}`)).body).toMatchObject({ email: FIRST.email, name: 'Second Life' });
    const events = (await stack.allEvents()).filter((e) => e.streamId === userStreamId(TEST_PROJECT, USER));
    const names = events.filter((e) => e.type === 'UserCreated').map((e) => e.data.name);
    expect(names).toEqual([ERASED, 'Second Life']);
    expect((await stack.http('POST', `/v1/users/${USER}/erase`)).status).toBe(204);
    expect((await stack.http('GET', `/v1/users/${USER}`)).status).toBe(404);
  });
});

/** Files of the event log (sealed personal data only). */
const eventLogFiles = (dataDir: string) => filesUnder(dataDir).filter((f) => /[/\\]events\.sqlite(-wal|-shm)?$/.test(f));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Which of `needles` occur in which file, byte for byte, ignoring case: read by another process (see scanFiles). */
const hitsIn = (files: string[], needles: string[]): string[] => scanFiles(files, needles);

/** The needles not found in `text` (ignoring case). */
function missingFrom(text: string, needles: string[]): string[] {
  const lower = text.toLowerCase();
  return needles.filter((n) => !lower.includes(n.toLowerCase()));
}

/** The needles the read models do not hold: their SQLite files byte by byte, or every document of their MongoDB database. */
async function missingFromReadModels(s: TestStack, needles: string[]): Promise<string[]> {
  if (s.kind === 'embedded') {
    const hits = hitsIn(filesUnder(s.dataDir).filter((f) => /read-model\.sqlite/.test(f)), needles);
    return needles.filter((n) => !hits.some((h) => h.endsWith(`: ${n}`)));
  }
  return missingFrom(await mongoText(s as DistributedStack), needles);
}

/** Every document of the distributed stack's read-model database, as JSON. */
async function mongoText(s: DistributedStack): Promise<string> {
  const client = await MongoClient.connect(s.env.MONGODB_URL);
  try {
    const db = client.db(s.env.MONGODB_DATABASE);
    const parts: string[] = [];
    for (const { name } of await db.listCollections().toArray()) parts.push(JSON.stringify(await db.collection(name).find().toArray()));
    return parts.join('\n');
  } finally {
    await client.close();
  }
}

function replayEnv(s: TestStack): Record<string, string> {
  if (s.kind === 'distributed') return (s as DistributedStack).env;
  return { DATA_DIR: s.dataDir, DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY, LOG_LEVEL: 'silent' };
}

/** The downstream events of a user, as JSON text: the embedded JSON-lines sink, or the Kafka topic. */
interface Downstream {
  /** Kafka keeps the events it was sent; the JSON-lines sink drops an erased user's. */
  keepsCopies: boolean;
  eventsOf(userId: string): Promise<string[]>;
  close(): Promise<void>;
}

function jsonlDownstream(dataDir: string): Downstream {
  const file = join(dataDir, 'integration-events.jsonl');
  return {
    keepsCopies: false,
    async eventsOf(userId) {
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '' && JSON.parse(line).subject === userId);
    },
    async close() {},
  };
}

/** The topic exists once the publisher sent its first event: the consumer starts with the first look. */
function kafkaDownstream(s: DistributedStack): Downstream {
  const received: string[] = [];
  const kafka = new Kafka({ clientId: 'e2e-erasure', brokers: s.env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  let consumer: Promise<Consumer> | null = null;
  const consuming = () =>
    (consumer ??= (async () => {
      const c = kafka.consumer({ groupId: `e2e-erasure-${randomBytes(4).toString('hex')}` });
      await c.connect();
      await c.subscribe({ topic: s.env.EVENTS_TOPIC, fromBeginning: true });
      await c.run({ eachMessage: async ({ message }) => void received.push(message.value!.toString()) });
      return c;
    })());
  return {
    keepsCopies: true,
    async eventsOf(userId) {
      await consuming();
      return received.filter((value) => JSON.parse(value).subject === userId);
    },
    async close() {
      if (consumer) await (await consumer).disconnect();
    },
  };
}

async function waitUntil(done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the downstream events');
    await new Promise((r) => setTimeout(r, 100));
  }
}
