/**
 * `npm run bench:keycloak` (issue 10): our gateway and Keycloak side by side on this machine, in
 * one run. Not part of CI and never fails on a number: it prints each round and the median ratio.
 *
 * Keycloak runs as a user would first try it: `kc.sh start-dev` (H2 file database, default heap)
 * on the machine's Java; we run as `npm start` does: the built gateway on embedded SQLite.
 * Each pair of runs is back to back (ours, then Keycloak's, and again per round), so a noisy
 * spell of the machine lands on both. Knobs: BENCH_KEYCLOAK_USERS (seeded users, default 5000),
 * BENCH_KEYCLOAK_SECONDS (per run, 10), BENCH_KEYCLOAK_CONNECTIONS (16,64),
 * BENCH_KEYCLOAK_ROUNDS (3), BENCH_KEYCLOAK_WARMUP (seconds per operation and side, 60).
 * A full run takes about a quarter of an hour.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureKeycloak, javaVersion, KEYCLOAK_VERSION } from './keycloak/distribution';
import { drive } from './keycloak/drive';
import { freePort, interrupted, startChild, stopAll, stopOnExit, waitUntil } from './keycloak/processes';
import { LABELS, roundsTable, summaryTable, type Round } from './keycloak/report';
import { AdminToken, KeycloakSide, OurSide, type Operation, type Side } from './keycloak/sides';

const ROOT = resolve(__dirname, '../../..');
const USERS = Number(process.env.BENCH_KEYCLOAK_USERS ?? 5000);
const SECONDS = Number(process.env.BENCH_KEYCLOAK_SECONDS ?? 10);
const CONNECTIONS = (process.env.BENCH_KEYCLOAK_CONNECTIONS ?? '16,64').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_KEYCLOAK_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_KEYCLOAK_WARMUP ?? 60);
const WARMUP_SLICE = 10;
const PROJECT = 'bench';
const KEY = 'bench-keycloak-key-' + 'k'.repeat(40);
const ADMIN = { username: 'admin', password: 'bench-admin-password' };
const REALM = 'bench';

const log = (line: string) => process.stderr.write(`bench:keycloak: ${line}\n`);
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function startKeycloak(home: string, logDir: string) {
  const [port, management] = [await freePort(), await freePort()];
  // A fresh H2 database each run, as our side gets a fresh DATA_DIR: the bootstrap admin is only
  // made in an empty master realm, and the users of an earlier run would change what is measured.
  rmSync(join(home, 'data'), { recursive: true, force: true });
  const child = startChild('keycloak', join(home, 'bin', 'kc.sh'), ['start-dev', `--http-port=${port}`, '--http-host=127.0.0.1', `--http-management-port=${management}`], {
    cwd: home,
    env: { ...process.env, KC_BOOTSTRAP_ADMIN_USERNAME: ADMIN.username, KC_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password },
    logFile: join(logDir, 'keycloak.log'),
  });
  const url = `http://127.0.0.1:${port}`;
  const ms = await waitUntil(child, 'readiness', 300_000, async () => (await fetch(`${url}/realms/master`)).status === 200);
  log(`Keycloak ready on ${url} after ${(ms / 1000).toFixed(1)} s (log: ${child.logFile})`);
  return url;
}

async function startOurs(dataDir: string, logDir: string) {
  const port = await freePort();
  const main = join(ROOT, 'dist', 'apps', 'gateway', 'src', 'main.js');
  // The embedded stack whatever the shell exports: the comparison is with `npm start`.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, BOOTSTRAP_PROJECT_ID: PROJECT, BOOTSTRAP_API_KEY: KEY, LOG_LEVEL: 'warn' };
  Object.assign(env, { EVENT_STORE: 'sqlite', READ_MODEL: 'sqlite', PROJECTIONS: 'inline', HASHER: 'local' });
  delete env.KAFKA_BROKERS;
  const child = startChild('gateway', process.execPath, [main], { cwd: ROOT, env, logFile: join(logDir, 'gateway.log') });
  const url = `http://127.0.0.1:${port}`;
  const ms = await waitUntil(child, '200 on /healthz', 60_000, async () => (await fetch(`${url}/healthz`)).status === 200);
  // /healthz answers before the bootstrap project exists; seeding needs the key to work.
  const headers = { 'x-appwrite-project': PROJECT, 'x-appwrite-key': KEY };
  await waitUntil(child, 'the bootstrap key', 60_000, async () => (await fetch(`${url}/v1/users`, { headers })).status === 200);
  log(`gateway ready on ${url} after ${(ms / 1000).toFixed(1)} s (log: ${child.logFile})`);
  return url;
}

/**
 * Unmeasured load before the rounds, logged slice by slice so the climb can be seen. A cold JVM
 * on two cores needs about a minute of it (Keycloak's GET by id climbed eightfold over its first
 * 80 s of load on a quiet 2-core machine): timing it cold would measure the JIT.
 */
