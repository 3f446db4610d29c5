/**
 * List Users at scale (issue 10): p95 latency over loopback HTTP of every List Users shape a
 * client pages with (filter + order + cursor, and `search`), against BENCH_LIST_USERS users
 * (default 100,000) on the embedded stack. The users are appended to the event log directly
 * (HTTP creates would take minutes) and the read models rebuilt from it before the gateway starts.
 * Requests go one at a time: the latency a client sees, not a throughput. The gateway runs in a
 * child process of its own, as deployed: in this one, the heap left by seeding and rebuilding
 * made every request pay for collecting it (about twice the CPU per request). On a shared
 * machine the gateway's CPU time per request is the steadier figure: latencies include the
 * waits for a core. The shapes run once the gateway's publisher has published the seeded log
 * (see publisher-caught-up.ts): a steady state, not a start-up catch-up.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '@lib/event-store';
import { versionOf } from '@lib/event-sourcing';
import { ALL_PROJECTIONS, createEventStore, createLogger, createReadModels, loadConfig, ServiceConfig } from '@lib/platform';
import { ProjectionRebuilder } from '@lib/read-models';
import { USER_EVENT_SCHEMA, userStreamId } from '@lib/users';
import { startGateway } from '../../apps/gateway/src/gateway.app';
import { publisherCaughtUp } from './publisher-caught-up';
import { runAlone } from './run-alone';

const PROJECT = 'scale';
const KEY = 'scale-key-' + 's'.repeat(40);
const P95_GOAL_MS = 20;
/** Requests per shape at most, and the time each shape may take: 100k-user shapes must not run for minutes when slow. */
const REQUESTS = Number(process.env.BENCH_LIST_REQUESTS ?? 120);
const SHAPE_SECONDS = Number(process.env.BENCH_LIST_SHAPE_SECONDS ?? 1.5);

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Donald', 'Edsger', 'Frances', 'Ken', 'Dennis', 'Margaret', 'John', 'Radia', 'Tim', 'Anita', 'Bjarne', 'Guido', 'Katherine', 'Niklaus', 'Sophie'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Knuth', 'Dijkstra', 'Allen', 'Thompson', 'Ritchie', 'Hamilton', 'Backus', 'Perlman', 'Berners', 'Borg', 'Stroustrup', 'Rossum', 'Johnson', 'Wirth', 'Wilson'];
const BASE_TIME = Date.parse('2024-01-01T00:00:00.000Z');
const at = (i: number) => new Date(BASE_TIME + i * 1000).toISOString().replace('Z', '+00:00');

/**
 * User i: a unique surname word `scale<i>` beside common first and last names (a rare and a
 * common search word), a phone for a third, every 10th blocked, every 4th verified, every 20th
 * labelled: filters then match from a handful to most users, as in a real directory.
 */
