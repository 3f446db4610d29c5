import autocannon, { type Request } from 'autocannon';

/** One load run with autocannon (HTTP/1.1 keep-alive, pipelining 1): what the ratios compare. */
export interface LoadResult {
  rate: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** A body per request (`i`: the request's number), for writes that must each be new. */
  body?: (i: number) => unknown;
  connections: number;
  seconds: number;
}

export async function load(spec: LoadSpec): Promise<LoadResult> {
  let counter = 0;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    requests: [
      {
        method: spec.method ?? 'GET',
        path: spec.path,
        headers: spec.headers,
        ...(spec.body ? { setupRequest: (req: Request): Request => ({ ...req, body: JSON.stringify(spec.body!(counter++)) }) } : {}),
      },
    ],
  });
  return { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, errors: result.errors + result.non2xx };
}