async function warmUp(side: Side, op: Operation) {
  const rates: string[] = [];
  const failures: string[] = [];
  for (let left = WARMUP; left > 0; left -= WARMUP_SLICE) {
    const run = await drive(side, op, Math.max(...CONNECTIONS), Math.min(WARMUP_SLICE, left));
    rates.push(run.rate.toFixed(0));
    if (run.failures) failures.push(run.failures);
  }
  if (rates.length > 0) log(`warm-up, ${LABELS[op]}, ${side.name}: ${rates.join(' → ')}/s${failures.length ? `, failed: ${failures.join(' ')}` : ''}`);
}

/** Ours then Keycloak, ROUNDS times, for each connection count, after a warm-up of each. */
async function compare(op: Operation, ours: Side, keycloak: Side, rounds: Round[]) {
  for (const side of [ours, keycloak]) await warmUp(side, op);
  for (const connections of CONNECTIONS) {
    for (let round = 1; round <= ROUNDS; round++) {
      // A second between runs, so the background work one run leaves (WAL checkpoints, JIT, GC)
      // is not charged to the next side.
      await pause(1000);
      const a = await drive(ours, op, connections, SECONDS);
      await pause(1000);
      const b = await drive(keycloak, op, connections, SECONDS);
      rounds.push({ op, connections, round, ours: a, keycloak: b });
      log(`${LABELS[op]}, ${connections} connections, round ${round}: ours ${a.rate.toFixed(0)}/s, Keycloak ${b.rate.toFixed(0)}/s`);
    }
  }
}

async function main() {
  // Whatever else runs here shares the two sides' CPUs: printed so a reader can judge the noise.
  const idleLoad = loadavg()[0];
  const home = ensureKeycloak(ROOT, log);
  const java = javaVersion();
  const work = mkdtempSync(join(tmpdir(), 'bench-keycloak-'));
  // Keycloak's H2 files and our DATA_DIR: the next run starts from empty databases anyway.
  const removeData = () => {
    rmSync(join(home, 'data'), { recursive: true, force: true });
    rmSync(join(work, 'data'), { recursive: true, force: true });
  };
  stopOnExit(log, () => {
    removeData();
    rmSync(work, { recursive: true, force: true });
  });
  let admin: AdminToken | undefined;
  let done = false;
  try {
    const [kcUrl, ourUrl] = await Promise.all([startKeycloak(home, work), startOurs(join(work, 'data'), work)]);
    admin = new AdminToken(kcUrl, ADMIN.username, ADMIN.password);
    await admin.start();
    const keycloak = new KeycloakSide(kcUrl, REALM, admin);
    await keycloak.createRealm();
    const info = await keycloak.systemInfo();
    const ours = new OurSide(ourUrl, PROJECT, KEY);

    // The same users on both before any read, and reads before creates: the creates add as many
    // users as each side manages, which would leave the two directories of different sizes.
    for (const side of [ours, keycloak]) {
      const start = Date.now();
      await side.seed(USERS, 16);
      log(`seeded ${USERS} users into ${side.name} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    }
    const rounds: Round[] = [];
    for (const op of ['get', 'search', 'create'] as const) await compare(op, ours, keycloak, rounds);

    console.log(roundsTable(rounds));
    console.log();
    console.log(summaryTable(rounds));
    console.log();
    console.log(`Keycloak ${info.version} (asked for ${KEYCLOAK_VERSION}), start-dev, H2; on Java ${info.javaVersion} (${info.javaVm} ${info.javaVmVersion}, ${info.javaVendor}); \`java -version\`: ${java}.`);
    console.log(`Ours: the built gateway, embedded SQLite, LOG_LEVEL=warn, Node ${process.version}.`);
    console.log(`${USERS} users seeded into each before the reads; ${SECONDS} s per run, ${WARMUP} s warm-up per operation and side; ${cpus().length} CPUs shared by both servers and autocannon; loopback HTTP/1.1, keep-alive, no pipelining.`);
    console.log(`Load average (1 min) before the servers started: ${idleLoad.toFixed(2)}.`);
    done = true;
  } finally {
    admin?.stop();
    await stopAll();
    removeData();
    // The two server logs are what explains a failed run.
    if (done) rmSync(work, { recursive: true, force: true });
    else if (!interrupted()) log(`server logs kept in ${work}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    // After Ctrl-C the signal handler exits, once the servers are down.
    if (interrupted()) return;
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
