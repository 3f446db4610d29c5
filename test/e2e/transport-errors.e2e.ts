import { rawRequest } from '../support/raw-socket';
import { startTestGateway, TEST_KEY, TEST_PROJECT, TestGateway } from '../support/test-gateway';

/** Whatever layer refuses a request (Node's parser, Fastify's router, a controller), the answer is Appwrite's envelope. */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const UID_MESSAGE = "UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore";
const auth = `X-Appwrite-Project: ${TEST_PROJECT}\r\nX-Appwrite-Key: ${TEST_KEY}\r\n`;

function expectEnvelope(res: { status: number; body: any; headers: Record<string, string> | Headers }, code: number, message?: string) {
  const header = (name: string) => (res.headers instanceof Headers ? res.headers.get(name) : res.headers[name]);
  expect(res.status).toBe(code);
  expect(header('content-type')).toBe('application/json; charset=UTF-8');
  expect(header('cache-control')).toBe('no-cache, no-store, must-revalidate');
  expect(Object.keys(res.body)).toEqual(['message', 'code', 'type', 'version']);
  expect(res.body).toMatchObject({ code, type: 'general_argument_invalid', version: '1.3.8' });
  if (message !== undefined) expect(res.body.message).toBe(message);
}

describe('204 answers carry a Content-Type, as Appwrite (Swoole) sends them', () => {
  it('delete session, delete sessions and delete user answer 204 with text/html and no body', async () => {
    expect((await gw.http('POST', '/v1/users', { userId: 'ct-user' })).status).toBe(201);
    for (const path of ['/v1/users/ct-user/sessions', '/v1/users/ct-user']) {
      const res = await gw.http('DELETE', path);
      expect([path, res.status, res.headers.get('content-type'), res.text]).toEqual([path, 204, 'text/html', '']);
    }
  });

  it('every other answer keeps its JSON type', async () => {
    const res = await gw.http('GET', '/v1/users');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('path parameters of any length reach the validator (no 414)', () => {
  it.each([101, 1000, 10_000])('a %d-char userId is 400 "Invalid userId"', async (n) => {
    const res = await gw.http('GET', `/v1/users/${'a'.repeat(n)}`);
    expectEnvelope(res, 400, `Invalid userId: ${UID_MESSAGE}`);
  });

  it('a long sessionId after a valid userId names sessionId', async () => {
    const res = await gw.http('DELETE', `/v1/users/someone/sessions/${'s'.repeat(150)}`);
    expectEnvelope(res, 400, `Invalid sessionId: ${UID_MESSAGE}`);
  });

  it('a segment that does not percent-decode is taken literally, after authentication (Appwrite matches raw segments)', async () => {
    expectEnvelope(await gw.http('GET', '/v1/users/%zz'), 400, `Invalid userId: ${UID_MESSAGE}`);
    expectEnvelope(await gw.http('GET', '/v1/users/%ED%A0%80/prefs'), 400, `Invalid userId: ${UID_MESSAGE}`);
    const guest = await gw.http('GET', '/v1/users/%zz', undefined, { 'x-appwrite-key': '' });
    expect([guest.status, guest.body.type]).toEqual([401, 'general_unauthorized_scope']);
  });
});

describe("Node's HTTP parser errors, written raw, in the envelope", () => {
  it('a header block over 16 KiB is 431', async () => {
    const res = await rawRequest(gw.url, `GET /v1/users HTTP/1.1\r\nHost: localhost\r\n${auth}X-Padding: ${'p'.repeat(17_000)}\r\n\r\n`);
    expectEnvelope(res, 431, 'Request header fields are too large.');
    expect(res.headers.connection).toBe('close');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
  });

  it('a URL over 16 KiB is 431', async () => {
    const res = await rawRequest(gw.url, `GET /v1/users/${'u'.repeat(17_000)} HTTP/1.1\r\nHost: localhost\r\n${auth}\r\n`);
    expectEnvelope(res, 431, 'Request header fields are too large.');
  });

  it.each([
    ['a header line without a colon', `GET /v1/users HTTP/1.1\r\nHost: localhost\r\nBroken Header\r\n\r\n`],
    ['a space in a header name', `GET /v1/users HTTP/1.1\r\nHost: localhost\r\nX Bad: 1\r\n\r\n`],
    ['a control character in a header value', `GET /v1/users HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\u0001b\r\n\r\n`],
    ['no request line', `NOT HTTP AT ALL\r\n\r\n`],
    ['a bad Content-Length', `POST /v1/users HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n{}`],
  ])('%s is 400', async (_what, request) => {
    const res = await rawRequest(gw.url, request);
    expectEnvelope(res, 400, 'The request could not be parsed as HTTP/1.1.');
    expect(res.raw.startsWith('HTTP/1.1 400 Bad Request\r\n')).toBe(true);
  });

  it('the gateway keeps serving after them', async () => {
    expect((await gw.http('GET', '/v1/users')).status).toBe(200);
  });
});
