/**
 * Replay rates (issue 10): how fast the read models are rebuilt from the log, blue/green, as
 * `npm run replay` does (ProjectionRebuilder: batches read once, applied in one write per batch,
 * then swapped in). Every read model is rebuilt on its own (`replay -- <projection>`), timed from
 * start to swap (the event count, the pass and the swap included), then (SQLite) all of them in
 * one pass (`replay -- all`). Into SQLite always; into MongoDB when MONGODB_URL is set (FerretDB here).
 * Besides the rate, this process's CPU time per event: the machine may be shared, the CPU time
 * is what a change moves. The log: BENCH_REPLAY_USERS users (default 30,000) as the list bench
 * makes them (about 1.4 events each: creations, then status, verification and label changes),
 * sealed with the key store of the stack measured (SQLite's file, or MongoDB's collection).
 * On its own: `node dist/test/bench/replay.js` (after the build).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { ALL_PROJECTIONS, createEventStore, createReadModels, loadConfig, ServiceConfig } from '@lib/platform';
import { ProjectionRebuilder } from '@lib/read-models';
import { seedUsers } from './list-scale';
import { runAlone } from './run-alone';

const GOALS = { sqlite: 20_000, mongodb: 5_000 };

interface Measured {
  lines: string[];
  /** The slowest read model's rebuild. */
  slowest: { projection: string; rate: number };
}

const cpuPerEvent = (since: NodeJS.CpuUsage, events: number): string => {
  const { user, system } = process.cpuUsage(since);
  return ((user + system) / Math.max(events, 1)).toFixed(1);
};

async function measure(config: ServiceConfig, events: number, onePass: boolean): Promise<Measured> {
  const log = createEventStore(config);
  const { store } = await createReadModels(config, log);
  const lines: string[] = [];
  let slowest = { projection: '', rate: Infinity };
  try {
    const rebuilder = new ProjectionRebuilder(log, store);
    const single: string[] = [];
    for (const projection of ALL_PROJECTIONS) {
      const t = performance.now();
      const cpu = process.cpuUsage();
      const done = await rebuilder.rebuild(projection);
      const rate = done.applied / ((performance.now() - t) / 1000);
      single.push(`${projection.name} ${Math.round(rate)} (${cpuPerEvent(cpu, done.applied)} CPU µs each)`);
      if (rate < slowest.rate) slowest = { projection: projection.name, rate };
    }
    lines.push(`  each read model rebuilt on its own (events/s, start to swap): ${single.join(', ')}`);
    if (!onePass) return { lines, slowest };
    const t = performance.now();
    const cpu = process.cpuUsage();
    await rebuilder.rebuildAll(ALL_PROJECTIONS);
    const seconds = (performance.now() - t) / 1000;
    lines.push(
      `  all ${ALL_PROJECTIONS.length} in one pass: ${seconds.toFixed(1)} s, ${Math.round(events / seconds)} log events/s (${Math.round((events * ALL_PROJECTIONS.length) / seconds)} events applied/s across the read models; ${cpuPerEvent(cpu, events)} CPU µs per log event)`,
    );
  } finally {
    await store.close();
    await log.close();
  }
  return { lines, slowest };
}

export async function replayBench(users = Number(process.env.BENCH_REPLAY_USERS ?? 30_000)): Promise<{ lines: string[]; unmet: string[] }> {
  const lines: string[] = [];
  const unmet: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'users-replay-'));
  try {
    const events = await seedUsers(dataDir, users);
    lines.push(`replay: a log of ${events} events (${users} users)`);
    const base = { ...loadConfig({}), dataDir };
    const goal = (store: 'sqlite' | 'mongodb', m: Measured) => {
      const text = `replay into ${store === 'sqlite' ? 'SQLite' : 'MongoDB (FerretDB here)'}: slowest read model ${m.slowest.projection} at ${Math.round(m.slowest.rate)} events/s ≥ ${GOALS[store]}`;
      lines.push(`${text} ${m.slowest.rate >= GOALS[store] ? '(met)' : '(NOT met)'}`, ...m.lines);
      if (m.slowest.rate < GOALS[store]) unmet.push(text);
    };
    goal('sqlite', await measure({ ...base, readModel: 'sqlite' }, events, true));

    const url = process.env.MONGODB_URL?.trim();
    if (!url) {
      lines.push('replay into MongoDB: skipped, MONGODB_URL is not set (`npm run infra:up` starts FerretDB and writes its URL to .infra/env)');
    } else {
      const database = `bench_replay_${randomBytes(4).toString('hex')}`;
      // A log of its own: its events sealed with keys in MongoDB, where this stack keeps them.
      const mongoDir = join(dataDir, 'mongodb');
      const config: ServiceConfig = { ...base, dataDir: mongoDir, readModel: 'mongodb', mongodbUrl: url, mongodbDatabase: database };
      try {
        await seedUsers(mongoDir, users, config);
        // Not in one pass: FerretDB takes one writer at a time, so the shadows' concurrent batches
        // only queue there (and the bench would run past a minute).
        goal('mongodb', await measure(config, events, false));
      } finally {
        const { MongoClient } = await import('mongodb');
        const client = await MongoClient.connect(url);
        await client.db(database).dropDatabase().catch(() => undefined);
        await client.close();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { lines, unmet };
}

if (require.main === module) runAlone(() => replayBench());
