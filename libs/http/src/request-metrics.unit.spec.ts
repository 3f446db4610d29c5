import Fastify from 'fastify';
import { RequestLabels, timeRequests, UNMATCHED_ROUTE } from './request-metrics';

/** Fastify's in-memory injection (no socket): what each request is counted under. */
async function labelsOf(requests: Array<{ method: 'GET' | 'POST' | 'HEAD' | 'DELETE'; url: string }>): Promise<Array<RequestLabels & { seconds: number }>> {
  const seen: Array<RequestLabels & { seconds: number }> = [];
  const fastify = Fastify();
  timeRequests(fastify, { observe: (labels, seconds) => seen.push({ ...labels, seconds }) });
  fastify.get('/v1/users/:userId', async () => ({ ok: true }));
  fastify.get('/v1/users/:userId/memberships', async (_req, reply) => reply.code(404).send({ type: 'user_not_found' }));
  fastify.post('/v1/users', async (_req, reply) => reply.code(201).send({}));
  fastify.get('/v1/users/:userId/logs', async () => {
    throw new Error('boom');
  });
  for (const request of requests) await fastify.inject(request);
  await fastify.close();
  return seen;
}

describe('request labels', () => {
  it('name the route template, never the URL: ids and query strings leave no trace', async () => {
    const seen = await labelsOf([
      { method: 'GET', url: '/v1/users/ada' },
      { method: 'GET', url: '/v1/users/grace?queries[]=limit(1)' },
      { method: 'GET', url: '/v1/users/x%2Fy/memberships' },
      { method: 'POST', url: '/v1/users' },
    ]);
    expect(seen.map(({ route, method, code }) => ({ route, method, code }))).toEqual([
      { route: '/v1/users/:userId', method: 'GET', code: 200 },
      { route: '/v1/users/:userId', method: 'GET', code: 200 },
      { route: '/v1/users/:userId/memberships', method: 'GET', code: 404 },
      { route: '/v1/users', method: 'POST', code: 201 },
    ]);
  });

  it('put every path no route matches under one label, whatever its method', async () => {
    const seen = await labelsOf([
      { method: 'GET', url: '/v1/nothing-here' },
      { method: 'DELETE', url: `/${'a'.repeat(200)}` },
      { method: 'POST', url: '/v1/users/ada' },
    ]);
    expect(seen.map(({ route, method, code }) => ({ route, method, code }))).toEqual([
      { route: UNMATCHED_ROUTE, method: 'GET', code: 404 },
      { route: UNMATCHED_ROUTE, method: 'DELETE', code: 404 },
      { route: UNMATCHED_ROUTE, method: 'POST', code: 404 },
    ]);
  });

  it('count a failed handler under its route with the status answered, and HEAD under the GET route', async () => {
    const seen = await labelsOf([
      { method: 'GET', url: '/v1/users/ada/logs' },
      { method: 'HEAD', url: '/v1/users/ada' },
    ]);
    expect(seen.map(({ route, method, code }) => ({ route, method, code }))).toEqual([
      { route: '/v1/users/:userId/logs', method: 'GET', code: 500 },
      { route: '/v1/users/:userId', method: 'HEAD', code: 200 },
    ]);
  });

  it('time each request in seconds, by Fastify\'s clock', async () => {
    const seen = await labelsOf([{ method: 'GET', url: '/v1/users/ada' }]);
    expect(seen).toHaveLength(1);
    expect(seen[0].seconds).toBeGreaterThan(0);
    expect(Number.isFinite(seen[0].seconds)).toBe(true);
  });
});
