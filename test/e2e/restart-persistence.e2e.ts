import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Query, Users } from 'node-appwrite';

const MAIN = resolve(__dirname, '../../dist/apps/gateway/src/main.js');
const PROJECT = 'restart-project';
const KEY = 'restart-key-' + 'z'.repeat(30);

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

/** `npm start` as a newcomer runs it: the compiled gateway as its own process. */
async function startProcess(dataDir: string, port: number): Promise<{ proc: ChildProcess; output: () => string }> {
  const proc = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, BOOTSTRAP_PROJECT_ID: PROJECT, BOOTSTRAP_API_KEY: KEY, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`gateway exited: ${out}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return { proc, output: () => out };
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`gateway not ready: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const stop = (proc: ChildProcess) =>
  new Promise<number | null>((ok) => {
    proc.once('exit', (code) => ok(code));
    proc.kill('SIGTERM');
  });

describe('restart persistence (separate process, like npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'users-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps users, prefs, logs and uniqueness across a stop and start; logs hold no secrets', async () => {
    expect(existsSync(MAIN)).toBe(true);
    const port = await freePort();
    const users = new Users(new Client().setEndpoint(`http://127.0.0.1:${port}/v1`).setProject(PROJECT).setKey(KEY));

    const first = await startProcess(dataDir, port);
    const created: any = await users.create('persisted', 'persisted@example.com', '+15550001111', 'super-secret-password', 'Kept');
    await users.updatePrefs('persisted', { theme: 'dark' });
    await users.updateName('persisted', 'Kept Still');
    await users.updatePassword('persisted', 'another-secret-password');
    expect(await stop(first.proc)).toBe(0);

    const second = await startProcess(dataDir, port);
    try {
      const after: any = await users.get('persisted');
      expect(after).toMatchObject({ $id: 'persisted', name: 'Kept Still', email: 'persisted@example.com', prefs: { theme: 'dark' }, $createdAt: created.$createdAt });
      expect((await users.list([Query.equal('$id', 'persisted')]) as any).total).toBe(1);
      expect((await users.listLogs('persisted') as any).total).toBe(4);
      await expect(users.create('other', 'persisted@example.com')).rejects.toMatchObject({ type: 'user_already_exists' });
    } finally {
      await stop(second.proc);
    }
    const logs = first.output() + second.output();
    expect(logs).toContain('"msg"');
    for (const secret of ['super-secret-password', 'another-secret-password', KEY, '$argon2id$']) expect(logs).not.toContain(secret);
  }, 90_000);
});
