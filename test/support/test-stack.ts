import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { Clock } from '@lib/appwrite';
import { EventStore, type RecordedEvent, SqliteEventStore } from '@lib/event-store';
import { handleCommand, ProjectionSync } from '@lib/event-sourcing';
import type { RequestContext } from '@lib/http';
import { ALL_PROJECTIONS, createReadModels, loadConfig, withPersonalData } from '@lib/platform';
import { ProjectAdmin } from '@lib/projects';
import { CheckpointProjectionSync, ReadModelStore } from '@lib/read-models';
import { CREATE_SESSION, CreateSessionCommand, newSessionId, SessionDetails, userStreamId } from '@lib/users';
import { rawHttp, Response } from './raw-http';
import { TEST_DATA_ENCRYPTION_KEY } from './test-constants';
import { startTestGateway, TEST_KEY, TEST_PROJECT } from './test-gateway';

export { TEST_KEY, TEST_PROJECT };
const ROOT = resolve(__dirname, '../..');

export type NewSession = Omit<SessionDetails, 'sessionId'>;

/**
 * The service under test, embedded (one process, SQLite) or distributed (gateway, projector and
 * hasher as separate processes on Kafka + FerretDB), chosen by E2E_STACK. The SDK suites run
 * unchanged on both; what has no HTTP route yet (sessions, keys) goes through the domain.
 */
export interface TestStack {
  kind: 'embedded' | 'distributed';
  url: string;
  endpoint: string;
  dataDir: string;
  http(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  createSession(userId: string, session: NewSession): Promise<string>;
  /** A key of the test project, or of `project` (created when missing: a second project). */
  createKey(options: { name: string; scopes: string[]; expire?: string | null; project?: string }): Promise<{ keyId: string; secret: string }>;
  revokeKey(keyId: string): Promise<void>;
  /** Every event of the log, as the event store the gateway writes holds it. */
  allEvents(): Promise<RecordedEvent[]>;
  /** Stops the service's processes and starts them again on the same data; answers the stack to use (and close) from then on. */
  restart(): Promise<TestStack>;
  close(): Promise<void>;
}

const systemCtx = (): RequestContext => ({ projectId: TEST_PROJECT, actor: { type: 'system', id: 'test' }, requestId: randomUUID(), ip: '8.8.8.8', userAgent: 'e2e' });

export function startTestStack(): Promise<TestStack> {
  return process.env.E2E_STACK === 'distributed' ? startDistributed() : startEmbedded();
}

async function startEmbedded(restartedOn?: string): Promise<TestStack> {
  const gw = await startTestGateway({ dataDir: restartedOn });
  const admin = new ProjectAdmin(gw.app.get(EventStore));
  const sync = gw.app.get(ProjectionSync);
  const settle = async (position: string | null) => {
    if (position) await sync.waitFor(position);
  };
  return {
    kind: 'embedded',
    url: gw.url,
    endpoint: gw.endpoint,
    dataDir: gw.dataDir,
    http: gw.http,
    async createSession(userId, session) {
      const sessionId = newSessionId();
      await gw.app.get(CommandBus).execute(new CreateSessionCommand(systemCtx(), userId, { ...session, sessionId }));
      return sessionId;
    },
    async createKey({ project = TEST_PROJECT, ...options }) {
      await settle(await admin.ensureProject(project));
      const key = await admin.createKey(project, options);
      await settle(key.position);
      return key;
    },
    async revokeKey(keyId) {
      await settle(await admin.revokeKey(TEST_PROJECT, keyId));
    },
    allEvents: () => gw.app.get(EventStore).readAll(null, 1_000_000),
    async restart() {
      await gw.app.close();
      return startEmbedded(gw.dataDir);
    },
    async close() {
      await gw.close();
      if (restartedOn) rmSync(restartedOn, { recursive: true, force: true });
    },
  };
}

/** KEY=value lines written by `npm run infra:up`. */
export function infraEnv(): Record<string, string> {
  const file = join(ROOT, '.infra/env');
  const fromFile = existsSync(file)
    ? Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]))
    : {};
  const env = { ...fromFile, ...(process.env.KAFKA_BROKERS ? { KAFKA_BROKERS: process.env.KAFKA_BROKERS } : {}), ...(process.env.MONGODB_URL ? { MONGODB_URL: process.env.MONGODB_URL } : {}) };
  if (!env.KAFKA_BROKERS || !env.MONGODB_URL) throw new Error('The distributed suite needs Kafka and FerretDB: run `npm run infra:up` (writes .infra/env).');
  return env;
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

