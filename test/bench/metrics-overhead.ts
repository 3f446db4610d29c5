/**
 * What GET /metrics costs a request: CPU µs per GET user with METRICS=on and METRICS=off, each
 * side an embedded gateway driven by autocannon in the same process (its CPU is in both sides
 * alike), one process per side: the default process metrics watch every GC of their process, so
 * an "off" gateway beside an "on" one would pay for them too. Both stay up and take turns, run
 * after run, so that drift and the machine's other load fall on both alike; CPU time, not wall
 * time, is compared. `npm run build`, then `node dist/test/bench/metrics-overhead.js`
 * (BENCH_METRICS_ROUNDS, BENCH_METRICS_REQUESTS: runs per side, requests per run).
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig } from '@lib/platform';
import { startGateway } from '../../apps/gateway/src/gateway.app';
import { median } from './stats';

const PROJECT = 'bench';
const KEY = 'bench-key-' + 'b'.repeat(40);
const ROUNDS = Number(process.env.BENCH_METRICS_ROUNDS ?? 20);
const REQUESTS = Number(process.env.BENCH_METRICS_REQUESTS ?? 10_000);
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

/** One side in this process, for the parent: answers each `run` message with the CPU µs per GET of one run. */
async function serveSide(side: 'on' | 'off') {
  const gw = await gateway(side);
  await cpuPerGet(gw.url, REQUESTS);
  process.on('message', (message) => {
    if (message === 'run') void cpuPerGet(gw.url, REQUESTS).then((us) => process.send!(us));
    else void gw.close().then(() => process.exit(0));
  });
  process.send!('ready');
}

async function run(child: ChildProcess): Promise<number> {
  child.send('run');
  const [us] = (await once(child, 'message')) as [number];
  return us;
}

async function main() {
  const children = { off: fork(__filename, ['--side=off']), on: fork(__filename, ['--side=on']) };
  for (const child of Object.values(children)) await once(child, 'message');
  const samples: Record<'on' | 'off', number[]> = { on: [], off: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) samples[side].push(await run(children[side]));
    process.stderr.write(`round ${round + 1}: off ${samples.off.at(-1)!.toFixed(1)} µs, on ${samples.on.at(-1)!.toFixed(1)} µs\n`);
  }
  for (const child of Object.values(children)) child.send('stop');
  const [off, on] = [median(samples.off), median(samples.on)];
  // Each round's two runs are neighbours in time: their difference is the least touched by drift.
  const paired = median(samples.on.map((us, i) => us - samples.off[i]));
  console.log(`CPU per GET user, median of ${ROUNDS} runs of ${REQUESTS} per side (gateway + autocannon in one process): METRICS=off ${off.toFixed(1)} µs, METRICS=on ${on.toFixed(1)} µs; median difference within a round ${paired.toFixed(1)} µs (${((paired / off) * 100).toFixed(1)} %)`);
}

const side = /^--side=(on|off)$/.exec(process.argv[2] ?? '')?.[1] as 'on' | 'off' | undefined;
(side ? serveSide(side) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
