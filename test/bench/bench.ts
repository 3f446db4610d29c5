/**
 * `npm run bench`: throughput and latency of the embedded gateway over loopback HTTP.
 * Speed goals live here, not in tests. Sizes: BENCH_USERS (default 5000).
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger, loadConfig } from '@lib/platform';
import { startGateway } from '../../apps/gateway/src/gateway.app';
import { ratioBench } from './ratios';
import { hashingBench } from './hashing';
import { loginBench } from './logins';
import { listScaleBench } from './list-scale';
import { replayBench } from './replay';
import { importBench } from './import';
import { memoryBench, startupBench } from './memory';
import { sealingBench } from './sealing';

const PROJECT = 'bench';
const KEY = 'bench-key-' + 'b'.repeat(40);
const USERS = Number(process.env.BENCH_USERS ?? 5000);

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'users-bench-'));
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir, bootstrapProjectId: PROJECT, bootstrapApiKey: KEY, logLevel: 'silent' };
  const { app, url } = await startGateway(config, createLogger('silent'));
  const headers = { 'content-type': 'application/json', 'x-appwrite-project': PROJECT, 'x-appwrite-key': KEY };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    await res.arrayBuffer();
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status}`);
  };
  const rows: string[][] = [];
  async function measure(name: string, count: number, concurrency: number, request: (i: number) => Promise<void>) {
    const latencies: number[] = [];
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const i = next++;
          const t = performance.now();
          await request(i);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
    rows.push([name, String(count), String(concurrency), (count / seconds).toFixed(0), pct(0.5), pct(0.95), pct(0.99), latencies[latencies.length - 1].toFixed(1)]);
    process.stderr.write(`${name}: done\n`);
  }

  await measure('create user (email, no password)', USERS, 16, (i) => call('POST', '/v1/users', { userId: `u${i}`, email: `user${i}@bench.io`, name: `User ${i % 97} Bench${i}` }));
  await measure('create user (plain password, argon2id 64 MiB)', 24, 4, (i) => call('POST', '/v1/users', { userId: `p${i}`, password: `password-${i}` }));
  await measure('get user', 2000, 16, (i) => call('GET', `/v1/users/u${i % USERS}`));
  await measure('update name', 2000, 16, (i) => call('PATCH', `/v1/users/u${i % USERS}/name`, { name: `Renamed ${i}` }));
  await measure('list users (default page of 25)', 500, 8, () => call('GET', '/v1/users'));
  const q = (s: string) => `queries[]=${encodeURIComponent(s)}`;
  await measure('list users (filter + order + cursor)', 500, 8, (i) => call('GET', `/v1/users?${q('startsWith("email", "user1")')}&${q('orderDesc("name")')}&${q(`cursorAfter("u${(i % 100) + 100}")`)}`));
  await measure('list users (search one word)', 500, 8, (i) => call('GET', `/v1/users?search=bench${i % USERS}`));

  const ratios = await ratioBench(url, headers, dataDir);

  const logins = await loginBench(url, PROJECT, KEY);
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  const hashing = await hashingBench();
  // Each of these starts its own gateway on its own data (100,000 users by default; the import's 30,000).
  const sections = [await listScaleBench(), await replayBench(), await importBench(), await sealingBench(), await memoryBench(), await startupBench()];
  const header = ['operation', 'requests', 'concurrency', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => '| ' + r.map((v, c) => v.padEnd(widths[c])).join(' | ') + ' |';
  console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
  console.log(`\n${USERS} users, embedded storage, Node ${process.version}, loopback HTTP.\n`);
  console.log([...ratios.lines, ...logins, ...hashing, ...sections.flatMap((x) => x.lines)].map((l) => `- ${l}`).join('\n'));
  const unmet = [...ratios.unmet, ...sections.flatMap((x) => x.unmet)];
  // `npm run bench:check`: the goals as an exit status (machines are noisy: not part of CI).
  if (process.argv.includes('--check') && unmet.length > 0) {
    console.error(`\ngoals not met: ${unmet.join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
