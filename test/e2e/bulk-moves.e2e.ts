import type { RecordedEvent } from '@lib/event-store';
import { toDomainEvent } from '@lib/event-sourcing';
import { HASH_VECTORS } from '@lib/passwords/testing';
import { evolveUser, initialUserState, parseUserStreamId, USER_EVENT_SCHEMA, UserEvent, UserState } from '@lib/users';
import { rawRequest } from '../support/raw-socket';
import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';

/*
 * Bulk moves over raw HTTP: POST /v1/users/import takes a file of JSON lines (good lines beside
 * bad JSON, invalid emails, repeats within the file and values of existing users, every hash
 * algorithm and plain passwords) and answers what it imported and which lines failed; GET
 * /v1/users/export (scope users.export) streams every user as of one log position, and its
 * file imported into an empty project reproduces the users, who log in with their passwords.
 */

const COPY = 'e2e-copy';
const NDJSON = { 'content-type': 'application/x-ndjson' };
const guest = (project: string) => ({ 'x-appwrite-project': project, 'x-appwrite-key': '' });
/** Appwrite's login takes passwords of 8 characters and more (legacy-logins.e2e.ts). */
const LOGIN_VECTORS = HASH_VECTORS.filter((v) => v.expected && [...v.password].length >= 8);
const PLAIN = [0, 1, 2].map((k) => ({ userId: `plain-${k}`, email: `plain${k}@bulk.io`, password: `plain password ${k}` }));
/**
 * Good lines of the mixed file: a few thousand embedded; distributed, every user goes through the
 * projector into FerretDB, which takes a few dozen a second on a busy machine.
 */
const GOOD = process.env.E2E_STACK === 'distributed' ? 250 : 2000;
/** Distributed, thousands of users go through the projector into FerretDB: minutes on a busy machine. */
const BULK_TIMEOUT_MS = 600_000;

interface Failure {
  line: number;
  type: string;
  message?: string;
}

/** The import file of the first test, and what its answer must say. */
function mixedFile(): { text: string; imported: number; failed: Failure[] } {
  const lines: string[] = [];
  const failed: Failure[] = [];
  let imported = 0;
  const good = (line: Record<string, unknown>) => {
    lines.push(JSON.stringify(line));
    imported++;
  };
  const bad = (line: string | Record<string, unknown>, type: string) => {
    lines.push(typeof line === 'string' ? line : JSON.stringify(line));
    failed.push({ line: lines.length, type });
  };
  for (let i = 0; i < GOOD; i++) {
    good({
      userId: `bulk-${i}`,
      email: `user${i}@bulk.io`,
      name: `Bulk ${i}`,
      ...(i % 5 === 0 ? { phone: `+1555${String(i).padStart(7, '0')}` } : {}),
      ...(i % 7 === 0 ? { labels: ['vip', `g${i % 3}`] } : {}),
      ...(i % 11 === 0 ? { prefs: { theme: 'dark', n: i } } : {}),
      ...(i % 13 === 0 ? { status: false } : {}),
      ...(i % 17 === 0 ? { emailVerification: true } : {}),
      ...(i % 10 === 0 ? { phoneVerification: true } : {}),
    });
    if (i % 100 === 99) bad('{"userId": "broken', 'general_argument_invalid');
    if (i % 97 === 96) bad({ userId: `bad-email-${i}`, email: 'not-an-email' }, 'general_argument_invalid');
    if (i % 150 === 149) bad({ userId: `bulk-${i}`, email: `dup-id-${i}@bulk.io` }, 'user_already_exists');
    if (i % 160 === 159) bad({ userId: `dup-email-${i}`, email: `USER${i}@bulk.io` }, 'user_email_already_exists');
    if (i % 400 === 399) lines.push('');
  }
  for (const v of HASH_VECTORS) good({ userId: `vec-${v.id}`, email: `vec-${v.id}@bulk.io`, name: v.id, password: v.hash, hash: v.algorithm, hashOptions: v.hashOptions });
  for (const p of PLAIN) good(p);
  bad({ userId: 'existing-1', email: 'new@bulk.io' }, 'user_already_exists');
  bad({ userId: 'steals-email', email: 'TAKEN@bulk.io' }, 'user_email_already_exists');
  bad({ userId: 'steals-phone', phone: '+15550009999' }, 'user_phone_already_exists');
  bad({ userId: 'short-plain', password: 'short' }, 'general_argument_invalid');
  return { text: `${lines.join('\n')}\n`, imported, failed };
}

