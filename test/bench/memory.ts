/**
 * Issue 10's memory and cold-start goals, measured on the built gateway as a child process (its
 * own RSS, its own start), never in-process: a bench process's heap and autocannon would blur
 * both numbers.
 *
 *   node dist/test/bench/memory.js           memory after a mixed load, then cold start
 *   node dist/test/bench/memory.js --soak    `npm run bench:soak`: RSS under a steady load
 *   node dist/test/bench/memory.js --startup cold start only
 *   node dist/test/bench/memory.js --memory  memory only
 *   add --check to exit non-zero when a goal is not met
 *
 * Sizes: BENCH_MEMORY_USERS (default 100000), BENCH_MEMORY_SECONDS (mixed load, default 30),
 * BENCH_SOAK_SECONDS (default 600), BENCH_SOAK_RATE (requests/s, default 200). BENCH_SEED_DIR
 * keeps the seeded data between runs (seeded there when it holds no events.sqlite, only copied
 * from after; empty it when the read models change). BENCH_GATEWAY runs another build's
 * main.js (before/after comparisons); BENCH_LOG_LEVEL is the child's (default warn).
 * BENCH_HEAP_SNAPSHOT=<dir> (diagnosis): the child writes a heap snapshot there after the readings
 * (the soak: at its start and at its end).
 */
import 'reflect-metadata';
import autocannon, { type Request } from 'autocannon';
import { CommandBus } from '@nestjs/cqrs';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, loadConfig } from '@lib/platform';
import { CreateUserCommand } from '@lib/users';
import { startGateway } from '../../apps/gateway/src/gateway.app';
import { freePort } from './keycloak/processes';
import { costPerRequest, heapSnapshot, memorySplit, rssSplit } from './memory-split';
import { median } from './stats';

const PROJECT = 'bench';
const KEY = 'bench-key-' + 'm'.repeat(40);
const USERS = Number(process.env.BENCH_MEMORY_USERS ?? 100_000);
const LOAD_SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 30);
/** Issue 10's goals: MB of RSS, ms to ready, MB per minute of growth in a soak. */
const [RSS_GOAL_MB, READY_GOAL_MS, SOAK_SLOPE_GOAL] = [300, 2000, 1];
const GATEWAY = resolve(process.env.BENCH_GATEWAY ?? join(__dirname, '../../apps/gateway/src/main.js'));
const HEADERS = { 'content-type': 'application/json', 'x-appwrite-project': PROJECT, 'x-appwrite-key': KEY };

/** lines: human-readable results, each judged line ending in (met) or (NOT met); unmet: the goals not met. */
export type BenchResult = { lines: string[]; unmet: string[] };

function judge(result: BenchResult, text: string, ok: boolean): void {
  result.lines.push(`${text} ${ok ? '(met)' : '(NOT met)'}`);
  if (!ok) result.unmet.push(text);
}

const mb = (kb: number) => (kb / 1024).toFixed(0);

