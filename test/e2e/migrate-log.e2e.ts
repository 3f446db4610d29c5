import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { scanFiles } from '@lib/event-store/testing';
import { rawHttp, type Response } from '../support/raw-http';
import { ROOT } from '../support/run-process';
import { TEST_DATA_ENCRYPTION_KEY } from '../support/test-constants';
import { freePort } from '../support/test-stack';
import { type BuiltGateway, runBuiltGateway } from '../support/built-gateway';

/**
 * An event log the previous version wrote (before personal-data sealing; made over HTTP by its
 * own gateway, test/fixtures/pre-seal-log) is refused by this version, copied by
 * `npm run migrate-log`, and then served as the previous version served it: the same users, the
 * same history, the old passwords, the old claims on emails and phones, and erasure reaching
 * the migrated person, byte for byte, in the new DATA_DIR.
 */
const FIXTURE = join(ROOT, 'test/fixtures/pre-seal-log');
const fixture = JSON.parse(readFileSync(join(FIXTURE, 'fixture.json'), 'utf8'));
const { ada, grace, linus } = fixture.people;
const DIST = join(ROOT, 'dist/apps');
const HEADERS = { 'x-appwrite-project': fixture.project, 'x-appwrite-key': fixture.apiKey };
const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
const LIMIT_100 = `queries[]=${encodeURIComponent(JSON.stringify({ method: 'limit', values: [100] }))}`;

type Gateway = BuiltGateway;

/** The built gateway as a process of its own on `dataDir`, until it is ready or exits. */
async function runGateway(dataDir: string, env: Record<string, string> = {}): Promise<Gateway> {
  return runBuiltGateway(await freePort(), { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY, LOG_LEVEL: 'warn', ...env });
}

function migrateLog(oldDir: string, newDir: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [join(DIST, 'projector/src/cli/migrate-log.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', SOURCE_DATA_DIR: oldDir, DATA_DIR: newDir, DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stderr: run.stderr, summary: run.status === 0 ? JSON.parse(run.stdout) : null };
}

const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));

/** Everything the fixture's first person is, as the byte scan looks for it (their stored password hash included). */
const adaValues = () => [
  ada.create.email,
  ada.changedEmail,
  ada.create.phone,
  'lovelace',
  ada.prefs.theme,
  ada.push.identifier,
  ada.client['user-agent'],
  ada.client['x-forwarded-for'],
  fixture.answers.users.ada.password,
  // The old reservation names (plain hashes of her addresses) must be gone from the copy too.
  ...[ada.create.email, ada.changedEmail, ada.create.phone, ada.push.identifier].map(sha256),
];

