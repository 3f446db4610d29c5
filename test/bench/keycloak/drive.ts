import autocannon, { type Request } from 'autocannon';
import type { Operation, Side } from './sides';

export interface Run {
  /** Successful (2xx) answers per second: a 401 from an expired token or a 409 is no throughput. */
  rate: number;
  p99: number;
  max: number;
  /** What did not succeed, by status code (`409×3`) and connection errors (`err×1`); empty if nothing. */
  failures: string;
}

/**
 * One autocannon run (HTTP/1.1 keep-alive, pipelining 1, like ../load) whose every request is
 * built by the side: load() sends fixed headers, while Keycloak's bearer token changes during a
 * run and every create needs a new username. Both sides go through this same path, so the
 * client's own cost per request is the same for both.
 */
export async function drive(side: Side, op: Operation, connections: number, seconds: number): Promise<Run> {
  const result = await autocannon({
    url: side.url,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (req: Request): Request => ({ ...req, ...side.next(op) }) }],
  });
  const failures = Object.entries(result.statusCodeStats ?? {})
    .filter(([code, stat]) => !code.startsWith('2') && (stat.count ?? 0) > 0)
    .map(([code, stat]) => `${code}×${stat.count}`);
  if (result.errors > 0) failures.push(`err×${result.errors}`);
  return { rate: result['2xx'] / result.duration, p99: result.latency.p99, max: result.latency.max, failures: failures.join(' ') };
}