export interface ManagedProcess {
  name: string;
  proc: ChildProcess;
  /** Its HTTP address (`http://127.0.0.1:<PORT>`): the API, /healthz or /metrics, whichever it serves. */
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnApp(name: string, script: string, env: Record<string, string>): ManagedProcess {
  const url = `http://127.0.0.1:${env.PORT ?? 3000}`;
  const proc = spawn(process.execPath, [join(ROOT, 'dist', script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  return {
    name,
    proc,
    url,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((ok) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return ok(proc.exitCode);
        const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        proc.once('exit', (code) => {
          clearTimeout(timer);
          ok(code);
        });
        proc.kill(signal);
      }),
  };
}

export async function waitForHttp(url: string, p: ManagedProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (p.proc.exitCode !== null) throw new Error(`${p.name} exited (${p.proc.exitCode}):\n${p.output()}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${p.name} not ready at ${url}:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The settings of one distributed stack: unique database, topic and data folder per suite. */
export function distributedEnv(dataDir: string): Record<string, string> {
  const infra = infraEnv();
  const suite = randomBytes(4).toString('hex');
  return {
    KAFKA_BROKERS: infra.KAFKA_BROKERS,
    MONGODB_URL: infra.MONGODB_URL,
    MONGODB_DATABASE: `users_e2e_${suite}`,
    EVENTS_TOPIC: `users.events.e2e.${suite}`,
    // Each suite has its own key: a hasher of another suite must never take its jobs.
    HASHING_REQUEST_TOPIC: `users.hashing.requests.e2e.${suite}`,
    HASHER_GROUP_ID: `users-hasher-e2e-${suite}`,
    DATA_DIR: dataDir,
    EVENT_STORE: 'sqlite',
    READ_MODEL: 'mongodb',
    HASHER: 'kafka',
    HASHER_SHARED_KEY: randomBytes(32).toString('base64'),
    PROJECTIONS: 'external',
    PUBLISHER: 'kafka',
    BOOTSTRAP_PROJECT_ID: TEST_PROJECT,
    BOOTSTRAP_API_KEY: TEST_KEY,
    DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
  };
}

export interface DistributedStack extends TestStack {
  env: Record<string, string>;
  processes: Record<'gateway' | 'projector' | 'hasher', ManagedProcess>;
  startProjector(): Promise<ManagedProcess>;
  startHasher(): ManagedProcess;
  events: EventStore;
  readStore: ReadModelStore;
}

export async function startDistributed(): Promise<DistributedStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'users-dist-'));
  const env = distributedEnv(dataDir);
  const startProjector = async () => {
    const port = await freePort();
    const p = spawnApp('projector', 'apps/projector/src/main.js', { ...env, PORT: String(port) });
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, p);
    return p;
  };
  // Its only HTTP is /metrics; a restarted hasher takes the port of the one before.
  const hasherPort = await freePort();
  const startHasher = () => spawnApp('hasher', 'apps/hasher/src/main.js', { ...env, PORT: String(hasherPort) });
  const startGateway = async () => {
    const port = await freePort();
    const p = spawnApp('gateway', 'apps/gateway/src/main.js', { ...env, PORT: String(port) });
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, p);
    return { p, url: `http://127.0.0.1:${port}` };
  };
  const hasher = startHasher();
  const projector = await startProjector();
  const gateway = await startGateway();

  // The test's own view of the stack, for what goes through the domain.
  const config = loadConfig(env);
  const events = withPersonalData(config, new SqliteEventStore(join(dataDir, 'events.sqlite'), { pollIntervalMs: 20 }));
  const { store: readStore } = await createReadModels(config, events);
  await readStore.bindLog(await events.identity());
  const sync = new CheckpointProjectionSync(readStore, ALL_PROJECTIONS.map((p) => p.name), (a, b) => events.comparePositions(a, b), { timeoutMs: 30_000 });
  const admin = new ProjectAdmin(events);
  const processes = { gateway: gateway.p, projector, hasher };
  let url = gateway.url;
  const stack: DistributedStack = {
    kind: 'distributed',
    env,
    processes,
    startProjector,
    startHasher,
    events,
    readStore,
    url,
    endpoint: `${url}/v1`,
    dataDir,
    http: (method, path, body, headers) => rawHttp(url, method, path, body, headers),
    async restart() {
      await Promise.all([processes.gateway.stop(), processes.projector.stop()]);
      processes.projector = await startProjector();
      const restarted = await startGateway();
      processes.gateway = restarted.p;
      url = stack.url = restarted.url;
      stack.endpoint = `${url}/v1`;
      return stack;
    },
    async createSession(userId, session) {
      const sessionId = newSessionId();
      await handleCommand({ events, sync }, CREATE_SESSION, userStreamId(TEST_PROJECT, userId), { ...session, sessionId, at: new Clock().now() }, systemCtx());
      return sessionId;
    },
    async createKey({ project = TEST_PROJECT, ...options }) {
      const created = await admin.ensureProject(project);
      if (created) await sync.waitFor(created);
      const key = await admin.createKey(project, options);
      if (key.position) await sync.waitFor(key.position);
      return key;
    },
    async revokeKey(keyId) {
      const position = await admin.revokeKey(TEST_PROJECT, keyId);
      if (position) await sync.waitFor(position);
    },
    allEvents: () => events.readAll(null, 1_000_000),
    async close() {
      await Promise.all(Object.values(processes).map((p) => p.stop()));
      await readStore.close();
      await events.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}
