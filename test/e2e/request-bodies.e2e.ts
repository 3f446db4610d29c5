import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ASSOC_MAX_BYTES } from '@lib/appwrite';
import { startTestGateway, TEST_KEY, TEST_PROJECT, TestGateway } from '../support/test-gateway';

/**
 * Bodies are read as Appwrite reads them: `json_decode($raw, true)` with PHP's depth of 512, and
 * what PHP cannot decode (too deep, an unpaired surrogate, malformed UTF-8) is an empty body.
 * Sizes are bounded per route, and a too-large body never stalls the service.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  expect((await gw.http('POST', '/v1/users', { userId: 'bodies', name: 'Original' })).status).toBe(201);
});
afterAll(() => gw.close());

const execFileAsync = promisify(execFile);

const envelope = (message: string, code = 400) => ({ message, code, type: 'general_argument_invalid', version: '1.3.8' });
const headers = { 'content-type': 'application/json', 'x-appwrite-project': TEST_PROJECT, 'x-appwrite-key': TEST_KEY };
/** `{"prefs":{"a":{"a":…1…}}}`: the body object counts as one level, so prefs nests `depth - 1` deep. */
const nestedPrefsBody = (depth: number) => `{"prefs":${'{"a":'.repeat(depth - 1)}1${'}'.repeat(depth - 1)}}`;