/** Runs `task(0 … count-1)`, `concurrency` at a time. */
async function inParallel(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

// Seeding: 100k creates over HTTP would take minutes of every run. The seed runs the same
// CreateUserCommand through the same command bus, event store and inline projections as a
// request (the same events, claims and rows), without HTTP, at ~2,000/s; the child then
// starts on that data as a restarted service would.

let template: Promise<{ dir: string; seconds: number }> | undefined;

async function seed(dataDir: string, users: number): Promise<number> {
  const env = { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', BOOTSTRAP_PROJECT_ID: PROJECT, BOOTSTRAP_API_KEY: KEY, LOG_LEVEL: 'silent' };
  const { app } = await startGateway(loadConfig(env), createLogger('silent'));
  const bus = app.get(CommandBus);
  const started = performance.now();
  await inParallel(users, 64, async (i) => {
    const ctx = { projectId: PROJECT, actor: { type: 'apiKey' as const, id: 'memory-bench-seed' }, requestId: `seed-${i}`, ip: '127.0.0.1', userAgent: 'memory-bench' };
    await bus.execute(new CreateUserCommand(ctx, { userId: `u${i}`, email: `user${i}@bench.io`, phone: null, name: `User ${i % 97} Bench${i}`, password: { kind: 'none' } }));
    if (i % 20_000 === 19_999) process.stderr.write(`memory bench: seeded ${i + 1} users\n`);
  });
  const seconds = (performance.now() - started) / 1000;
  await app.close();
  return seconds;
}

/** One seeded data directory per process, copied for each run so every run starts from the same data. */
function seededTemplate(): Promise<{ dir: string; seconds: number }> {
  template ??= (async () => {
    const kept = process.env.BENCH_SEED_DIR;
    if (kept && existsSync(join(kept, 'events.sqlite'))) return { dir: kept, seconds: 0 };
    const dir = kept ?? mkdtempSync(join(tmpdir(), 'users-memory-seed-'));
    if (!kept) process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    return { dir, seconds: await seed(dir, USERS) };
  })();
  return template;
}

function copyOfTemplate(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'users-memory-run-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

// The child gateway.
interface Gateway {
  pid: number;
  url: string;
  /** From spawn to the first 200 of /readyz. */
  readyMs: number;
  rssKb(): { rss: number; peak: number };
  stop(): Promise<void>;
}

async function startChild(dataDir: string): Promise<Gateway> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, BOOTSTRAP_PROJECT_ID: PROJECT, BOOTSTRAP_API_KEY: KEY, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' };
  // The sink's file follows DATA_DIR, so runs never share one.
  delete env.EVENTS_FILE;
  const started = performance.now();
  const snapshots = process.env.BENCH_HEAP_SNAPSHOT;
  const child = spawn(process.execPath, snapshots ? ['--heapsnapshot-signal=SIGUSR2', GATEWAY] : [GATEWAY], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: snapshots });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let gone: string | null = null;
  const exited = new Promise<void>((ok) =>
    child.once('exit', (code, signal) => {
      gone = signal ? `signal ${signal}` : `code ${code}`;
      ok();
    }),
  );
  for (;;) {
    if (gone) throw new Error(`gateway exited (${gone}) before it was ready:\n${output}`);
    if (performance.now() - started > 120_000) {
      child.kill('SIGKILL');
      throw new Error(`gateway not ready after 120 s:\n${output}`);
    }
    const ok = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await sleep(5);
  }
  const readyMs = performance.now() - started;
  const pid = child.pid!;
  return {
    pid,
    url,
    readyMs,
    rssKb() {
      if (gone) throw new Error(`gateway exited (${gone}) during the run:\n${output}`);
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rss: field('VmRSS'), peak: field('VmHWM') };
    },
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// Load.
/** The bench's request mix in one rotation: create, get, list (page, filter + order + cursor, search), update. */
function mixedRequests(users: number, tag: string): Request[] {
  let created = 0;
  let renamed = 0;
  const someone = () => `u${Math.floor(Math.random() * users)}`;
  const q = (s: string) => `queries[]=${encodeURIComponent(s)}`;
  const at = (path: () => string, method: Request['method'] = 'GET', body?: () => unknown): Request => ({
    method,
    path: '/v1/users',
    setupRequest: (req: Request) => ({ ...req, path: path(), ...(body ? { body: JSON.stringify(body()) } : {}) }),
  });
  return [
    at(() => '/v1/users', 'POST', () => ({ userId: `${tag}${created}`, email: `${tag}${created}@memory.io`, name: `Memory ${created++}` })),
    at(() => `/v1/users/${someone()}`),
    at(() => '/v1/users'),
    at(() => `/v1/users/${someone()}/name`, 'PATCH', () => ({ name: `Renamed ${renamed++}` })),
    at(() => `/v1/users/${someone()}`),
    at(() => `/v1/users?${q('startsWith("email", "user1")')}&${q('orderDesc("name")')}&${q(`cursorAfter("${someone()}")`)}`),
    at(() => `/v1/users?search=bench${Math.floor(Math.random() * users)}`),
  ];
}

interface LoadSummary {
  requests: number;
  rate: number;
  errors: number;
}

async function mixedLoad(url: string, options: { seconds: number; connections: number; rate?: number; tag: string }): Promise<LoadSummary> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    headers: HEADERS,
    requests: mixedRequests(USERS, options.tag),
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  return { requests: result.requests.total, rate: result.requests.average, errors: result.errors + result.non2xx };
}

/**
 * One create answered = every projection caught up (writes answer only then). A data directory
 * seeded by an older build may be rebuilding a read model at first; load before that ends would
 * measure the rebuild and a storm of 503s, not the service.
 */
async function settled(gateway: Gateway): Promise<void> {
  const status = await call(gateway.url, 'POST', '/v1/users', { userId: `settle${Date.now()}`, email: `settle${Date.now()}@memory.io` });
  if (status !== 201) throw new Error(`the gateway answered its first create with ${status}`);
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(url + path, { method, headers: HEADERS, body: body === undefined ? undefined : JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

/** As the bench does: plain-password creates, four at a time (each hash takes 64 MiB in a worker). */
async function passwordCreates(url: string, tag: string, count: number): Promise<number> {
  let failed = 0;
  await inParallel(count, 4, async (i) => {
    if ((await call(url, 'POST', '/v1/users', { userId: `${tag}${i}`, password: `password-${tag}-${i}` })) !== 201) failed++;
  });
  return failed;
}

// The benches.
/** RSS of the gateway holding BENCH_MEMORY_USERS users, after the bench's mixed load. */
export async function memoryBench(): Promise<BenchResult> {
  const result: BenchResult = { lines: [], unmet: [] };
  const seeded = await seededTemplate();
  const dir = copyOfTemplate(seeded.dir);
  const gateway = await startChild(dir);
  try {
    await settled(gateway);
    const idle = gateway.rssKb();
    const { result: load, cost } = await costPerRequest(gateway.pid, gateway.url, () => mixedLoad(gateway.url, { seconds: LOAD_SECONDS, connections: 32, tag: 'm' }));
    const failedHashes = await passwordCreates(gateway.url, 'mp', 24);
    // Right after the load, RSS holds what garbage the last collection left (±30 MB run to run);
    // V8 shrinks the heap a few seconds after allocation stops: the lowest of 15 s is what a quiet service holds.
    const readings: number[] = [];
    while (readings.length < 15) {
      readings.push(gateway.rssKb().rss);
      await sleep(1000);
    }
    const quiet = Math.min(...readings);
    const split = `${rssSplit(gateway.pid)}; ${(await memorySplit(gateway.url)) ?? 'no /metrics'}`;
    if (seeded.seconds) result.lines.push(`memory: seeded ${USERS} users in ${seeded.seconds.toFixed(0)} s (${(USERS / seeded.seconds).toFixed(0)}/s, command bus, no HTTP)`);
    result.lines.push(
      `memory: RSS ${mb(idle.rss)} MB after start with ${USERS} users and one create; mixed load ${load.requests} requests at ${load.rate.toFixed(0)}/s (${load.errors} errors; the gateway's ${cost}), 24 password creates (${failedHashes} failed); RSS right after ${mb(readings[0])} MB, peak ${mb(gateway.rssKb().peak)} MB`,
    );
    const snapshot = process.env.BENCH_HEAP_SNAPSHOT ? `; heap snapshot ${await heapSnapshot(gateway.pid, gateway.url, process.env.BENCH_HEAP_SNAPSHOT)}` : '';
    result.lines.push(`memory: after the readings, ${split}${snapshot}`);
    judge(result, `memory: RSS with ${USERS} users after the mixed load (lowest of 15 s) = ${mb(quiet)} MB ≤ ${RSS_GOAL_MB} MB`, quiet / 1024 <= RSS_GOAL_MB);
  } finally {
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

/** Least-squares slope of (minute, MB) points. */
function slope(points: Array<[number, number]>): number {
  const sum = (f: (p: [number, number]) => number) => points.reduce((s, p) => s + f(p), 0);
  const mx = sum(([x]) => x) / points.length;
  const my = sum(([, y]) => y) / points.length;
  const den = sum(([x]) => (x - mx) ** 2);
  return den === 0 ? 0 : sum(([x, y]) => (x - mx) * (y - my)) / den;
}

/**
 * RSS every 10 s under a steady, rate-limited mixed load (and a password create every 10 s);
 * the first half is warm-up (caches filling, the heap finding its size), growth is the slope
 * of the second half. RSS swings by tens of MB with the collector's cycles and each 64 MiB
 * hash, more than a slow leak adds in minutes, so the slope is fitted to the lowest RSS of each
 * 10 s (read every second): what the process holds between collections, which a leak raises too.
 */
export async function soakBench(seconds = Number(process.env.BENCH_SOAK_SECONDS ?? 600)): Promise<BenchResult> {
  const result: BenchResult = { lines: [], unmet: [] };
  const seeded = await seededTemplate();
  const dir = copyOfTemplate(seeded.dir);
  const gateway = await startChild(dir);
  await settled(gateway).catch(async (err: unknown) => {
    await gateway.stop();
    throw err;
  });
  const lows: Array<[number, number]> = [];
  const readings: number[] = [];
  let low = Infinity;
  let ticks = 0;
  const started = performance.now();
  let hashes = 0;
  let failedHashes = 0;
  let hashing: Promise<unknown> = Promise.resolve();
  let failure: unknown = null;
  const sampler = setInterval(() => {
    let rss: number;
    try {
      rss = gateway.rssKb().rss / 1024;
    } catch (err) {
      failure ??= err;
      return;
    }
    low = Math.min(low, rss);
    if (++ticks % 10 !== 0) return;
    readings.push(rss);
    lows.push([(performance.now() - started) / 60_000, low]);
    low = Infinity;
    hashing = call(gateway.url, 'POST', '/v1/users', { userId: `sp${hashes++}`, password: 'soak-password' }).then((s) => s === 201 || failedHashes++, () => failedHashes++);
  }, 1000);
  const snapshots = process.env.BENCH_HEAP_SNAPSHOT;
  const snapshotAtStart = snapshots ? `; heap snapshot ${await heapSnapshot(gateway.pid, gateway.url, snapshots)}` : '';
  const splitAtStart = `${rssSplit(gateway.pid)}; ${(await memorySplit(gateway.url)) ?? 'no /metrics'}${snapshotAtStart}`;
  try {
    const rate = Number(process.env.BENCH_SOAK_RATE ?? 200);
    const load = await mixedLoad(gateway.url, { seconds, connections: 8, rate, tag: 's' });
    clearInterval(sampler);
    if (failure) throw failure;
    // The last hash's 64 MiB and the load's last garbage are not what the service holds.
    await hashing;
    await sleep(2000);
    const second = lows.slice(Math.floor(lows.length / 2));
    const growth = second.length >= 2 ? slope(second) : NaN;
    const end = gateway.rssKb().rss / 1024;
    result.lines.push(
      `soak: ${seconds} s, ${load.requests} requests at ${load.rate.toFixed(0)}/s (${load.errors} errors), ${hashes} password creates (${failedHashes} failed); RSS first ${readings[0]?.toFixed(0)} MB, max ${Math.max(...readings).toFixed(0)} MB, end ${end.toFixed(0)} MB`,
    );
    result.lines.push(`soak: at the start: ${splitAtStart}`);
    const snapshotAtEnd = snapshots ? `; heap snapshot ${await heapSnapshot(gateway.pid, gateway.url, snapshots)}` : '';
    result.lines.push(`soak: at the end: ${rssSplit(gateway.pid)}; ${(await memorySplit(gateway.url)) ?? 'no /metrics'}${snapshotAtEnd}`);
    result.lines.push(`soak: RSS every 10 s (MB): ${readings.map((r) => r.toFixed(0)).join(' ')}`);
    result.lines.push(`soak: lowest RSS of each 10 s (MB): ${lows.map(([, r]) => r.toFixed(0)).join(' ')}`);
    judge(result, `soak: RSS slope over the second half = ${growth.toFixed(2)} MB/min < ${SOAK_SLOPE_GOAL} MB/min`, growth < SOAK_SLOPE_GOAL);
    judge(result, `soak: RSS at the end = ${end.toFixed(0)} MB ≤ ${RSS_GOAL_MB} MB`, end <= RSS_GOAL_MB);
  } finally {
    clearInterval(sampler);
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

/** Cold start of the built gateway, spawn to ready: median of 5, on a fresh DATA_DIR and on one with the seeded users. */
export async function startupBench(): Promise<BenchResult> {
  const result: BenchResult = { lines: [], unmet: [] };
  const runs = 5;
  const measure = async (dataDir: () => string, keep: boolean) => {
    const ready: number[] = [];
    const firstCreate: number[] = [];
    for (let i = 0; i < runs; i++) {
      const dir = dataDir();
      const gateway = await startChild(dir);
      ready.push(gateway.readyMs);
      try {
        // What moving warm-ups behind readiness costs: the first write's answer time.
        const t = performance.now();
        await call(gateway.url, 'POST', '/v1/users', { userId: `start${i}${Date.now()}`, email: `start${i}-${Date.now()}@memory.io` });
        firstCreate.push(performance.now() - t);
      } finally {
        await gateway.stop();
        if (!keep) rmSync(dir, { recursive: true, force: true });
      }
    }
    return { ready, firstCreate };
  };
  const fresh = await measure(() => mkdtempSync(join(tmpdir(), 'users-start-')), false);
  const seeded = await seededTemplate();
  const dir = copyOfTemplate(seeded.dir);
  const full = await measure(() => dir, true);
  rmSync(dir, { recursive: true, force: true });
  for (const [name, m] of [['fresh DATA_DIR', fresh], [`DATA_DIR with ${USERS} users`, full]] as const) {
    const toFirstWrite = m.ready.map((r, i) => r + m.firstCreate[i]);
    result.lines.push(
      `cold start, ${name}: ready ${m.ready.map((x) => x.toFixed(0)).join(', ')} ms; first create after ready ${m.firstCreate.map((x) => x.toFixed(0)).join(', ')} ms (median spawn to first write ${median(toFirstWrite).toFixed(0)} ms)`,
    );
    judge(result, `cold start to ready, ${name}: median ${median(m.ready).toFixed(0)} ms ≤ ${READY_GOAL_MS} ms`, median(m.ready) <= READY_GOAL_MS);
  }
  return result;
}

async function main() {
  const only = (flag: string) => process.argv.includes(flag);
  const results = only('--soak') ? [await soakBench()] : only('--startup') ? [await startupBench()] : only('--memory') ? [await memoryBench()] : [await memoryBench(), await startupBench()];
  const lines = results.flatMap((r) => r.lines);
  const unmet = results.flatMap((r) => r.unmet);
  console.log(lines.map((l) => `- ${l}`).join('\n'));
  if (only('--check') && unmet.length > 0) {
    console.error(`\ngoals not met: ${unmet.join('; ')}`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
