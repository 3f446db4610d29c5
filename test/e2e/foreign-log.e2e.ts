import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../support/test-stack';
import { runBuiltGateway } from '../support/built-gateway';

const DIST = resolve(__dirname, '../../dist/apps');
const PROJECT = 'foreign-log';
const KEY = 'foreign-log-key-' + 'k'.repeat(30);

const envFor = (dataDir: string, port: number) => ({ ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, BOOTSTRAP_PROJECT_ID: PROJECT, BOOTSTRAP_API_KEY: KEY, LOG_LEVEL: 'warn' });

/** Runs the compiled gateway until it is ready (resolves with a stop function) or exits (resolves with its output). */
const runGateway = (dataDir: string, port: number) => runBuiltGateway(port, envFor(dataDir, port));

const headers = { 'content-type': 'application/json', 'x-appwrite-project': PROJECT, 'x-appwrite-key': KEY };

describe('read models built from another event log', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'users-foreign-log-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('are refused with a pointer to the replay, and the replay rebuilds them from the new log', async () => {
    const port = await freePort();
    const first = await runGateway(dataDir, port);
    if (!first.ready) throw new Error(first.output);
    const created = await fetch(`http://127.0.0.1:${port}/v1/users`, { method: 'POST', headers, body: JSON.stringify({ userId: 'old', email: 'old@x.io' }) });
    expect(created.status).toBe(201);
    await first.stop();

    // A new, empty event log beside the old read models.
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `events.sqlite${suffix}`), { force: true });
    const refused = await runGateway(dataDir, port);
    expect(refused.ready).toBe(false);
    if (refused.ready) return;
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/belongs to event log .*`npm run replay -- users`/s);

    const replay = spawnSync(process.execPath, [join(DIST, 'projector/src/cli/replay.js'), 'all'], { env: envFor(dataDir, port), encoding: 'utf8' });
    expect(replay.status).toBe(0);
    // The downstream publisher too refuses to go on, until it is told to publish this log from its start.
    const stillRefused = await runGateway(dataDir, port);
    expect(stillRefused.ready).toBe(false);
    if (!stillRefused.ready) expect(stillRefused.output).toMatch(/`npm run replay -- publisher`/);
    const publisher = spawnSync(process.execPath, [join(DIST, 'projector/src/cli/replay.js'), 'publisher'], { env: envFor(dataDir, port), encoding: 'utf8' });
    expect(publisher.status).toBe(0);

    const again = await runGateway(dataDir, port);
    if (!again.ready) throw new Error(again.output);
    try {
      const list = (await (await fetch(`http://127.0.0.1:${port}/v1/users`, { headers })).json()) as { total: number };
      // The old log's user is gone with its log; the read models now follow the new one.
      expect(list.total).toBe(0);
      const fresh = await fetch(`http://127.0.0.1:${port}/v1/users`, { method: 'POST', headers, body: JSON.stringify({ userId: 'old', email: 'old@x.io' }) });
      expect(fresh.status).toBe(201);
    } finally {
      await again.stop();
    }
  });
});
