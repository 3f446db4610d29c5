import { randomBytes } from 'node:crypto';
import { ALL_PROJECTIONS } from '@lib/platform';
import { ProjectAdmin } from '@lib/projects';
import { Exposition, parseExposition, samplesOf, valueOf } from '../support/prometheus-text';
import { startTestGateway } from '../support/test-gateway';
import { DistributedStack, freePort, spawnApp, startTestStack, TEST_KEY, TEST_PROJECT, TestStack, waitForHttp } from '../support/test-stack';

/**
 * GET /metrics over raw HTTP, on the stack E2E_STACK names: the embedded gateway (SQLite, or the
 * EventStoreDB adapter with test:esdb), or gateway + projector + hasher processes, each with its
 * own /metrics. The exposition is read strictly (test/support/prometheus-text.ts).
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

const PROJECTIONS = ALL_PROJECTIONS.map((p) => p.name);
const PASSWORD = `metrics-password-${randomBytes(6).toString('hex')}`;
const distributed = () => stack as DistributedStack;

async function scrape(base: string): Promise<{ status: number; contentType: string | null; text: string; metrics: Exposition }> {
  const res = await fetch(`${base}/metrics`);
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), text, metrics: res.status === 200 ? parseExposition(text) : parseExposition('') };
}

/** Every process of the stack that serves /metrics. */
const processUrls = () => (stack.kind === 'distributed' ? [stack.url, distributed().processes.projector.url, distributed().processes.hasher.url] : [stack.url]);
/** Where the read models and the publisher run: the gateway embedded, the projector distributed. */
const projectorUrl = () => (stack.kind === 'distributed' ? distributed().processes.projector.url : stack.url);

const requestCount = (m: Exposition, route: string, code = '200', method = 'GET') => valueOf(m, 'http_request_duration_seconds_count', { route, method, code });

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const lagsOf = (m: Exposition, name: string) => Object.fromEntries(samplesOf(m, name).map((s) => [s.labels.projection, s.value]));
const allZero = (lags: Record<string, number>) => PROJECTIONS.every((p) => lags[p] === 0);

