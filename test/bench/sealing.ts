/**
 * What sealing personal data costs (issue 11: "the bench must not regress more than 10 %"): the
 * gateway's own CPU per request, read from /proc, with the users' personal fields sealed (the
 * product) and with a policy that names no one (every event passes the seal untouched), for
 * create, update name, get (a control: reads come from the read models, not the log) and a bulk
 * import call. Each side is a gateway process of its own on its own data; the sides take turns,
 * round after round (A B, B A, ...), so drift and the machine's other load fall on both alike.
 * An operation's CPU is counted until its gateway is idle again: what its projections do after
 * the answers belongs to it.
 *
 *   node dist/test/bench/sealing.js [--check]   this section alone
 *   (BENCH_SEALING_ROUNDS, BENCH_SEALING_REQUESTS: rounds, requests per operation and round)
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PersonalDataPolicy } from '@lib/personal-data';
import { createLogger, loadConfig } from '@lib/platform';
import { startGateway } from '../../apps/gateway/src/gateway.app';
import { settledCpuMicros } from './memory-split';
import { runAlone, type SectionResult } from './run-alone';
import { median } from './stats';

const PROJECT = 'sealing';
const KEY = 'sealing-key-' + 's'.repeat(40);
const ROUNDS = Number(process.env.BENCH_SEALING_ROUNDS ?? 6);
const REQUESTS = Number(process.env.BENCH_SEALING_REQUESTS ?? 3_000);
const IMPORT_LINES = 2_000;
const CEILING = 1.1;
const headers = { 'content-type': 'application/json', 'x-appwrite-project': PROJECT, 'x-appwrite-key': KEY };

type Side = 'sealed' | 'unsealed';
const SIDES: Side[] = ['unsealed', 'sealed'];

/** No stream is anyone's: the seal passes every event through as it is. */
const NOBODY: PersonalDataPolicy = { subjectOf: () => null, fieldsOf: () => [], isErasure: () => false };

/** The gateway of one side, in this (child) process, until the parent says stop. */
async function serveSide(side: Side) {
  const dataDir = mkdtempSync(join(tmpdir(), `users-bench-sealing-${side}-`));
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir, bootstrapProjectId: PROJECT, bootstrapApiKey: KEY, logLevel: 'silent' };
  const { app, url } = await startGateway(config, createLogger('silent'), side === 'unsealed' ? { personalData: NOBODY } : {});
  process.on('message', () => void app.close().then(() => rmSync(dataDir, { recursive: true, force: true })).then(() => process.exit(0)));
  process.send!(url);
}

interface Operation {
  name: string;
  /** Runs the operation once for round `round` (users of its own per round); how many requests it made. */
  run(url: string, round: number): Promise<number>;
}

async function load(opts: autocannon.Options): Promise<number> {
  const result = await autocannon({ connections: 16, ...opts });
  if (result.non2xx + result.errors > 0) throw new Error(`${opts.title}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.total;
}

const userId = (round: number, i: number) => `r${round}u${i}`;

const OPERATIONS: Operation[] = [
  {
    name: 'create user',
    run(url, round) {
      let i = 0;
      return load({ title: 'create', url, amount: REQUESTS, headers, requests: [{ method: 'POST', path: '/v1/users', setupRequest: (req) => ({ ...req, body: JSON.stringify({ userId: userId(round, i), email: `${userId(round, i)}@sealing.io`, phone: `+1555${String(round * REQUESTS + i++).padStart(8, '0')}`, name: 'Sealed Person' }) }) }] });
    },
  },
  {
    name: 'update name',
    run(url, round) {
      let i = 0;
      return load({ title: 'update name', url, amount: REQUESTS, headers, requests: [{ method: 'PATCH', setupRequest: (req) => ({ ...req, path: `/v1/users/${userId(round, i % REQUESTS)}/name`, body: JSON.stringify({ name: `Renamed ${i++}` }) }) }] });
    },
  },
  {
    name: 'get user',
    run(url, round) {
      let i = 0;
      return load({ title: 'get', url, amount: REQUESTS, headers, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/users/${userId(round, i++ % REQUESTS)}` }) }] });
    },
  },
  {
    name: `import (${IMPORT_LINES} lines per call)`,
    async run(url, round) {
      const body = Array.from({ length: IMPORT_LINES }, (_, i) => JSON.stringify({ userId: `r${round}i${i}`, email: `r${round}i${i}@import.io`, name: `Imported ${i}` })).join('\n');
      const res = await fetch(`${url}/v1/users/import`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-ndjson' }, body });
      const answer = (await res.json()) as { imported?: number; message?: string };
      if (res.status !== 200 || answer.imported !== IMPORT_LINES) throw new Error(`import: ${res.status} ${answer.message ?? answer.imported}`);
      return IMPORT_LINES;
    },
  },
];

export async function sealingBench(): Promise<SectionResult> {
  const children = new Map<Side, { child: ChildProcess; url: string }>();
  for (const side of SIDES) {
    const child = fork(__filename, [`--side=${side}`], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const [url] = (await once(child, 'message')) as [string];
    children.set(side, { child, url });
  }
  // cpu[operation][side]: µs of the gateway's CPU per request, one per round; rate likewise, requests/s.
  const cpu = OPERATIONS.map(() => ({ sealed: [] as number[], unsealed: [] as number[] }));
  const rate = OPERATIONS.map(() => ({ sealed: [] as number[], unsealed: [] as number[] }));
  try {
    // Round 0 warms both up (JIT, caches) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const side of round % 2 ? [...SIDES].reverse() : SIDES) {
        const { child, url } = children.get(side)!;
        for (const [o, operation] of OPERATIONS.entries()) {
          const [before, t] = [await settledCpuMicros(child.pid!), performance.now()];
          const requests = await operation.run(url, round);
          const seconds = (performance.now() - t) / 1000;
          const used = (await settledCpuMicros(child.pid!)) - before;
          if (round === 0) continue;
          cpu[o][side].push(used / requests);
          rate[o][side].push(requests / seconds);
        }
      }
    }
  } finally {
    for (const { child } of children.values()) child.send('stop');
  }
  const lines = [`sealing cost (embedded gateway's CPU per request, sealed ÷ unsealed, median of ${ROUNDS} alternating rounds of ${REQUESTS} requests per operation; ≤ ${CEILING.toFixed(2)} for writes):`];
  const unmet: string[] = [];
  for (const [o, { name }] of OPERATIONS.entries()) {
    // Each round's two runs are neighbours in time: their ratio is the least touched by drift.
    const ratio = median(cpu[o].sealed.map((us, r) => us / cpu[o].unsealed[r]));
    const [s, u] = [median(cpu[o].sealed), median(cpu[o].unsealed)];
    const speed = median(rate[o].unsealed.map((x, r) => x / rate[o].sealed[r]));
    lines.push(`  ${name}: ${ratio.toFixed(3)} (CPU ${s.toFixed(0)} vs ${u.toFixed(0)} µs per request; throughput unsealed ÷ sealed ${speed.toFixed(3)}; rounds ${cpu[o].sealed.map((us, r) => (us / cpu[o].unsealed[r]).toFixed(2)).join(', ')})`);
    if (name !== 'get user' && ratio > CEILING) unmet.push(`sealing cost of ${name} ${ratio.toFixed(3)} > ${CEILING}`);
  }
  return { lines, unmet };
}

const side = /^--side=(sealed|unsealed)$/.exec(process.argv[2] ?? '')?.[1] as Side | undefined;
if (side) {
  serveSide(side).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (require.main === module) runAlone(sealingBench);