let stack: TestStack;
let copyKey: string;
beforeAll(async () => {
  stack = await startTestStack();
  copyKey = (await stack.createKey({ project: COPY, name: 'copy', scopes: ['users.read', 'users.write', 'users.export'] })).secret;
});
afterAll(() => stack.close());

const copyHeaders = () => ({ 'x-appwrite-project': COPY, 'x-appwrite-key': copyKey });
const importInto = (text: string, headers: Record<string, string> = {}) => stack.http('POST', '/v1/users/import', text, { ...NDJSON, ...headers });
const exportOf = async (headers: Record<string, string> = {}) => {
  const res = await stack.http('GET', '/v1/users/export', undefined, headers);
  return { ...res, lines: res.text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>) };
};
const login = (project: string, email: string, password: string) => stack.http('POST', '/v1/account/sessions/email', { email, password }, guest(project));

describe('bulk moves', () => {
  let exported: Array<Record<string, any>>;

  it('imports a mixed file: good lines stored, every bad one reported by line and type', async () => {
    expect((await stack.http('POST', '/v1/users', { userId: 'existing-1', email: 'taken@bulk.io', phone: '+15550009999', name: 'Existing' })).status).toBe(201);
    const file = mixedFile();
    const res = await importInto(file.text);
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(file.imported);
    expect(res.body.failed.map((f: Failure) => ({ line: f.line, type: f.type }))).toEqual(file.failed);
    const byLine = new Map<number, Failure>(res.body.failed.map((f: Failure) => [f.line, f]));
    expect(byLine.get(file.failed.find((f) => f.type === 'user_already_exists')!.line)!.message).toMatch(/^A user with the same id is already in this import \(line \d+\)\.$/);
    expect(byLine.get(file.failed.at(-4)!.line)!.message).toBe('A user with the same id, email, or phone already exists in your project.');
    expect(byLine.get(file.failed.at(-2)!.line)!.message).toBe('A user with the same phone number already exists in the current project.');
    expect(byLine.get(file.failed.at(-1)!.line)!.message).toBe('Invalid password: Password must be at least 8 characters and should not be one of the commonly used password.');

    // Stored as Create User and the update routes store them: targets, flags, labels, prefs, the hash as given.
    const list = await stack.http('GET', '/v1/users?queries[]=limit(1)');
    expect(list.body.total).toBe(file.imported + 1);
    const u = (await stack.http('GET', '/v1/users/bulk-0')).body;
    expect(u).toMatchObject({ $id: 'bulk-0', email: 'user0@bulk.io', phone: '+15550000000', name: 'Bulk 0', labels: ['vip', 'g0'], prefs: { theme: 'dark', n: 0 }, status: false, emailVerification: true, phoneVerification: true });
    expect(u.targets.map((t: { providerType: string; identifier: string }) => [t.providerType, t.identifier])).toEqual([['email', 'user0@bulk.io'], ['sms', '+15550000000']]);
    expect((await stack.http('GET', '/v1/users/bulk-1')).body).toMatchObject({ phone: '', labels: [], prefs: {}, status: true, emailVerification: false, phoneVerification: false });
    const scrypt = HASH_VECTORS.find((v) => v.algorithm === 'scrypt')!;
    expect((await stack.http('GET', `/v1/users/vec-${scrypt.id}`)).body).toMatchObject({ password: scrypt.hash, hash: 'scrypt', hashOptions: scrypt.hashOptions });
    expect((await stack.http('GET', '/v1/users/plain-0')).body).toMatchObject({ hash: 'argon2', password: expect.stringMatching(/^\$argon2id\$/) });
    expect((await stack.http('GET', '/v1/users/bulk-13')).body.status).toBe(false);
  }, BULK_TIMEOUT_MS);

  it('exports every user as one JSON line in user-id order, with a trailer giving the position', async () => {
    const res = await exportOf();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const trailer = res.lines.at(-1)!;
    exported = res.lines.slice(0, -1);
    expect(trailer).toEqual({ $position: res.headers.get('x-export-position'), total: exported.length });
    expect(exported.length).toBe((await stack.http('GET', '/v1/users?queries[]=limit(1)')).body.total);
    const ids = exported.map((l) => l.userId as string);
    expect(ids).toEqual([...ids].sort());
    expect(exported.find((l) => l.userId === 'bulk-0')).toEqual({
      userId: 'bulk-0', email: 'user0@bulk.io', phone: '+15550000000', name: 'Bulk 0', password: null,
      labels: ['vip', 'g0'], prefs: { theme: 'dark', n: 0 }, status: false, emailVerification: true, phoneVerification: true, mfa: false, impersonator: false,
    });
    const md5 = HASH_VECTORS.find((v) => v.algorithm === 'md5')!;
    expect(exported.find((l) => l.userId === `vec-${md5.id}`)).toMatchObject({ password: md5.hash, hash: 'md5', hashOptions: { type: 'md5' } });
  });

  it('into an empty project, the export imports as is and reproduces the same users', async () => {
    const file = (await exportOf()).text;
    const res = await importInto(file, copyHeaders());
    expect(res.body).toEqual({ imported: exported.length, failed: [] });
    const copy = await exportOf(copyHeaders());
    expect(copy.lines.slice(0, -1)).toEqual(exported);
    // The models too, but for times and target ids.
    const models = async (headers: Record<string, string>) => {
      const page = await stack.http('GET', `/v1/users?queries[]=${encodeURIComponent('limit(100)')}&queries[]=${encodeURIComponent('orderAsc("$id")')}`, undefined, headers);
      return page.body.users.map(({ $createdAt, $updatedAt, registration, passwordUpdate, accessedAt, targets, ...rest }: Record<string, any>) => ({
        ...rest,
        targets: targets.map((t: Record<string, unknown>) => [t.providerType, t.identifier, t.name, t.expired]),
      }));
    };
    expect(await models(copyHeaders())).toEqual(await models({}));
  }, BULK_TIMEOUT_MS);

  it('the users log in with their passwords in both projects: every hash algorithm, and plain passwords', async () => {
    expect(new Set(LOGIN_VECTORS.map((v) => v.algorithm))).toEqual(new Set(['argon2', 'bcrypt', 'md5', 'sha', 'phpass', 'scrypt', 'scryptMod']));
    for (const project of [COPY, TEST_PROJECT]) {
      for (const v of LOGIN_VECTORS) {
        const ok = await login(project, `vec-${v.id}@bulk.io`.toLowerCase(), v.password);
        expect([project, v.id, ok.status, ok.body.userId]).toEqual([project, v.id, 201, `vec-${v.id}`]);
      }
      for (const p of PLAIN) expect([project, p.userId, (await login(project, p.email, p.password)).status]).toEqual([project, p.userId, 201]);
      const wrong = await login(project, PLAIN[0].email, 'not the password');
      expect([wrong.status, wrong.body.type]).toEqual([401, 'user_invalid_credentials']);
    }
  }, BULK_TIMEOUT_MS);

  it('export needs the users.export scope, which users.read does not grant; import needs users.write', async () => {
    for (const scopes of [['users.read'], ['users.write'], ['users.read', 'users.write', 'teams.read', 'teams.write']]) {
      const key = await stack.createKey({ name: `no-export-${scopes.length}`, scopes });
      const res = await stack.http('GET', '/v1/users/export', undefined, { 'x-appwrite-key': key.secret });
      expect([scopes, res.status, res.body]).toEqual([scopes, 401, { message: `app.${TEST_PROJECT}@service.127.0.0.1 (role: applications) missing scope (users.export)`, code: 401, type: 'general_unauthorized_scope', version: '1.3.8' }]);
    }
    const exportOnly = await stack.createKey({ name: 'export-only', scopes: ['users.export'] });
    expect((await stack.http('GET', '/v1/users/export', undefined, { 'x-appwrite-key': exportOnly.secret })).status).toBe(200);
    const refused = await importInto('{"userId":"nope"}\n', { 'x-appwrite-key': exportOnly.secret });
    expect([refused.status, refused.body.type, refused.body.message]).toEqual([401, 'general_unauthorized_scope', `app.${TEST_PROJECT}@service.127.0.0.1 (role: applications) missing scope (users.write)`]);
    expect((await stack.http('GET', '/v1/users/nope')).status).toBe(404);
  });

  /** The ids List Users gives for `query` once it gives any (the read models may still be catching up), within 60 s. */
  const eventuallyListed = async (query: string): Promise<string[]> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await stack.http('GET', `/v1/users?queries[]=${encodeURIComponent(query)}`);
      const ids = (res.body.users as Array<{ $id: string }>).map((u) => u.$id);
      if (ids.length > 0 || Date.now() > deadline) return ids;
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('an import and single creates racing for the same emails: each email ends up with exactly one user', async () => {
    const RACES = process.env.E2E_STACK === 'distributed' ? 20 : 100;
    // The raced lines spread over the file (embedded, two batches of the import's).
    const EVERY = process.env.E2E_STACK === 'distributed' ? 5 : 15;
    const lines = Array.from({ length: RACES * EVERY }, (_, n) =>
      JSON.stringify(n % EVERY === 0 ? { userId: `race-import-${n / EVERY}`, email: `race${n / EVERY}@bulk.io` } : { userId: `race-filler-${n}`, email: `filler${n}@bulk.io` }),
    );
    const create = (i: number) => stack.http('POST', '/v1/users', { userId: `race-create-${i}`, email: `race${i}@bulk.io` });
    // Half the creates sent just before the import, half just after: each side wins some races.
    const before = Array.from({ length: RACES / 2 }, (_, i) => create(i));
    const importing = importInto(lines.join('\n'));
    const after = Array.from({ length: RACES / 2 }, (_, i) => create(RACES / 2 + i));
    const [imported, ...created] = await Promise.all([importing, ...before, ...after]);
    expect(imported.status).toBe(200);
    const lost = new Set(imported.body.failed.map((f: Failure) => (f.line - 1) / EVERY));
    for (const f of imported.body.failed) expect(f.type).toBe('user_email_already_exists');
    // A create answered 503 general_service_unavailable was stored, but its wait for the read
    // models ran out (distributed: the projector may still be applying the earlier imports); the
    // list below then shows it once they catch up. Either way exactly one user holds each email.
    const answered = created.map((c) => (c.status === 503 && c.body.type === 'general_service_unavailable' ? 201 : c.status));
    for (let i = 0; i < RACES; i++) {
      expect([i, answered[i]]).toEqual([i, lost.has(i) ? 201 : 409]);
      const holders = await eventuallyListed(`equal("email", ["race${i}@bulk.io"])`);
      expect(holders).toEqual([lost.has(i) ? `race-create-${i}` : `race-import-${i}`]);
    }
    expect(imported.body.imported).toBe(RACES * EVERY - lost.size);
  }, BULK_TIMEOUT_MS);

  it('an import sent again with the same Idempotency-Key gets the first answer, nothing imported twice', async () => {
    const file = Array.from({ length: 50 }, (_, i) => JSON.stringify({ userId: `again-${i}`, email: `again${i}@bulk.io` })).join('\n');
    const key = { 'idempotency-key': 'import-again-1' };
    const first = await importInto(file, key);
    expect([first.status, first.body]).toEqual([200, { imported: 50, failed: [] }]);
    const retried = await importInto(file, key);
    expect([retried.status, retried.body]).toEqual([200, { imported: 50, failed: [] }]);
    // Without the key, the same file is 50 users that exist already.
    expect((await importInto(file)).body.failed.map((f: Failure) => f.type)).toEqual(Array(50).fill('user_already_exists'));
  }, BULK_TIMEOUT_MS);

  it('refuses what is no import as a whole, in Appwrite\'s envelope: another content type, more than 10,000 users, more than 32 MiB', async () => {
    const wrongType = await stack.http('POST', '/v1/users/import', '{"userId":"json-body"}', { 'content-type': 'application/json' });
    expect([wrongType.status, wrongType.body.type, wrongType.body.message]).toEqual([400, 'general_argument_invalid', 'Invalid body: Content-Type must be application/x-ndjson, one user a line.']);
    const before = (await stack.http('GET', '/v1/users?queries[]=limit(1)')).body.total;
    const tooMany = await importInto(Array.from({ length: 10_001 }, (_, i) => `{"userId":"many-${i}"}`).join('\n'));
    expect([tooMany.status, tooMany.body.type, tooMany.body.message]).toEqual([400, 'general_argument_invalid', 'Invalid body: at most 10000 users per import, this one has 10001.']);
    expect((await stack.http('GET', '/v1/users?queries[]=limit(1)')).body.total).toBe(before);
    const url = new URL(stack.url);
    const huge = await rawRequest(
      stack.url,
      `POST /v1/users/import HTTP/1.1\r\nHost: ${url.host}\r\nX-Appwrite-Project: ${TEST_PROJECT}\r\nX-Appwrite-Key: ${TEST_KEY}\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${32 * 1024 * 1024 + 1}\r\n\r\n{"userId":"x"}\n`,
    );
    expect([huge.status, huge.body]).toEqual([413, { message: 'Request body is too large.', code: 413, type: 'general_argument_invalid', version: '1.3.8' }]);
    expect((await importInto('')).body).toEqual({ imported: 0, failed: [] });
  });

  it('is consistent while writes run: every line is the user as of the trailer\'s position', async () => {
    let stop = false;
    let done = 0;
    const writers = [
      async () => {
        for (let n = 0; !stop; n++) if ((await stack.http('PATCH', `/v1/users/bulk-${n % 100}/name`, { name: `Renamed ${n}` })).status === 200) done++;
      },
      async () => {
        for (let n = 100; !stop && n < 150; n++) if ((await stack.http('DELETE', `/v1/users/bulk-${n}`)).status === 204) done++;
      },
      async () => {
        for (let n = 0; !stop; n++) if ((await stack.http('POST', '/v1/users', { userId: `late-${n}`, email: `late${n}@bulk.io` })).status === 201) done++;
      },
      async () => {
        for (let n = 0; !stop; n++) if ((await stack.http('PATCH', `/v1/users/bulk-${150 + (n % 50)}/status`, { status: n % 2 === 0 })).status === 200) done++;
      },
    ].map((w) => w());
    const waitForWrites = async (count: number) => {
      const until = done + count;
      while (done < until) await new Promise((r) => setTimeout(r, 5));
    };
    const chunks: Uint8Array[] = [];
    try {
      await waitForWrites(20);
      // Read slowly: more writes land while the answer is still being produced.
      const res = await fetch(`${stack.url}/v1/users/export`, { headers: { 'x-appwrite-project': TEST_PROJECT, 'x-appwrite-key': TEST_KEY } });
      const reader = res.body!.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        chunks.push(read.value);
        if (chunks.length === 1) await waitForWrites(30);
      }
    } finally {
      stop = true;
      await Promise.all(writers);
    }
    const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
    const { $position: position, total } = lines.pop()!;
    expect(total).toBe(lines.length);

    // The project as the log has it up to that position, folded stream by stream.
    const log = await stack.allEvents();
    const cut = log.findIndex((e) => e.position === position);
    expect(cut).toBeGreaterThan(0);
    const afterCut = log.slice(cut + 1).filter((e) => parseUserStreamId(e.streamId)?.projectId === TEST_PROJECT);
    expect(afterCut.length).toBeGreaterThan(0);
    const states = foldProject(log.slice(0, cut + 1), TEST_PROJECT);
    const live = [...states].filter(([, s]) => s.lifecycle === 'active').sort(([a], [b]) => (a < b ? -1 : 1));
    expect(lines.map((l) => l.userId)).toEqual(live.map(([id]) => id));
    for (const line of lines) {
      const user = states.get(line.userId)!.user!;
      expect([line.userId, line.name, line.status, line.email, line.labels, line.password]).toEqual([user.id, user.name === '' ? null : user.name, user.status, user.email, user.labels, user.password]);
    }
    // And the writes after the position did change users it shows.
    const now = foldProject(log, TEST_PROJECT);
    expect(lines.some((l) => now.get(l.userId)?.lifecycle !== 'active' || now.get(l.userId)!.user!.name !== (l.name ?? '') || now.get(l.userId)!.user!.status !== l.status)).toBe(true);
  }, BULK_TIMEOUT_MS);
});

/** Every user stream of the project, folded over the given events. */
function foldProject(events: RecordedEvent[], projectId: string): Map<string, UserState> {
  const states = new Map<string, UserState>();
  for (const recorded of events) {
    const key = parseUserStreamId(recorded.streamId);
    const event = key?.projectId === projectId ? toDomainEvent<UserEvent>(USER_EVENT_SCHEMA, recorded) : null;
    if (!key || !event) continue;
    states.set(key.userId, evolveUser(states.get(key.userId) ?? initialUserState(), event));
  }
  return states;
}
