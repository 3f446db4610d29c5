import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { RecordedEvent, SqliteEventStore } from '@lib/event-store';
import { loadConfig, withPersonalData } from '@lib/platform';
import { rawHttp, Response } from '../support/raw-http';
import { TEST_DATA_ENCRYPTION_KEY } from '../support/test-constants';
import { DistributedStack, freePort, ManagedProcess, spawnApp, startDistributed, TEST_KEY, TEST_PROJECT, waitForHttp } from '../support/test-stack';

/**
 * Idempotency keys and their answers survive a restart and a `kill -9` of the gateway process,
 * on the embedded stack (one process on a DATA_DIR) and the distributed one (gateway, projector
 * and hasher processes, the keys in MongoDB). A request that was running when the process died
 * holds its key for its lease only, and never runs twice once its write was committed.
 */
const LEASE_MS = 3000;

/** The service as processes, and what the test needs to look at beside its HTTP API. */
interface CrashableService {
  url: string;
  /** Starts the gateway, optionally with the read models not following the log (writes then wait for them). */
  startGateway(options?: { projections: boolean }): Promise<void>;
  stopGateway(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Makes password hashing wait (until the next startGateway) and returns what to settle afterwards. */
  holdHashing(): Promise<Array<Promise<unknown>>>;
  /** Records in the idempotency store. */
  heldKeys(): Promise<number>;
  events(): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

async function embedded(): Promise<CrashableService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'users-safe-writes-crash-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, BOOTSTRAP_PROJECT_ID: TEST_PROJECT, BOOTSTRAP_API_KEY: TEST_KEY, LOG_LEVEL: 'warn', IDEMPOTENCY_LEASE_MS: String(LEASE_MS), DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY };
  // Read as the service reads it: names are sealed in the stored log.
  const log = withPersonalData(loadConfig(env), new SqliteEventStore(join(dataDir, 'events.sqlite'), { pollIntervalMs: 20 }));
  let gateway: ManagedProcess | null = null;
  const service: CrashableService = {
    url,
    async startGateway({ projections } = { projections: true }) {
      // One worker thread: a few password hashes queue up long enough to crash behind them.
      gateway = spawnApp('gateway', 'apps/gateway/src/main.js', { ...env, HASHING_POOL_SIZE: '1', ...(projections ? {} : { PROJECTIONS: 'external' }) });
      await waitForHttp(`${url}/readyz`, gateway);
    },
    async stopGateway(signal) {
      await gateway?.stop(signal);
      gateway = null;
    },
    async holdHashing() {
      return Array.from({ length: 4 }, (_, i) => rawHttp(url, 'POST', '/v1/users', { userId: 'unique()', name: `Filler ${i}`, password: `filler password ${i}` }).catch(() => undefined));
    },
    async heldKeys() {
      const db = new Database(join(dataDir, 'idempotency.sqlite'), { readonly: true, fileMustExist: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM idempotency_keys').get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
    events: () => log.readAll(null, 1_000_000),
    async close() {
      await service.stopGateway('SIGTERM');
      await log.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await service.startGateway();
  return service;
}

const alive = (p: ManagedProcess) => p.proc.exitCode === null && p.proc.signalCode === null;

async function distributed(): Promise<CrashableService> {
  const stack: DistributedStack = await startDistributed();
  const port = new URL(stack.url).port;
  const mongo = await new MongoClient(stack.env.MONGODB_URL).connect();
  const service: CrashableService = {
    url: stack.url,
    async startGateway({ projections } = { projections: true }) {
      if (projections && !alive(stack.processes.projector)) stack.processes.projector = await stack.startProjector();
      if (!projections) await stack.processes.projector.stop();
      if (!alive(stack.processes.hasher)) stack.processes.hasher = stack.startHasher();
      stack.processes.gateway = spawnApp('gateway', 'apps/gateway/src/main.js', { ...stack.env, PORT: port, IDEMPOTENCY_LEASE_MS: String(LEASE_MS) });
      await waitForHttp(`${stack.url}/readyz`, stack.processes.gateway);
    },
    async stopGateway(signal) {
      await stack.processes.gateway.stop(signal);
    },
    async holdHashing() {
      await stack.processes.hasher.stop();
      return [];
    },
    heldKeys: () => mongo.db(stack.env.MONGODB_DATABASE).collection('idempotency_keys').countDocuments(),
    events: () => stack.allEvents(),
    async close() {
      await mongo.close();
      await stack.close();
    },
  };
  // The stack's own gateway has the default lease; this suite's have a short one.
  await service.stopGateway('SIGTERM');
  await service.startGateway();
  return service;
}

let service: CrashableService;
beforeAll(async () => {
  service = process.env.E2E_STACK === 'distributed' ? await distributed() : await embedded();
}, 180_000);
afterAll(() => service?.close());

const post = (body: unknown, key: string) => rawHttp(service.url, 'POST', '/v1/users', body, { 'idempotency-key': key });
const isReplay = (r: Response) => r.headers.get('idempotent-replayed') === 'true';
const createdNamed = async (name: string) => (await service.events()).filter((e) => e.type === 'UserCreated' && e.data.name === name);

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Retries as a client would while the crashed attempt's lease runs (409 idempotency_key_in_use). */
const retryUntilFree = (body: unknown, key: string) => until(`${key} no longer in use`, () => post(body, key), (r) => !(r.status === 409 && r.body.type === 'idempotency_key_in_use'));

describe('idempotency keys across restarts and crashes', () => {
  it('an answer is repeated after a restart, and after a kill -9 right after it was sent', async () => {
    const gentle = { userId: 'unique()', name: 'Crash Restart' };
    const first = await post(gentle, 'crash-restart');
    expect(first.status).toBe(201);
    await service.stopGateway('SIGTERM');
    await service.startGateway();
    const afterRestart = await post(gentle, 'crash-restart');
    expect([afterRestart.status, isReplay(afterRestart), afterRestart.text]).toEqual([201, true, first.text]);

    const abrupt = { userId: 'unique()', name: 'Crash Kill' };
    const answered = await post(abrupt, 'crash-kill');
    expect(answered.status).toBe(201);
    await service.stopGateway('SIGKILL');
    await service.startGateway();
    const afterKill = await post(abrupt, 'crash-kill');
    expect([afterKill.status, isReplay(afterKill), afterKill.text]).toEqual([201, true, answered.text]);
    expect([(await createdNamed('Crash Restart')).length, (await createdNamed('Crash Kill')).length]).toEqual([1, 1]);
  }, 120_000);

  it('a request killed before it wrote holds its key for its lease only; the retry then runs it, once', async () => {
    const body = { userId: 'unique()', name: 'Crash Before Write', password: 'a password to hash slowly' };
    const held = await service.heldKeys();
    const fillers = await service.holdHashing();
    const dying = post(body, 'crash-before-write').catch(() => 'connection lost');
    await until('the request to hold its key', () => service.heldKeys(), (n) => n > held);
    await service.stopGateway('SIGKILL');
    expect(await dying).toBe('connection lost');
    await Promise.all(fillers);
    await service.startGateway();
    const retried = await retryUntilFree(body, 'crash-before-write');
    expect([retried.status, isReplay(retried), retried.body.name]).toEqual([201, false, 'Crash Before Write']);
    expect(await createdNamed('Crash Before Write')).toHaveLength(1);
    const again = await post(body, 'crash-before-write');
    expect([again.status, isReplay(again), again.text]).toEqual([201, true, retried.text]);
  }, 120_000);

  it('a request killed after its write was committed, before it answered, is never run again: 409 idempotency_answer_lost', async () => {
    const body = { userId: 'unique()', name: 'Crash After Write' };
    await service.stopGateway('SIGTERM');
    // Writes wait for read models that do not move: the window between commit and answer stays open.
    await service.startGateway({ projections: false });
    const dying = post(body, 'crash-after-write').catch(() => 'connection lost');
    await until('the write to be in the log', () => createdNamed('Crash After Write'), (events) => events.length === 1);
    await service.stopGateway('SIGKILL');
    expect(await dying).toBe('connection lost');
    await service.startGateway();
    const retried = await retryUntilFree(body, 'crash-after-write');
    expect([retried.status, retried.body.type]).toEqual([409, 'idempotency_answer_lost']);
    const [created] = await createdNamed('Crash After Write');
    expect(await createdNamed('Crash After Write')).toHaveLength(1);
    expect(created.metadata.idempotencyAttemptId).toEqual(expect.any(String));
    // The write itself is there for the client to read, once the read models caught up.
    const user = await until('the user to be readable', () => rawHttp(service.url, 'GET', `/v1/users/${created.data.userId}`), (r) => r.status !== 404);
    expect([user.status, user.body.name]).toEqual([200, 'Crash After Write']);
  }, 120_000);
});