async function send(method: string, path: string, body: string | Buffer, extra: Record<string, string> = {}) {
  const res = await fetch(gw.url + path, { method, headers: { ...headers, ...extra }, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, contentType: res.headers.get('content-type') };
}

describe('nesting: PHP json_decode depth 512', () => {
  it('prefs nested 4,500 levels deep (about 25 kB) are 400 "Param prefs is not optional", not 500', async () => {
    const body = nestedPrefsBody(4500);
    expect(body.length).toBeGreaterThan(22_000);
    const res = await send('PATCH', '/v1/users/bodies/prefs', body);
    expect(res).toEqual({ status: 400, body: envelope('Param "prefs" is not optional.'), contentType: 'application/json; charset=UTF-8' });
    expect((await gw.http('GET', '/v1/users/bodies/prefs')).body).toEqual({});
  });

  it('a body nested exactly 512 deep is decoded, 513 is not', async () => {
    const ok = await send('PATCH', '/v1/users/bodies/prefs', nestedPrefsBody(512));
    expect(ok.status).toBe(200);
    let level: any = ok.body;
    for (let i = 0; i < 510; i++) level = level.a;
    expect(level).toEqual({ a: 1 });
    const deeper = await send('PATCH', '/v1/users/bodies/prefs', nestedPrefsBody(513));
    expect(deeper.body).toEqual(envelope('Param "prefs" is not optional.'));
    // Arrays count like objects, and brackets inside strings do not count.
    const arrays = await send('PATCH', '/v1/users/bodies/prefs', `{"prefs":{"x":${'['.repeat(600)}${']'.repeat(600)}}}`);
    expect(arrays.body).toEqual(envelope('Param "prefs" is not optional.'));
    const inString = await send('PATCH', '/v1/users/bodies/prefs', JSON.stringify({ prefs: { s: '['.repeat(5000) } }));
    expect(inString.status).toBe(200);
  });
});

describe('invalid Unicode: what PHP json_decode refuses is an empty body', () => {
  it.each([
    ['a lone high surrogate', '"x\\ud800y"'],
    ['a lone low surrogate', '"x\\udc00y"'],
    ['a high surrogate at the end', '"xy\\ud83d"'],
    ['two high surrogates', '"\\ud83d\\ud83d"'],
  ])('%s in a name: 400 "Param name is not optional", name unchanged', async (_what, name) => {
    const res = await send('PATCH', '/v1/users/bodies/name', `{"name":${name}}`);
    expect(res.body).toEqual(envelope('Param "name" is not optional.'));
    expect((await gw.http('GET', '/v1/users/bodies')).body.name).toBe('Original');
  });

  it('on create the first required param is reported, and nothing is stored', async () => {
    const res = await send('POST', '/v1/users', '{"userId":"lone","name":"x\\ud800y"}');
    expect(res.body).toEqual(envelope('Param "userId" is not optional.'));
    expect((await gw.http('GET', '/v1/users/lone')).status).toBe(404);
  });

  it('in a prefs key or a nested value', async () => {
    for (const prefs of ['{"k\\udfff":1}', '{"list":["ok","\\ud800"]}']) {
      const res = await send('PATCH', '/v1/users/bodies/prefs', `{"prefs":${prefs}}`);
      expect(res.body).toEqual(envelope('Param "prefs" is not optional.'));
    }
  });

  it('malformed UTF-8 bytes and a byte-order mark are refused too (PHP: JSON_ERROR_UTF8, syntax error)', async () => {
    const latin1 = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const cesu = Buffer.concat([Buffer.from('{"name":"x'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name":"bom"}')]);
    for (const body of [latin1, cesu, bom]) {
      expect((await send('PATCH', '/v1/users/bodies/name', body)).body).toEqual(envelope('Param "name" is not optional.'));
    }
  });

  it('a proper surrogate pair is kept, as sent, and counted as one character', async () => {
    const res = await send('PATCH', '/v1/users/bodies/name', '{"name":"a\\ud83d\\ude00b"}');
    expect([res.status, res.body.name]).toEqual([200, 'a\u{1F600}b']);
    const max = await send('PATCH', '/v1/users/bodies/name', JSON.stringify({ name: '\u{1F600}'.repeat(128) }));
    expect(max.status).toBe(200);
    await gw.http('PATCH', '/v1/users/bodies/name', { name: 'Original' });
  });
});

/** argv: base URL, project, key. Sends 32 PATCH prefs of 1.9 MB at once; prints [{status, body}]. */
const PARALLEL_SENDER = `
const [url, project, key] = process.argv.slice(1);
const body = Buffer.from(JSON.stringify({ prefs: { blob: '\u00e9'.repeat(950000) } }));
const headers = { 'content-type': 'application/json', 'x-appwrite-project': project, 'x-appwrite-key': key };
Promise.all(Array.from({ length: 32 }, () =>
  fetch(url + '/v1/users/bodies/prefs', { method: 'PATCH', headers, body }).then(async (r) => ({ status: r.status, body: await r.json() })),
)).then((all) => process.stdout.write(JSON.stringify(all)));
`;

describe('body size: bounded per route, checked without re-encoding', () => {
  const bigPrefs = Buffer.from(JSON.stringify({ prefs: { blob: 'x'.repeat(1_900_000) } }));

  it('32 parallel 1.9 MB prefs are all refused in the envelope while a GET answers within a second', async () => {
    // Sent from another process, so that only the gateway's work shares this event loop. Non-ASCII
    // content is the costliest to re-encode in PHP's escaping (each character becomes \u00e9).
    const sender = execFileAsync(process.execPath, ['-e', PARALLEL_SENDER, gw.url, TEST_PROJECT, TEST_KEY], { maxBuffer: 1 << 20 });
    let settled = false;
    void sender.finally(() => (settled = true)).catch(() => undefined);
    const latencies: number[] = [];
    while (!settled) {
      const t = Date.now();
      const res = await gw.http('GET', '/v1/users/bodies');
      expect(res.status).toBe(200);
      latencies.push(Date.now() - t);
      await new Promise((r) => setTimeout(r, 5));
    }
    const answers: Array<{ status: number; body: unknown }> = JSON.parse((await sender).stdout);
    expect(answers).toHaveLength(32);
    for (const a of answers) expect(a).toEqual({ status: 400, body: envelope('Invalid prefs: Value must be a valid object.') });
    expect(latencies.length).toBeGreaterThan(1);
    expect(Math.max(...latencies)).toBeLessThan(1000);
  });

  it('an oversized body is judged like Appwrite: authentication and earlier params first', async () => {
    const guest = await send('PATCH', '/v1/users/bodies/prefs', bigPrefs, { 'x-appwrite-key': 'wrong' });
    expect([guest.status, guest.body.message]).toEqual([401, 'User (role: guests) missing scope (users.write)']);
    const badId = await send('PATCH', '/v1/users/_bad/prefs', bigPrefs);
    expect(badId.body.message).toMatch(/^Invalid userId: UID must contain at most 36 chars/);
    const name = await send('PATCH', '/v1/users/bodies/name', JSON.stringify({ name: 'n'.repeat(100_000) }));
    expect(name.body).toEqual(envelope('Invalid name: Value must be a valid string and at least 1 chars and no longer than 128 chars'));
    const create = await send('POST', '/v1/users', JSON.stringify({ userId: 'huge', password: 'p'.repeat(100_000) }));
    expect(create.body).toEqual(envelope('Request body is too large.'));
  });

  it('the largest valid prefs pass even as a spacious client encodes them (Python json.dumps)', async () => {
    // Close to 65,535 bytes in PHP's encoding, about 1.2x that with Python's ", " and ": ".
    const entries = Array.from({ length: 7200 }, (_, i) => [`k${i.toString(36).padStart(3, '0')}`, 1]);
    const prefs = Object.fromEntries(entries);
    const php = JSON.stringify(prefs).length;
    expect(php).toBeGreaterThan(ASSOC_MAX_BYTES - 1000);
    expect(php).toBeLessThanOrEqual(ASSOC_MAX_BYTES);
    const spacious = `{"prefs": ${JSON.stringify(prefs).replace(/,/g, ', ').replace(/":/g, '": ')}}`;
    expect(spacious.length).toBeGreaterThan(ASSOC_MAX_BYTES * 1.2);
    const res = await send('PATCH', '/v1/users/bodies/prefs', spacious);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toHaveLength(7200);
    // One entry more is over 65,535 in PHP's encoding: refused by the rule, not by the size limit.
    const over = `{"prefs": ${JSON.stringify({ ...prefs, extra: 'x'.repeat(800) })}}`;
    expect((await send('PATCH', '/v1/users/bodies/prefs', over)).body).toEqual(envelope('Invalid prefs: Value must be a valid object.'));
  });

  it('a body over 6 MB (Swoole\'s package_max_length) is 413 in the envelope', async () => {
    const res = await send('PATCH', '/v1/users/bodies/prefs', JSON.stringify({ prefs: { blob: 'x'.repeat(6_500_000) } }));
    expect(res).toEqual({ status: 413, body: envelope('Request body is too large.', 413), contentType: 'application/json; charset=UTF-8' });
  });
});
