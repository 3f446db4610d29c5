import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStoreDb } from '@lib/event-store';
import { SqliteEventStore } from '@lib/event-store';
import { KNOWN_SCOPES, projectStreamId } from '@lib/projects';
import { jsonLines, KEYS_CLI, runKeys } from '../support/run-process';
import { startTestGateway, TEST_PROJECT } from '../support/test-gateway';
import { rawHttp } from '../support/raw-http';

/** `npm run keys` as a user runs it: the compiled CLI as a child process on a temp DATA_DIR. */
describe('keys CLI (dist/apps/gateway/src/cli/keys.js)', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'users-keys-cli-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** The event types of a project's stream in a DATA_DIR's SQLite log. */
  async function projectEvents(dataDir: string, project: string) {
    if (!existsSync(join(dataDir, 'events.sqlite'))) return [];
    const events = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    try {
      return await events.readStream(projectStreamId(project));
    } finally {
      await events.close();
    }
  }

  beforeAll(() => {
    if (!existsSync(KEYS_CLI)) throw new Error(`${KEYS_CLI} is missing: run \`npm run build\` first`);
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    for (const args of [['--help'], ['-h'], ['create', '--help'], ['help']]) {
      const res = await runKeys(args, { DATA_DIR: tempDir() });
      expect([args, res.code, res.stderr]).toEqual([args, 0, '']);
      expect(res.stdout).toMatch(/^usage: /);
      for (const text of ['create', 'list', 'revoke', '--project', '--scopes', '--expire', '--create-project']) expect(res.stdout).toContain(text);
    }
  });

  it('usage errors exit 2 with the reason and the usage on stderr', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /no command/],
      [['frobnicate', '--project', 'p'], /unknown command: frobnicate/],
      [['create'], /create needs --project/],
      [['create', '--project', 'p', '--colour', 'red'], /colour/],
      [['create', '--project', 'p', '[--expire', '2030-01-01]'], /unexpected argument: \[--expire/],
      [['revoke', '--project', 'p'], /revoke needs --key/],
      [['list', '--project', 'p', '--scopes', 'users.read'], /list does not take --scopes/],
    ];
    for (const [args, reason] of cases) {
      const res = await runKeys(args, { DATA_DIR: tempDir() });
      expect([args, res.code]).toEqual([args, 2]);
      expect(res.stderr).toMatch(reason);
      expect(res.stderr).toContain('usage: ');
      expect(res.stdout).toBe('');
    }
  });

  it('refuses a project that does not exist (exit 1, nothing written) unless --create-project', async () => {
    const dataDir = tempDir();
    const refused = await runKeys(['create', '--project', 'nosuch', '--name', 'x'], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/project "nosuch" does not exist.*--create-project/);
    expect(refused.stdout).toBe('');
    expect(await projectEvents(dataDir, 'nosuch')).toEqual([]);
    for (const args of [['list', '--project', 'nosuch'], ['revoke', '--project', 'nosuch', '--key', 'k']]) {
      const res = await runKeys(args, { DATA_DIR: dataDir });
      expect([args, res.code, res.stderr]).toEqual([args, 1, expect.stringContaining('project "nosuch" does not exist')]);
    }

    const created = await runKeys(['create', '--project', 'nosuch', '--name', 'x', '--create-project'], { DATA_DIR: dataDir });
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('created project nosuch');
    const [key] = jsonLines(created.stdout);
    expect(key).toEqual({ project: 'nosuch', keyId: expect.any(String), name: 'x', scopes: [...KNOWN_SCOPES], expire: null, secret: expect.stringMatching(/^[0-9a-f]{256}$/) });
    expect((await projectEvents(dataDir, 'nosuch')).map((e) => e.type)).toEqual(['ProjectCreated', 'ApiKeyCreated']);
    // --create-project on an existing project only adds the key.
    const again = await runKeys(['create', '--project', 'nosuch', '--create-project'], { DATA_DIR: dataDir });
    expect([again.code, again.stderr]).toEqual([0, '']);
  });

  it('refuses an --expire in the past or that is not a date, and unknown or no scopes (exit 1, nothing written)', async () => {
    const dataDir = tempDir();
    expect((await runKeys(['create', '--project', 'p', '--create-project'], { DATA_DIR: dataDir })).code).toBe(0);
    const cases: Array<[string[], RegExp]> = [
      [['--expire', '2020-01-01'], /--expire is in the past/],
      [['--expire', new Date(Date.now() - 60_000).toISOString()], /--expire is in the past/],
      [['--expire', 'tomorrow'], /--expire is not an ISO 8601 date: "tomorrow"/],
      [['--expire', '2031-02-30'], /--expire is not an ISO 8601 date/],
      [['--expire', '1'], /--expire is not an ISO 8601 date/],
      [['--scopes', 'users.read,databases.write'], /unknown scope: databases.write; known scopes: users.read, users.write, users.export, teams.read, teams.write/],
      [['--scopes', 'users.reed,files.read'], /unknown scopes: users.reed, files.read/],
      [['--scopes', ','], /--scopes is empty/],
    ];
    for (const [extra, reason] of cases) {
      const res = await runKeys(['create', '--project', 'p', ...extra], { DATA_DIR: dataDir });
      expect([extra, res.code, res.stdout]).toEqual([extra, 1, '']);
      expect(res.stderr).toMatch(reason);
    }
    // --create-project does not create the project when the rest of the command line is refused.
    expect((await runKeys(['create', '--project', 'q', '--create-project', '--scopes', 'nope'], { DATA_DIR: dataDir })).code).toBe(1);
    expect(await projectEvents(dataDir, 'q')).toEqual([]);
    expect((await projectEvents(dataDir, 'p')).map((e) => e.type)).toEqual(['ProjectCreated', 'ApiKeyCreated']);

    const future = await runKeys(['create', '--project', 'p', '--scopes', 'users.read', '--expire', '2099-06-30T12:00:00+02:00'], { DATA_DIR: dataDir });
    expect(future.code).toBe(0);
    expect(jsonLines(future.stdout)[0]).toMatchObject({ scopes: ['users.read'], expire: '2099-06-30T10:00:00.000+00:00' });
  });

  it('lists keys without secrets or hashes, and revokes them', async () => {
    const dataDir = tempDir();
    const [key] = jsonLines((await runKeys(['create', '--project', 'p', '--create-project', '--name', 'ci', '--scopes', 'users.read'], { DATA_DIR: dataDir })).stdout);
    const listed = await runKeys(['list', '--project', 'p'], { DATA_DIR: dataDir });
    expect(listed.code).toBe(0);
    expect(jsonLines(listed.stdout)).toEqual([{ keyId: key.keyId, name: 'ci', scopes: ['users.read'], expire: null, createdAt: expect.any(String), revoked: false }]);
    expect(listed.stdout).not.toContain(key.secret);
    expect(listed.stdout).not.toContain('secretHash');

    expect(await runKeys(['revoke', '--project', 'p', '--key', key.keyId], { DATA_DIR: dataDir })).toMatchObject({ code: 0, stdout: `revoked ${key.keyId}\n` });
    expect(await runKeys(['revoke', '--project', 'p', '--key', key.keyId], { DATA_DIR: dataDir })).toMatchObject({ code: 0, stdout: `${key.keyId} was already revoked\n` });
    expect(await runKeys(['revoke', '--project', 'p', '--key', 'nope'], { DATA_DIR: dataDir })).toMatchObject({ code: 1, stderr: expect.stringContaining('has no key nope') });
    expect(jsonLines((await runKeys(['list', '--project', 'p'], { DATA_DIR: dataDir })).stdout)).toEqual([expect.objectContaining({ keyId: key.keyId, revoked: true })]);
  });

  it('settings prints the login re-hash setting (on by default) and turns it off and on', async () => {
    const dataDir = tempDir();
    await runKeys(['create', '--project', 'p', '--create-project'], { DATA_DIR: dataDir });
    expect(jsonLines((await runKeys(['settings', '--project', 'p'], { DATA_DIR: dataDir })).stdout)).toEqual([{ project: 'p', loginRehash: true }]);
    expect(jsonLines((await runKeys(['settings', '--project', 'p', '--login-rehash', 'off'], { DATA_DIR: dataDir })).stdout)).toEqual([{ project: 'p', loginRehash: false }]);
    expect(jsonLines((await runKeys(['settings', '--project', 'p'], { DATA_DIR: dataDir })).stdout)).toEqual([{ project: 'p', loginRehash: false }]);
    expect(await runKeys(['settings', '--project', 'p', '--login-rehash', 'maybe'], { DATA_DIR: dataDir })).toMatchObject({ code: 1, stderr: expect.stringContaining('--login-rehash is on or off') });
    expect(await runKeys(['settings', '--project', 'nope'], { DATA_DIR: dataDir })).toMatchObject({ code: 1, stderr: expect.stringContaining('does not exist') });
    expect(await runKeys(['settings', '--project', 'p', '--key', 'k'], { DATA_DIR: dataDir })).toMatchObject({ code: 2 });
    expect((await projectEvents(dataDir, 'p')).map((e) => e.type)).toEqual(['ProjectCreated', 'ApiKeyCreated', 'ProjectLoginRehashChanged']);
  });

  it('writes to the configured event store: EVENT_STORE=eventstoredb never falls back to the SQLite file', async () => {
    const dataDir = tempDir();
    // Nothing listens on port 1: the CLI must fail on EventStoreDB, not succeed on DATA_DIR.
    const res = await runKeys(['create', '--project', 'demo', '--create-project'], {
      DATA_DIR: dataDir,
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false',
    });
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^keys: /);
    expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(false);
    // A configuration the gateway would refuse is refused here too.
    const bad = await runKeys(['list', '--project', 'demo'], { DATA_DIR: dataDir, EVENT_STORE: 'eventstoredb' });
    expect(bad).toMatchObject({ code: 1, stderr: 'keys: EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING\n' });
  });

  const esdb = process.env.EVENTSTORE_CONNECTION_STRING;
  if (esdb) {
    it('creates the key in EventStoreDB when EVENT_STORE=eventstoredb', async () => {
      const project = `cli-${Date.now()}`;
      const res = await runKeys(['create', '--project', project, '--create-project', '--scopes', 'users.read'], { DATA_DIR: tempDir(), EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: esdb });
      expect(res.code).toBe(0);
      const events = openEventStoreDb(esdb);
      try {
        const stream = await events.readStream(projectStreamId(project));
        expect(stream.map((e) => [e.type, e.data.keyId])).toEqual([['ProjectCreated', undefined], ['ApiKeyCreated', jsonLines(res.stdout)[0].keyId]]);
      } finally {
        await events.close();
      }
    });
  } else {
    console.warn('###  SKIP: keys CLI on a real EventStoreDB — set EVENTSTORE_CONNECTION_STRING (docker compose up eventstore) to run it');
  }

  describe('against a running gateway on the same DATA_DIR', () => {
    let gw: Awaited<ReturnType<typeof startTestGateway>>;
    beforeAll(async () => {
      gw = await startTestGateway({ dataDir: tempDir() });
    });
    afterAll(() => gw?.close());

    /** Polls until the key gets `status` (the gateway follows the log the CLI appended to). */
    async function statusWith(secret: string, method: string, path: string, body: unknown, want: number): Promise<number> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const res = await rawHttp(gw.url, method, path, body, { 'x-appwrite-project': TEST_PROJECT, 'x-appwrite-key': secret });
        if (res.status === want || Date.now() > deadline) return res.status;
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    it('a key created by the CLI authenticates with its scopes; once revoked it does not', async () => {
      const created = await runKeys(['create', '--project', TEST_PROJECT, '--name', 'reporting', '--scopes', 'users.read'], { DATA_DIR: gw.dataDir });
      expect(created.code).toBe(0);
      const [key] = jsonLines(created.stdout);
      expect(await statusWith(key.secret, 'GET', '/v1/users', undefined, 200)).toBe(200);
      const write = await rawHttp(gw.url, 'POST', '/v1/users', { userId: 'unique()' }, { 'x-appwrite-project': TEST_PROJECT, 'x-appwrite-key': key.secret });
      expect([write.status, write.body.type]).toEqual([401, 'general_unauthorized_scope']);

      const writer = jsonLines((await runKeys(['create', '--project', TEST_PROJECT, '--scopes', 'users.write', '--expire', '2099-01-01'], { DATA_DIR: gw.dataDir })).stdout)[0];
      expect(await statusWith(writer.secret, 'POST', '/v1/users', { userId: 'from-cli-key' }, 201)).toBe(201);

      expect((await runKeys(['revoke', '--project', TEST_PROJECT, '--key', key.keyId], { DATA_DIR: gw.dataDir })).code).toBe(0);
      expect(await statusWith(key.secret, 'GET', '/v1/users', undefined, 401)).toBe(401);
    });
  });
});
