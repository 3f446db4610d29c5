import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Every request no route matched shares this route label: any URL can be sent, the series must stay few. */
export const UNMATCHED_ROUTE = 'unmatched';

/** What a request is counted under: its route's template (`/v1/users/:userId`), never its URL. */
export interface RequestLabels {
  route: string;
  method: string;
  code: number;
}

/** Where request durations go (a Prometheus histogram). */
export interface RequestDurations {
  observe(labels: RequestLabels, seconds: number): void;
}

function requestLabels(request: FastifyRequest, reply: FastifyReply): RequestLabels {
  return { route: request.routeOptions.url ?? UNMATCHED_ROUTE, method: request.method, code: reply.statusCode };
}

/**
 * Times every answered request, by Fastify's own clock (`reply.elapsedTime`): one histogram
 * observe per request and nothing more on the request's path (no log line, no allocation
 * beyond the labels).
 */
export function timeRequests(fastify: FastifyInstance, durations: RequestDurations): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    durations.observe(requestLabels(request, reply), reply.elapsedTime / 1000);
    done();
  });
}
