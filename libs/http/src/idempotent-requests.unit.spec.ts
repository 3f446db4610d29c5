import type { Principal } from './authenticator';
import { isRememberedStatus } from './idempotent-attempt';
import { fingerprintParts, RequestFacts } from './idempotent-requests';

const KEY: Principal = { kind: 'key', projectId: 'p1', keyId: 'k1', scopes: ['users.write'] };
const json = (body: unknown) => ({ body, rawBody: Buffer.from(JSON.stringify(body)) });
const facts = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  method: 'PATCH',
  route: '/v1/users/:userId/name',
  params: { userId: 'u1' },
  query: {},
  ...json({ name: 'Ada', extra: { b: 1, a: 2 } }),
  headers: {},
  principal: KEY,
  ...over,
});
const same = (a: Partial<RequestFacts>, b: Partial<RequestFacts>) => JSON.stringify(fingerprintParts(facts(a))) === JSON.stringify(fingerprintParts(facts(b)));

describe('the fingerprint of an idempotent request', () => {
  it('is the same for the same request, whatever the order of the body keys or the bytes of its JSON', () => {
    expect(same({}, {})).toBe(true);
    expect(same({}, { body: { extra: { a: 2, b: 1 }, name: 'Ada' }, rawBody: Buffer.from('{ "extra": {"a":2,"b":1}, "name": "Ada" }') })).toBe(true);
  });

  it.each<[string, Partial<RequestFacts>]>([
    ['method', { method: 'PUT' }],
    ['route', { route: '/v1/users/:userId/email' }],
    ['path parameter', { params: { userId: 'u2' } }],
    ['query', { query: { queries: ['limit(1)'] } }],
    ['body', json({ name: 'Bea', extra: { b: 1, a: 2 } })],
    ['body, when there is none', { body: {}, rawBody: Buffer.alloc(0) }],
    ['response format (it changes the answer)', { headers: { 'x-appwrite-response-format': '1.4.0' } }],
    ['If-Match (it changes the answer)', { headers: { 'if-match': '"3"' } }],
    ['API key', { principal: { ...KEY, keyId: 'k2' } }],
    ['caller kind', { principal: { kind: 'user', projectId: 'p1', userId: 'u1', sessionId: 's1', via: 'session', scopes: [] } }],
  ])('differs in the %s', (_what, over) => {
    expect(same({}, over)).toBe(false);
  });

  it('hashes a body that is not a JSON object (a multipart GraphQL request) by its bytes', () => {
    const a = { body: {}, rawBody: Buffer.from('--boundary\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}') };
    const b = { body: {}, rawBody: Buffer.from('--boundary\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"x":1}') };
    expect(fingerprintParts(facts(a))[4]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(same(a, b)).toBe(false);
  });
});

describe('which answers a retry gets again', () => {
  it('remembers what the request decided: 2xx and 4xx', () => {
    for (const status of [200, 201, 204, 400, 404, 409, 412, 422]) expect([status, isRememberedStatus(status)]).toEqual([status, true]);
  });

  it('forgets "try again": 5xx (shedding, lag, failures), 429 and 408', () => {
    for (const status of [500, 502, 503, 504, 429, 408]) expect([status, isRememberedStatus(status)]).toEqual([status, false]);
  });
});
