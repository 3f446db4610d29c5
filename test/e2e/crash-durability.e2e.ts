import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ManagedProcess, spawnApp, waitForHttp } from '../support/test-stack';

/**
 * Writes are committed in groups (one SQLite transaction per event-loop turn) and answered only
 * after their group's commit: a `kill -9` in the middle of a create load may lose requests that
 * were never answered, but never one that was.
 */
const PROJECT = 'crash-project';
const KEY = 'crash-key-' + 'k'.repeat(32);

function start(dataDir: string, port: number): ManagedProcess {
  return spawnApp('gateway', 'apps/gateway/src/main.js', { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, BOOTSTRAP_PROJECT_ID: PROJECT, BOOTSTRAP_API_KEY: KEY, LOG_LEVEL: 'warn' });
}

describe('kill -9 under a create load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'users-crash-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loses no answered write: every 201 is there after a restart, in the log and in every read model', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const headers = { 'content-type': 'application/json', 'x-appwrite-project': PROJECT, 'x-appwrite-key': KEY };
    const first = start(dataDir, port);
    await waitForHttp(`${url}/readyz`, first);

    const acknowledged: string[] = [];
    let next = 0;
    let killed = false;
    const workers = Array.from({ length: 24 }, async () => {
      while (!killed) {
        const i = next++;
        try {
          const res = await fetch(`${url}/v1/users`, { method: 'POST', headers, body: JSON.stringify({ userId: `crash-${i}`, email: `crash-${i}@example.com`, name: `Crash w${i}x` }) });
          if (res.status === 201) acknowledged.push(`crash-${i}`);
          await res.arrayBuffer();
        } catch {
          /* the connection died with the process: not answered, so not promised */
        }
      }
    });
    // Kill once the load is well under way, in the middle of whatever group is being committed.
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 10));
    first.proc.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    await first.stop();

    const second = start(dataDir, port);
    try {
      await waitForHttp(`${url}/readyz`, second);
      const missing: string[] = [];
      for (const userId of acknowledged) {
        const res = await fetch(`${url}/v1/users/${userId}`, { headers });
        if (res.status !== 200) missing.push(userId);
        await res.arrayBuffer();
      }
      expect(missing).toEqual([]);
      // The search words (another table of the read model) and the logs have them too.
      const sample = acknowledged.slice(-5);
      for (const userId of sample) {
        const found = (await (await fetch(`${url}/v1/users?search=w${userId.slice('crash-'.length)}x`, { headers })).json()) as { users: Array<{ $id: string }> };
        expect(found.users.map((u) => u.$id)).toContain(userId);
        const logs = (await (await fetch(`${url}/v1/users/${userId}/logs`, { headers })).json()) as { total: number };
        expect(logs.total).toBeGreaterThanOrEqual(1);
      }
      // Uniqueness held across the crash: an acknowledged email cannot be taken again.
      const again = await fetch(`${url}/v1/users`, { method: 'POST', headers, body: JSON.stringify({ userId: 'crash-again', email: `${acknowledged[0]}@example.com` }) });
      expect(again.status).toBe(409);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
