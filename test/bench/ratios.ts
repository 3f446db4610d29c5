import { bareAppend, bareRead } from './ceilings';
import { load } from './load';
import { pacedLoad } from './paced';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_RATIO_SECONDS ?? 5);
const WARM_UP_SECONDS = 2;

/**
 * Issue 10's goals as ratios to ceilings measured in the same run with the same load generator:
 * GET user against a bare Fastify route answering the same JSON after the same header check;
 * create user against a bare Fastify route appending one SQLite row per request.
 */
export async function ratioBench(url: string, headers: Record<string, string>, dataDir: string): Promise<{ lines: string[]; unmet: string[] }> {
  const lines: string[] = [];
  const unmet: string[] = [];
  const goal = (text: string, ok: boolean) => {
    lines.push(`${text} ${ok ? '(met)' : '(NOT met)'}`);
    if (!ok) unmet.push(text);
  };
  const sample = await (await fetch(`${url}/v1/users/u1`, { headers })).json();

  // Both sides warmed up first (JIT, caches, background start-up work), then measured.
  await load({ url, path: '/v1/users/u1', headers, connections: CONNECTIONS, seconds: WARM_UP_SECONDS });
  const ours = await load({ url, path: '/v1/users/u1', headers, connections: CONNECTIONS, seconds: SECONDS });
  const read = await bareRead(headers['x-appwrite-project'], headers['x-appwrite-key'], sample);
  await load({ url: read.url, path: '/v1/users/u1', headers, connections: CONNECTIONS, seconds: WARM_UP_SECONDS });
  const ceiling = await load({ url: read.url, path: '/v1/users/u1', headers, connections: CONNECTIONS, seconds: SECONDS });
  await read.close();
  lines.push(`get user: ${ours.rate.toFixed(0)}/s, p99 ${ours.p99} ms; bare read ceiling ${ceiling.rate.toFixed(0)}/s`);
  goal(`get user / ceiling = ${(ours.rate / ceiling.rate).toFixed(2)} ≥ 0.5`, ours.rate / ceiling.rate >= 0.5);
  const half = await pacedLoad({ url, path: '/v1/users/u1', headers, connections: CONNECTIONS, seconds: SECONDS, rate: ours.rate / 2 });
  goal(`get user p99 at half the saturating load = ${half.p99} ms ≤ 10 ms (${half.rate.toFixed(0)}/s)`, half.p99 <= 10);

  const create = (round: string) => (i: number) => ({ userId: `r${round}${i}`, email: `r${round}${i}@ratio.io`, name: `Ratio ${i}` });
  await load({ url, method: 'POST', path: '/v1/users', headers, connections: CONNECTIONS, seconds: WARM_UP_SECONDS, body: create('w') });
  const creates = await load({ url, method: 'POST', path: '/v1/users', headers, connections: CONNECTIONS, seconds: SECONDS, body: create('m') });
  const append = await bareAppend(dataDir);
  await load({ url: append.url, method: 'POST', path: '/v1/users', headers, connections: CONNECTIONS, seconds: WARM_UP_SECONDS, body: create('w') });
  const appendCeiling = await load({ url: append.url, method: 'POST', path: '/v1/users', headers, connections: CONNECTIONS, seconds: SECONDS, body: create('m') });
  await append.close();
  lines.push(`create user: ${creates.rate.toFixed(0)}/s, p99 ${creates.p99} ms, max ${creates.max} ms, ${creates.errors} errors; bare append ceiling ${appendCeiling.rate.toFixed(0)}/s`);
  goal(`create user / ceiling = ${(creates.rate / appendCeiling.rate).toFixed(2)} ≥ 0.25`, creates.rate / appendCeiling.rate >= 0.25);
  goal(`create user max latency / p99 = ${(creates.max / Math.max(creates.p99, 1)).toFixed(1)} ≤ 10`, creates.max <= 10 * Math.max(creates.p99, 1));
  return { lines, unmet };
}