describe('GET /metrics', () => {
  const ids = ['metrics-a', 'metrics-b', 'metrics-c'];
  beforeAll(async () => {
    for (const userId of ids) expect((await stack.http('POST', '/v1/users', { userId, email: `${userId}@metrics.io` })).status).toBe(201);
  });

  it('answers the Prometheus text format without a key, with the default process metrics', async () => {
    const { status, contentType, metrics } = await scrape(stack.url);
    expect([status, contentType]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect([name, metrics.types.has(name)]).toEqual([name, true]);
    }
  });

  it('counts requests by route template: N requests to each of two routes add N to each', async () => {
    const N = 9;
    const before = (await scrape(stack.url)).metrics;
    for (let i = 0; i < N; i++) expect((await stack.http('GET', `/v1/users/${ids[i % ids.length]}`)).status).toBe(200);
    for (let i = 0; i < N; i++) expect((await stack.http('GET', `/v1/users/${ids[i % ids.length]}/prefs`)).status).toBe(200);
    const after = (await scrape(stack.url)).metrics;
    expect(requestCount(after, '/v1/users/:userId') - requestCount(before, '/v1/users/:userId')).toBe(N);
    expect(requestCount(after, '/v1/users/:userId/prefs') - requestCount(before, '/v1/users/:userId/prefs')).toBe(N);
  });

  it('labels by template only: ids and unknown paths never become labels, status codes do', async () => {
    const before = (await scrape(stack.url)).metrics;
    const unknown = Array.from({ length: 3 }, () => `/no-such-route-${randomBytes(6).toString('hex')}`);
    for (const path of unknown) expect((await stack.http('GET', path)).status).toBe(404);
    expect((await stack.http('GET', '/v1/users/metrics-nobody')).status).toBe(404);
    const { text, metrics } = await scrape(stack.url);
    expect(requestCount(metrics, 'unmatched', '404') - requestCount(before, 'unmatched', '404')).toBe(3);
    expect(requestCount(metrics, '/v1/users/:userId', '404') - requestCount(before, '/v1/users/:userId', '404')).toBe(1);
    for (const raw of [...unknown, 'metrics-nobody', ...ids]) expect([raw, text.includes(raw)]).toEqual([raw, false]);
    const routes = new Set(samplesOf(metrics, 'http_request_duration_seconds_count').map((s) => s.labels.route));
    expect([...routes].filter((r) => r !== 'unmatched' && !r.startsWith('/'))).toEqual([]);
  });

  it('a latency histogram per route: cumulative buckets up to +Inf, which equals the count', async () => {
    const { metrics } = await scrape(stack.url);
    const labels = { route: '/v1/users/:userId', method: 'GET', code: '200' };
    const buckets = samplesOf(metrics, 'http_request_duration_seconds_bucket', labels);
    expect(buckets.length).toBeGreaterThanOrEqual(10);
    expect(buckets.at(-1)!.labels.le).toBe('+Inf');
    const counts = buckets.map((b) => b.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(buckets.at(-1)!.value).toBe(valueOf(metrics, 'http_request_duration_seconds_count', labels));
    expect(valueOf(metrics, 'http_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
    expect(metrics.types.get('http_request_duration_seconds')).toBe('histogram');
  });

  it('times event-store appends: their count grows with every write', async () => {
    const appended = async () => valueOf((await scrape(stack.url)).metrics, 'event_store_append_duration_seconds_count', { outcome: 'appended' });
    const before = await appended();
    const writes = 4;
    for (let i = 0; i < writes; i++) expect((await stack.http('PATCH', `/v1/users/${ids[0]}/name`, { name: `Renamed ${i}` })).status).toBe(200);
    expect((await appended()) - before).toBeGreaterThanOrEqual(writes);
    const buckets = samplesOf((await scrape(stack.url)).metrics, 'event_store_append_duration_seconds_bucket', { outcome: 'appended' });
    expect(buckets.at(-1)!.value).toBe(await appended());
  });

  it('projection lag: a series per projection, in events and seconds, 0 once the writes settled', async () => {
    expect((await stack.http('PATCH', `/v1/users/${ids[1]}/prefs`, { prefs: { settled: true } })).status).toBe(200);
    // Distributed, the gateway reads the projector's checkpoints and reports the same lag.
    for (const url of new Set([stack.url, projectorUrl()])) {
      const events = await until(`lag 0 at ${url}`, async () => lagsOf((await scrape(url)).metrics, 'projection_lag_events'), allZero);
      expect(Object.keys(events).sort()).toEqual([...PROJECTIONS].sort());
      expect(lagsOf((await scrape(url)).metrics, 'projection_lag_seconds')).toEqual(Object.fromEntries(PROJECTIONS.map((p) => [p, 0])));
    }
  });

  it('hashing: the queue depth, and the wait of every password hash', async () => {
    const pool = stack.kind === 'distributed' ? 'kafka' : 'local';
    const waits = async (url: string, p: string) => valueOf((await scrape(url)).metrics, 'hashing_wait_seconds_count', { pool: p, operation: 'hash' });
    const before = await waits(stack.url, pool);
    const beforeHasher = stack.kind === 'distributed' ? await waits(distributed().processes.hasher.url, 'local') : 0;
    expect((await stack.http('POST', '/v1/users', { userId: 'metrics-pw', password: PASSWORD })).status).toBe(201);
    const { metrics } = await scrape(stack.url);
    expect(valueOf(metrics, 'hashing_wait_seconds_count', { pool, operation: 'hash' }) - before).toBe(1);
    expect(samplesOf(metrics, 'hashing_queue_depth', { pool })).toHaveLength(1);
    if (stack.kind === 'distributed') {
      // The hasher's own pool did the work.
      const hasher = (await scrape(distributed().processes.hasher.url)).metrics;
      expect(valueOf(hasher, 'hashing_wait_seconds_count', { pool: 'local', operation: 'hash' }) - beforeHasher).toBe(1);
      expect(samplesOf(hasher, 'hashing_queue_depth', { pool: 'local' })).toHaveLength(1);
    }
  });

  it('the downstream publisher: publish latency, and its lag behind the log back to 0', async () => {
    const destination = stack.kind === 'distributed' ? distributed().env.EVENTS_TOPIC : 'jsonl:integration-events.jsonl';
    const published = async () => valueOf((await scrape(projectorUrl())).metrics, 'publisher_publish_duration_seconds_count', { destination });
    const before = await published();
    expect((await stack.http('PATCH', `/v1/users/${ids[2]}/name`, { name: 'Published' })).status).toBe(200);
    await until('a publish', published, (n) => n > before);
    await until('publisher lag 0', async () => valueOf((await scrape(projectorUrl())).metrics, 'publisher_lag_events', { destination }), (n) => n === 0);
    expect(valueOf((await scrape(projectorUrl())).metrics, 'publisher_lag_seconds', { destination })).toBe(0);
  });

  it('no secret anywhere: not the API key, not a password, not the hasher key', async () => {
    const secrets = [TEST_KEY, PASSWORD, ...(stack.kind === 'distributed' ? [distributed().env.HASHER_SHARED_KEY] : [])];
    for (const url of processUrls()) {
      const { status, text } = await scrape(url);
      expect(status).toBe(200);
      for (const secret of secrets) expect([url, text.includes(secret)]).toEqual([url, false]);
    }
  });
});

/**
 * Another gateway beside the stack's with extra settings: in this process on its own DATA_DIR
 * (embedded), or a process on the stack's Kafka, FerretDB and event log (distributed).
 */
async function startGatewayWith(env: Record<string, string>): Promise<{ url: string; close(): Promise<unknown> }> {
  if (stack.kind === 'embedded') {
    const gw = await startTestGateway({ env });
    return { url: gw.url, close: () => gw.close() };
  }
  const p = spawnApp('gateway', 'apps/gateway/src/main.js', { ...distributed().env, ...env, PORT: String(await freePort()) });
  await waitForHttp(`${p.url}/readyz`, p);
  return { url: p.url, close: () => p.stop() };
}

const ROUTE_NOT_FOUND = { message: 'Not Found', code: 404, type: 'general_route_not_found', version: '1.3.8' };

describe('METRICS and METRICS_PORT', () => {
  it('METRICS=off: /metrics is the route-not-found envelope', async () => {
    const gw = await startGatewayWith({ METRICS: 'off' });
    try {
      const res = await fetch(`${gw.url}/metrics`);
      expect([res.status, await res.json()]).toEqual([404, ROUTE_NOT_FOUND]);
      expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('METRICS_PORT: served there only; the API port answers 404, and each gateway counts only its own requests', async () => {
    const metricsPort = await freePort();
    const gw = await startGatewayWith({ METRICS_PORT: String(metricsPort) });
    try {
      const onApiPort = await fetch(`${gw.url}/metrics`);
      expect([onApiPort.status, await onApiPort.json()]).toEqual([404, ROUTE_NOT_FOUND]);
      const own = `http://127.0.0.1:${metricsPort}`;
      const elsewhere = await fetch(`${own}/v1/users`);
      expect([elsewhere.status, await elsewhere.json()]).toEqual([404, ROUTE_NOT_FOUND]);
      const before = (await scrape(stack.url)).metrics;
      for (let i = 0; i < 3; i++) expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
      const { status, metrics } = await scrape(own);
      expect(status).toBe(200);
      expect(requestCount(metrics, '/healthz')).toBe(3);
      // The stack's gateway did not see them (its own registry), and knows no series of the other's.
      expect(requestCount((await scrape(stack.url)).metrics, '/healthz')).toBe(requestCount(before, '/healthz'));
    } finally {
      await gw.close();
    }
  });
});

if (process.env.E2E_STACK === 'distributed') {
  describe('distributed: what only the other processes can tell', () => {
    it('a stopped projector: the gateway reports the lag of its checkpoints, back to 0 once a projector runs again', async () => {
      const stack = distributed();
      await stack.processes.projector.stop();
      try {
        // A key recorded while nobody projects (the admin does not wait for the read models).
        await new ProjectAdmin(stack.events).createKey(TEST_PROJECT, { name: 'while-projector-down', scopes: ['users.read'] });
        const { metrics } = await scrape(stack.url);
        const events = lagsOf(metrics, 'projection_lag_events');
        expect(Object.keys(events).sort()).toEqual([...PROJECTIONS].sort());
        // Every projection follows the whole log: each is at least that one event behind.
        expect(PROJECTIONS.filter((p) => events[p] < 1)).toEqual([]);
        expect(PROJECTIONS.filter((p) => !(lagsOf(metrics, 'projection_lag_seconds')[p] > 0))).toEqual([]);
      } finally {
        stack.processes.projector = await stack.startProjector();
      }
      await until('lag 0 on the gateway', async () => lagsOf((await scrape(stack.url)).metrics, 'projection_lag_events'), allZero, 60_000);
    });

    it('a projector with METRICS_PORT serves /metrics there and /healthz on PORT', async () => {
      const stack = distributed();
      const [port, metricsPort] = [await freePort(), await freePort()];
      const projector = spawnApp('projector', 'apps/projector/src/main.js', { ...stack.env, PORT: String(port), METRICS_PORT: String(metricsPort) });
      try {
        await waitForHttp(`${projector.url}/healthz`, projector);
        expect((await fetch(`${projector.url}/metrics`)).status).toBe(404);
        const { status, metrics } = await scrape(`http://127.0.0.1:${metricsPort}`);
        expect(status).toBe(200);
        expect(Object.keys(lagsOf(metrics, 'projection_lag_events')).sort()).toEqual([...PROJECTIONS].sort());
      } finally {
        await projector.stop();
      }
    });
  });
}
