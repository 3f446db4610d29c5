import { startTestGateway, TestGateway } from '../support/test-gateway';

/** A saturated hashing pool sheds load early: 503 with Retry-After, never a long queue (issue 10). */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ env: { HASHING_POOL_SIZE: '1', HASHING_MAX_WAIT_MS: '200' } });
});
afterAll(() => gw?.close());

it('answers password creates beyond the expected-wait bound with 503 general_service_unavailable and Retry-After; the rest are created', async () => {
  const create = (i: number) => gw.http('POST', '/v1/users', { userId: `shed-${i}`, password: `password-${i}` });
  // Saturate once so the pool's drain rate is known.
  await Promise.all([0, 1, 2].map(create));
  const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => create(100 + i)));
  const shed = answers.filter((a) => a.status === 503);
  expect(shed.length).toBeGreaterThan(5);
  for (const a of shed) {
    expect(a.body).toMatchObject({ code: 503, type: 'general_service_unavailable' });
    expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  }
  const created = answers.filter((a) => a.status === 201);
  expect(created.length).toBeGreaterThan(0);
  // A shed request left nothing behind: its user does not exist.
  const firstShed = answers.findIndex((a) => a.status === 503);
  expect((await gw.http('GET', `/v1/users/shed-${100 + firstShed}`)).status).toBe(404);
});