function userEvents(i: number): EventToAppend[] {
  const events: Array<{ type: string; data: Record<string, unknown> }> = [
    {
      type: 'UserCreated',
      data: {
        userId: `u${i}`,
        name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} Scale${i}`,
        email: `user${i}@scale.io`,
        phone: i % 3 === 0 ? `+1555${String(i).padStart(7, '0')}` : null,
        password: null,
        hash: 'argon2',
        hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 },
      },
    },
  ];
  if (i % 10 === 0) events.push({ type: 'UserStatusChanged', data: { status: false } });
  if (i % 4 === 0) events.push({ type: 'UserEmailVerificationChanged', data: { emailVerification: true } });
  if (i % 20 === 0) events.push({ type: 'UserLabelsReplaced', data: { labels: ['vip'] } });
  return events.map((e) => {
    const id = randomUUID();
    return { id, type: e.type, data: e.data, metadata: { eventId: id, occurredAt: at(i), schemaVersion: versionOf(USER_EVENT_SCHEMA, e.type), actor: { type: 'system', id: 'bench' }, requestId: 'bench', ip: '', userAgent: '' } };
  });
}

interface Shape {
  name: string;
  /** The query string of request `i` (cursors move with i). */
  query: (i: number) => string;
  /** Counted towards the goal (the others explain where the time goes). */
  goal: boolean;
}

const q = (s: string) => `queries[]=${encodeURIComponent(s)}`;

function shapes(n: number): Shape[] {
  const cursor = (i: number) => `u${(i * 7919) % n}`;
  const mid = at(Math.floor(n / 2));
  return [
    { name: 'default page (orderAsc by creation, total)', goal: true, query: () => '' },
    { name: 'startsWith(email,"user1") + orderDesc(name) + cursorAfter', goal: true, query: (i) => `${q('startsWith("email", "user1")')}&${q('orderDesc("name")')}&${q(`cursorAfter("${cursor(i)}")`)}` },
    { name: 'startsWith(email,"user1") + orderDesc(name) + cursorBefore', goal: true, query: (i) => `${q('startsWith("email", "user1")')}&${q('orderDesc("name")')}&${q(`cursorBefore("${cursor(i)}")`)}` },
    { name: 'equal(status,false) + orderAsc($createdAt) + limit(50)', goal: true, query: () => `${q('equal("status", [false])')}&${q('orderAsc("$createdAt")')}&${q('limit(50)')}` },
    { name: 'equal(emailVerification,true) + orderDesc(email) + cursorAfter', goal: true, query: (i) => `${q('equal("emailVerification", [true])')}&${q('orderDesc("email")')}&${q(`cursorAfter("${cursor(i)}")`)}` },
    { name: 'greaterThan($createdAt,mid) + orderAsc(email) + limit(25)', goal: true, query: () => `${q(`greaterThan("$createdAt", "${mid}")`)}&${q('orderAsc("email")')}&${q('limit(25)')}` },
    { name: 'greaterThan($createdAt,mid) + orderAsc(name) + cursorAfter', goal: true, query: (i) => `${q(`greaterThan("$createdAt", "${mid}")`)}&${q('orderAsc("name")')}&${q(`cursorAfter("${cursor(i)}")`)}` },
    { name: 'equal(email,one) + orderDesc(name)', goal: true, query: (i) => `${q(`equal("email", ["user${(i * 31) % n}@scale.io"])`)}&${q('orderDesc("name")')}` },
    { name: 'startsWith(email,rare) + orderAsc(phone)', goal: true, query: (i) => `${q(`startsWith("email", "user${(i * 31) % n}@")`)}&${q('orderAsc("phone")')}` },
    { name: 'contains(labels,vip) + orderDesc($updatedAt)', goal: true, query: () => `${q('contains("labels", ["vip"])')}&${q('orderDesc("$updatedAt")')}` },
    { name: 'isNotNull(phone) + orderAsc(phone) + cursorAfter', goal: true, query: (i) => `${q('isNotNull("phone")')}&${q('orderAsc("phone")')}&${q(`cursorAfter("${cursor(i)}")`)}` },
    { name: 'lessThan(name,"b") + orderDesc($createdAt) + limit(100)', goal: true, query: () => `${q('lessThan("name", "b")')}&${q('orderDesc("$createdAt")')}&${q('limit(100)')}` },
    { name: 'search one rare word', goal: true, query: (i) => `search=scale${(i * 31) % n}` },
    { name: 'search one common word', goal: true, query: (i) => `search=${LAST[i % LAST.length]}` },
    { name: 'search two words', goal: true, query: (i) => `search=${encodeURIComponent(`${FIRST[i % FIRST.length]} ${LAST[(i * 3) % LAST.length]}`)}` },
    { name: 'search two words + orderDesc(name)', goal: true, query: (i) => `search=${encodeURIComponent(`${FIRST[i % FIRST.length]} ${LAST[(i * 3) % LAST.length]}`)}&${q('orderDesc("name")')}` },
    { name: 'contains(name,"scale9") (substring) + orderAsc(name)', goal: true, query: () => `${q('contains("name", ["scale9"])')}&${q('orderAsc("name")')}` },
    { name: 'endsWith(email,"7@scale.io") + total=false', goal: false, query: () => `${q('endsWith("email", "7@scale.io")')}&total=false` },
    // What the total costs (counted up to Appwrite's APP_LIMIT_COUNT, 5000): the same shapes without it.
    { name: 'default page, total=false', goal: false, query: () => 'total=false' },
    { name: 'contains(labels,vip) + orderDesc($updatedAt), total=false', goal: false, query: () => `${q('contains("labels", ["vip"])')}&${q('orderDesc("$updatedAt")')}&total=false` },
    { name: 'search two words, total=false', goal: false, query: (i) => `search=${encodeURIComponent(`${FIRST[i % FIRST.length]} ${LAST[(i * 3) % LAST.length]}`)}&total=false` },
  ];
}

/** Appends `n` users' streams (see userEvents) to the embedded log in `dataDir`; the number of events. */
/** Appends the log of `n` users; `config` says where (and so which key store seals their events). */
export async function seedUsers(dataDir: string, n: number, config: Partial<ServiceConfig> = {}): Promise<number> {
  const events = createEventStore({ ...loadConfig({}), dataDir, ...config });
  let count = 0;
  try {
    for (let i = 0; i < n; i++) {
      const batch = userEvents(i);
      await events.append(userStreamId(PROJECT, `u${i}`), batch, 'no_stream');
      count += batch.length;
    }
  } finally {
    await events.close();
  }
  return count;
}

const gatewayConfig = (dataDir: string) => ({ ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir, bootstrapProjectId: PROJECT, bootstrapApiKey: KEY, logLevel: 'silent' });

async function rebuildAll(config: ReturnType<typeof loadConfig>): Promise<void> {
  const events = createEventStore(config);
  const { store } = await createReadModels(config, events);
  try {
    await new ProjectionRebuilder(events, store).rebuildAll(ALL_PROJECTIONS);
  } finally {
    await store.close();
    await events.close();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export async function listScaleBench(n = Number(process.env.BENCH_LIST_USERS ?? 100_000)): Promise<{ lines: string[]; unmet: string[] }> {
  const lines: string[] = [];
  const unmet: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'users-list-scale-'));
  try {
    let t = performance.now();
    const seeded = await seedUsers(dataDir, n);
    const seedSeconds = (performance.now() - t) / 1000;
    const config = gatewayConfig(dataDir);
    // The read models are built as `npm run replay -- all` builds them (one pass, in batches);
    // the gateway then only catches up on its bootstrap project, which startGateway waits for.
    t = performance.now();
    await rebuildAll(config);
    const rebuildSeconds = (performance.now() - t) / 1000;
    const gateway = fork(__filename, ['--serve', dataDir]);
    const [url] = (await Promise.race([once(gateway, 'message'), once(gateway, 'exit').then(([code]) => Promise.reject(new Error(`the gateway exited (${code}) before it was ready`)))])) as [string];
    const headers = { 'x-appwrite-project': PROJECT, 'x-appwrite-key': KEY };
    try {
      const publishing = await publisherCaughtUp(url);
      lines.push(
        `list at scale: ${n} users (${seeded} events) appended in ${seedSeconds.toFixed(1)} s; read models rebuilt from them in ${rebuildSeconds.toFixed(1)} s; ` +
          `measured once the gateway's publisher had caught up on them (${publishing.toFixed(1)} s)`,
      );
      // One pass over every shape first: a fresh process compiles its hot paths during its first
      // few hundred requests, which would otherwise all be charged to the first shapes.
      for (const shape of shapes(n)) for (let i = 0; i < 10; i++) await (await fetch(`${url}/v1/users${shape.query(i) ? `?${shape.query(i)}` : ''}`, { headers })).arrayBuffer();
      const worst: Array<{ name: string; p95: number }> = [];
      for (const shape of shapes(n)) {
        const latencies: number[] = [];
        let total = -1;
        let items = 0;
        let cpu = 0;
        const started = performance.now();
        // Three warm-ups (statements prepared, pages cached), then up to REQUESTS or SHAPE_SECONDS, but 10 at least.
        for (let i = 0; i < REQUESTS + 3 && (performance.now() - started < SHAPE_SECONDS * 1000 || latencies.length < 10); i++) {
          const path = `/v1/users${shape.query(i) ? `?${shape.query(i)}` : ''}`;
          if (i === 3) cpu = await cpuOf(gateway);
          const t0 = performance.now();
          const res = await fetch(url + path, { headers });
          const body = (await res.json()) as { total: number; users: unknown[]; message?: string };
          const ms = performance.now() - t0;
          if (res.status !== 200) throw new Error(`${shape.name}: GET ${path} → ${res.status} ${body.message ?? ''}`);
          if (i >= 3) latencies.push(ms);
          total = body.total;
          items = body.users.length;
        }
        cpu = (await cpuOf(gateway)) - cpu;
        latencies.sort((a, b) => a - b);
        const p95 = percentile(latencies, 0.95);
        lines.push(
          `  ${shape.name}: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms, gateway CPU ${Math.round(cpu / latencies.length)} µs/request (${latencies.length} requests; last: total ${total}, ${items} users)${shape.goal ? '' : ' [not a goal shape]'}`,
        );
        if (shape.goal) worst.push({ name: shape.name, p95 });
      }
      worst.sort((a, b) => b.p95 - a.p95);
      const over = worst.filter((w) => w.p95 > P95_GOAL_MS);
      const text = `list users over ${n} users, p95 of every filter/order/cursor and search shape ≤ ${P95_GOAL_MS} ms (worst: ${worst[0].name}, ${worst[0].p95.toFixed(1)} ms${over.length > 1 ? `; ${over.length} shapes over` : ''})`;
      lines.push(`${text} ${over.length === 0 ? '(met)' : '(NOT met)'}`);
      if (over.length > 0) unmet.push(text);
    } finally {
      gateway.send('stop');
      await once(gateway, 'exit');
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { lines, unmet };
}

/** The gateway's CPU time so far, µs (user + system), asked over IPC. */
async function cpuOf(gateway: ChildProcess): Promise<number> {
  gateway.send('cpu');
  const [us] = (await once(gateway, 'message')) as [number];
  return us;
}

/** The child: the gateway over `dataDir`; sends its URL, then answers `cpu` and `stop`. */
async function serve(dataDir: string): Promise<void> {
  const { app, url } = await startGateway(gatewayConfig(dataDir), createLogger('silent'));
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!(user + system);
    } else if (message === 'stop') {
      void app.close().then(() => process.exit(0));
    }
  });
  process.send!(url);
}

if (require.main === module && process.argv[2] === '--serve') {
  serve(process.argv[3]).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (require.main === module) {
  runAlone(() => listScaleBench());
}