describe('npm run migrate-log: a log of the previous version', () => {
  const oldDir = mkdtempSync(join(tmpdir(), 'users-pre-seal-'));
  const newDir = join(mkdtempSync(join(tmpdir(), 'users-migrated-')), 'data');
  let gateway: Gateway | null = null;
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = HEADERS): Promise<Response> => {
    if (!gateway?.ready) throw new Error('no gateway running');
    return rawHttp(gateway.url, method, path, body, headers);
  };
  const oldEvents = () => {
    const db = new Database(join(oldDir, 'events.sqlite'), { readonly: true });
    try {
      return db.prepare<[], { stream_id: string }>('SELECT stream_id FROM events ORDER BY position').all();
    } finally {
      db.close();
    }
  };

  beforeAll(() => {
    for (const file of ['events.sqlite', 'jwt-secret']) copyFileSync(join(FIXTURE, file), join(oldDir, file));
  });
  afterAll(async () => {
    if (gateway?.ready) await gateway.stop();
    rmSync(oldDir, { recursive: true, force: true });
    rmSync(join(newDir, '..'), { recursive: true, force: true });
  });

  it('is refused at start, with the command that copies it and no stack trace', async () => {
    const refused = await runGateway(oldDir);
    if (refused.ready) await refused.stop();
    expect(refused.ready).toBe(false);
    if (refused.ready) return;
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/^UnsealedLogError: The event log was written by a version from before personal-data sealing.*`npm run migrate-log`.*UNSEALED_LOG_CHECK=off/s);
    expect(refused.output).not.toMatch(/\n\s+at /);
    // The projector too, which would otherwise build read models from it.
    const projector = spawnSync(process.execPath, [join(DIST, 'projector/src/main.js')], {
      env: { PATH: process.env.PATH ?? '', PORT: String(await freePort()), HOST: '127.0.0.1', DATA_DIR: oldDir, DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect([projector.status, projector.stderr]).toEqual([1, expect.stringMatching(/^UnsealedLogError: .*`npm run migrate-log`/m)]);
    expect(projector.stderr).not.toMatch(/\n\s+at /);
  });

  it('is served anyway with UNSEALED_LOG_CHECK=off (on a copy of it: the opt-out writes read models beside it)', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'users-pre-seal-anyway-'));
    try {
      for (const file of ['events.sqlite', 'jwt-secret']) copyFileSync(join(FIXTURE, file), join(elsewhere, file));
      const anyway = await runGateway(elsewhere, { UNSEALED_LOG_CHECK: 'off' });
      if (!anyway.ready) throw new Error(anyway.output);
      const ada = await rawHttp(anyway.url, 'GET', '/v1/users/ada', undefined, HEADERS);
      await anyway.stop();
      expect(ada.body).toMatchObject(fixture.answers.users.ada);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('is copied into a new log: every event but the unmapped reservation, sealed, reservations renamed', () => {
    const events = oldEvents();
    const ghost = `unique-${fixture.project}:email:${sha256(fixture.ghostEmail)}`;
    const keyed = new Set(events.map((e) => e.stream_id).filter((s) => /^unique-[^:]+:(email|phone|push):/.test(s) && s !== ghost));
    const run = migrateLog(oldDir, newDir);
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    const ghostEvents = events.filter((e) => e.stream_id === ghost).length;
    expect(run.summary).toMatchObject({
      events: events.length,
      copied: events.length - ghostEvents,
      left: ghostEvents,
      usersSealed: 3,
      reopened: 0,
      reservations: { renamed: keyed.size, unmapped: [{ stream: ghost, events: ghostEvents, claimedBy: null }], merged: [] },
      jwtSecret: 'copied',
    });
    // Nothing of anyone in clear in the new DATA_DIR, not even the old names of their reservations.
    const everyone = [...adaValues(), grace.create.email, grace.create.phone, 'hopper', grace.prefs.editor, grace.client['user-agent'], linus.create.email, 'linus deleted', linus.client['x-forwarded-for'], fixture.ghostEmail, sha256(fixture.ghostEmail)];
    expect(scanFiles(filesUnder(newDir), everyone)).toEqual([]);
  });

  it('refuses to copy into the now non-empty log; --resume finds the copy complete', () => {
    const again = migrateLog(oldDir, newDir);
    expect([again.status, again.stderr]).toEqual([1, expect.stringMatching(/^migrate-log refused: the new event log is not empty/)]);
    const resumed = migrateLog(oldDir, newDir, '--resume');
    expect([resumed.status, resumed.stderr]).toEqual([0, expect.any(String)]);
    expect(resumed.summary).toMatchObject({ copied: 0, alreadyCopied: oldEvents().length - resumed.summary.left });
  });

  it('is served as the previous version served it: users, list, history, memberships, recovery codes', async () => {
    gateway = await runGateway(newDir);
    if (!gateway.ready) throw new Error(gateway.output);
    const list = await call('GET', '/v1/users');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject(fixture.answers.list);
    for (const id of ['ada', 'grace']) expect((await call('GET', `/v1/users/${id}`)).body).toMatchObject(fixture.answers.users[id]);
    expect((await call('GET', `/v1/users/linus`)).status).toBe(404);
    const history = await call('GET', `/v1/users/ada/events?${LIMIT_100}`);
    expect(history.body).toMatchObject(fixture.answers.history.ada);
    expect(history.body.events.find((e: { type: string }) => e.type === 'UserCreated')).toMatchObject({ ip: ada.client['x-forwarded-for'], userAgent: ada.client['user-agent'], data: { email: ada.create.email } });
    expect((await call('GET', '/v1/users/grace/memberships')).body).toMatchObject(fixture.answers.memberships.grace);
    // Sealed with the JWT secret, which the copy carried into the new DATA_DIR.
    expect((await call('GET', '/v1/users/grace/mfa/recovery-codes')).body).toEqual(fixture.answers.recoveryCodes.grace);
  });

  it('logs the users in with their old passwords; the deleted one stays out', async () => {
    const login = (email: string, password: string) => call('POST', '/v1/account/sessions/email', { email, password }, { 'x-appwrite-project': fixture.project });
    expect((await login(ada.changedEmail, ada.create.password)).status).toBe(201);
    expect((await login(grace.create.email, grace.create.password)).status).toBe(201);
    expect((await login(linus.create.email, linus.create.password)).status).toBe(401);
  });

  it('keeps the old claims under their new names: a migrated email, phone or push token is taken, a released one free', async () => {
    const taken = await call('POST', '/v1/users', { userId: 'copycat', email: ada.changedEmail });
    expect([taken.status, taken.body.type]).toEqual([409, 'user_already_exists']);
    const phone = await call('POST', '/v1/users', { userId: 'copycat', phone: grace.create.phone });
    expect([phone.status, phone.body.type]).toEqual([409, 'user_already_exists']);
    const push = await call('POST', '/v1/users/grace/targets', { targetId: 'stolen-push', providerType: 'push', identifier: ada.push.identifier });
    expect([push.status, push.body.type]).toEqual([409, 'user_target_already_exists']);
    // Released by ada's email change, by linus's deletion, and by the refused create (the unmapped claim).
    for (const [id, email] of [['heir1', ada.create.email], ['heir2', linus.create.email], ['heir3', fixture.ghostEmail]]) {
      expect([email, (await call('POST', '/v1/users', { userId: id, email })).status]).toEqual([email, 201]);
    }
    // Ada's old address is hers to the byte scan below.
    expect((await call('POST', '/v1/users/heir1/erase')).status).toBe(204);
  });

  it('erases a migrated person: no byte of her left in the new DATA_DIR', async () => {
    const files = () => filesUnder(newDir);
    // The read models hold her (the scan finds what is there); the event log only ciphertext.
    expect(scanFiles(files(), adaValues()).some((hit) => hit.includes('read-model.sqlite'))).toBe(true);
    expect(scanFiles(files().filter((f) => /events\.sqlite/.test(f)), adaValues())).toEqual([]);
    expect((await call('POST', '/v1/users/ada/erase')).status).toBe(204);
    expect(scanFiles(files(), adaValues())).toEqual([]);
    const history = await call('GET', `/v1/users/ada/events?${LIMIT_100}`);
    expect(history.body.events.find((e: { type: string }) => e.type === 'UserCreated')).toMatchObject({ ip: '[erased]', data: { email: '[erased]', name: '[erased]' } });
    // Grace is untouched.
    expect((await call('GET', '/v1/users/grace')).body).toMatchObject(fixture.answers.users.grace);
    if (gateway?.ready) await gateway.stop();
    gateway = null;
    expect(scanFiles(files(), adaValues())).toEqual([]);
  });
});
