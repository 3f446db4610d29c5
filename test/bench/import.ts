/**
 * Bulk import (issue 11): users imported per second by `POST /v1/users/import` on the embedded
 * stack, BENCH_IMPORT_CALLS calls (default 3) of BENCH_IMPORT_LINES lines each (default 10,000,
 * the most one call takes) into one project that grows with them. Lines as a migration sends
 * them: every user with an email, a third with a phone, half with a bcrypt hash (stored as
 * imported, never re-hashed), the rest without password, every tenth labelled. Plain passwords
 * are left out: they are hashed at the pool's pace, not the import's. Then the same users
 * exported (`GET /v1/users/export`), lines per second.
 *
 *   node dist/test/bench/import.js [--check]   this section alone (once)
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { warmUpUserAgentParser } from '@lib/client-info';
import { createLogger, loadConfig } from '@lib/platform';
import { startGateway } from '../../apps/gateway/src/gateway.app';
import { runAlone } from './run-alone';

const PROJECT = 'import';
const KEY = 'import-key-' + 'i'.repeat(40);
const GOAL_PER_SECOND = 5_000;
/** A real bcrypt hash (cost 10) of "correct horse battery": what another system would hand over. */
const BCRYPT = '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';

function line(i: number): string {
  return JSON.stringify({
    userId: `imp${i}`,
    email: `user${i}@import.io`,
    ...(i % 3 === 0 ? { phone: `+1444${String(i).padStart(8, '0')}` } : {}),
    name: `Imported User ${i}`,
    ...(i % 2 === 0 ? { password: BCRYPT, hash: 'bcrypt', hashOptions: { type: 'bcrypt' } } : {}),
    ...(i % 10 === 0 ? { labels: ['migrated'] } : {}),
  });
}

export async function importBench(calls = Number(process.env.BENCH_IMPORT_CALLS ?? 3), perCall = Number(process.env.BENCH_IMPORT_LINES ?? 10_000)): Promise<{ lines: string[]; unmet: string[] }> {
  const lines: string[] = [];
  const unmet: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'users-import-'));
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir, bootstrapProjectId: PROJECT, bootstrapApiKey: KEY, logLevel: 'silent' };
  const { app, url } = await startGateway(config, createLogger('silent'));
  const headers = { 'x-appwrite-project': PROJECT, 'x-appwrite-key': KEY };
  // What a gateway does once after it starts, in the background (the user-agent regexes its log
  // projection compiles, ~0.5 s of CPU), done before the clock starts: it is no cost of an import.
  warmUpUserAgentParser();
  try {
    const load = loadavg()[0];
    const rates: number[] = [];
    let imported = 0;
    let seconds = 0;
    const cpu = process.cpuUsage();
    for (let c = 0; c < calls; c++) {
      const body = Array.from({ length: perCall }, (_, i) => line(c * perCall + i)).join('\n');
      const t = performance.now();
      const res = await fetch(`${url}/v1/users/import`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-ndjson' }, body });
      const answer = (await res.json()) as { imported: number; failed: unknown[]; message?: string };
      const took = (performance.now() - t) / 1000;
      if (res.status !== 200 || answer.imported !== perCall) throw new Error(`import call ${c + 1}: ${res.status} ${answer.message ?? `${answer.imported} imported, ${answer.failed.length} failed`}`);
      rates.push(perCall / took);
      imported += perCall;
      seconds += took;
    }
    const used = process.cpuUsage(cpu);
    const rate = imported / seconds;
    // The machine may be shared: CPU time per user says what the import costs whatever the others run.
    const cpuMs = (used.user + used.system) / 1000 / imported;
    const text = `bulk import (embedded): ${Math.round(rate)} users/s ≥ ${GOAL_PER_SECOND} over ${calls} calls of ${perCall} lines (each: ${rates.map((r) => Math.round(r)).join(', ')}; half bcrypt hashes, half without password; ${cpuMs.toFixed(3)} ms CPU per user, this process's threads; load average ${load.toFixed(2)} at the start)`;
    lines.push(`${text} ${rate >= GOAL_PER_SECOND ? '(met)' : '(NOT met)'}`);
    if (rate < GOAL_PER_SECOND) unmet.push(text);

    const t = performance.now();
    const res = await fetch(`${url}/v1/users/export`, { headers });
    const exported = (await res.text()).split('\n').filter(Boolean).length - 1;
    const took = (performance.now() - t) / 1000;
    if (res.status !== 200 || exported !== imported) throw new Error(`export: ${res.status}, ${exported} lines for ${imported} users`);
    lines.push(`  bulk export of those ${exported} users: ${Math.round(exported / took)} lines/s (${took.toFixed(1)} s)`);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { lines, unmet };
}

if (require.main === module) runAlone(() => importBench());
