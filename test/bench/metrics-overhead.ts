/**
 * What GET /metrics costs a request: CPU µs per GET user with METRICS=on and METRICS=off, each
 * side an embedded gateway driven by autocannon in the same process (its CPU is in both sides
 * alike), a fresh process per side and round: the default process metrics watch every GC of
 * their process, so an "off" gateway beside an "on" one would pay for them too. Rounds alternate
 * the sides, and CPU time, not wall time, is compared: other load on the machine slows both but
 * costs neither CPU. `npm run build`, then `node dist/test/bench/metrics-overhead.js`
 * (BENCH_METRICS_ROUNDS, BENCH_METRICS_REQUESTS).
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig } from '@lib/platform';
import { startGateway } from '../../apps/gateway/src/gateway.app';

const PROJECT = 'bench';
const KEY = 'bench-key-' + 'b'.repeat(40);
const ROUNDS = Number(process.env.BENCH_METRICS_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_METRICS_REQUESTS ?? 20_000);
const headers = { 'content-type': 'application/json', 'x-appwrite-project': PROJECT, 'x-appwrite-key': KEY };

async function gateway(metrics: 'on' | 'off') {
  const dataDir = mkdtempSync(join(tmpdir(), `users-bench-metrics-${metrics}-`));
  const config = { ...loadConfig({ METRICS: metrics }), port: 0, host: '127.0.0.1', dataDir, bootstrapProjectId: PROJECT, bootstrapApiKey: KEY, logLevel: 'silent' };
  const { app, url } = await startGateway(config, createLogger('silent'));
  const created = await fetch(`${url}/v1/users`, { method: 'POST', headers, body: JSON.stringify({ userId: 'u1', email: 'u1@bench.io', name: 'Bench' }) });
  if (created.status !== 201) throw new Error(`create → ${created.status}`);
  return {
    url,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** CPU µs of this process per request over `amount` GETs (32 connections, keep-alive). */
async function cpuPerGet(url: string, amount: number): Promise<number> {
  const before = process.cpuUsage();
  const result = await autocannon({ url: `${url}/v1/users/u1`, headers, connections: 32, amount });
  const used = process.cpuUsage(before);
  if (result.non2xx + result.errors > 0) throw new Error(`${result.non2xx + result.errors} failed requests`);
  return (used.user + used.system) / amount;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One side in this process: warm up, then measure; prints the µs. */
async function measureSide(side: 'on' | 'off') {
  const gw = await gateway(side);
  try {
    await cpuPerGet(gw.url, REQUESTS / 2);
    process.stdout.write(String(await cpuPerGet(gw.url, REQUESTS)));
  } finally {
    await gw.close();
  }
}

function main() {
  const samples: Record<'on' | 'off', number[]> = { on: [], off: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      samples[side].push(Number(execFileSync(process.execPath, [__filename, `--side=${side}`], { encoding: 'utf8' })));
    }
    process.stderr.write(`round ${round + 1}: off ${samples.off.at(-1)!.toFixed(1)} µs, on ${samples.on.at(-1)!.toFixed(1)} µs\n`);
  }
  // The least CPU a side needed is the one least inflated by the machine's other load.
  for (const [name, pick] of [['median', median], ['minimum', (xs: number[]) => Math.min(...xs)]] as const) {
    const [off, on] = [pick(samples.off), pick(samples.on)];
    console.log(`CPU per GET user, ${name} of ${ROUNDS} rounds of ${REQUESTS} (gateway + autocannon in one process): METRICS=off ${off.toFixed(1)} µs, METRICS=on ${on.toFixed(1)} µs, difference ${(on - off).toFixed(1)} µs (${((on / off - 1) * 100).toFixed(1)} %)`);
  }
}

const side = /^--side=(on|off)$/.exec(process.argv[2] ?? '')?.[1] as 'on' | 'off' | undefined;
if (side) {
  measureSide(side).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main();
}
