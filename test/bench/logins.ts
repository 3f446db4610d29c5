/**
 * Logins through the gateway: email/password sessions per second (argon2id, our default
 * parameters, verified in the worker pool), and a burst of concurrent logins during which
 * reads must stay fast (the event loop never hashes).
 */
import { performance } from 'node:perf_hooks';
import { hashDefault } from '@lib/passwords';

type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<number>;

const PASSWORD = 'bench-login-password';

export async function loginBench(url: string, project: string, key: string, count = Number(process.env.BENCH_LOGINS ?? 200)): Promise<string[]> {
  const call: Call = async (method, path, body, headers = {}) => {
    const res = await fetch(url + path, { method, headers: { 'content-type': 'application/json', 'x-appwrite-project': project, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    await res.arrayBuffer();
    return res.status;
  };
  const admin = { 'x-appwrite-key': key };
  // Imported with our default hash, so a login costs one verification and no re-hash; one login
  // per user, so Appwrite's per-email rate limit never applies.
  const stored = await hashDefault(PASSWORD);
  const users = count * 2;
  for (let i = 0; i < users; i++) {
    const status = await call('POST', '/v1/users/argon2', { userId: `login${i}`, email: `login${i}@bench.io`, password: stored }, admin);
    if (status !== 201) throw new Error(`import login${i}: ${status}`);
  }
  let shed = 0;
  /** A 503 is the pool shedding load (HASHING_MAX_WAIT_MS), counted; anything else is a failure. */
  const login = async (i: number) => {
    const status = await call('POST', '/v1/account/sessions/email', { email: `login${i}@bench.io`, password: PASSWORD });
    if (status === 503) shed++;
    else if (status !== 201) throw new Error(`login login${i}: ${status}`);
  };

  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < count) await login(next++);
  }));
  const perSecond = count / ((performance.now() - start) / 1000);

  // The burst: every remaining user logs in at once while one client reads a user in a loop.
  const reads: number[] = [];
  let bursting = true;
  const reader = (async () => {
    while (bursting) {
      const t = performance.now();
      await call('GET', '/v1/users/login0', undefined, admin);
      reads.push(performance.now() - t);
    }
  })();
  const burstStart = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => login(count + i)));
  const burstSeconds = (performance.now() - burstStart) / 1000;
  bursting = false;
  await reader;
  reads.sort((a, b) => a - b);
  const p99 = reads[Math.min(reads.length - 1, Math.floor(0.99 * reads.length))];
  return [
    `email/password login (argon2id 64 MiB), 16 at once: ${perSecond.toFixed(1)}/s`,
    `burst of ${count} concurrent logins: done in ${burstSeconds.toFixed(1)} s, ${shed} shed with 503 + Retry-After; meanwhile GET user p99 ${p99.toFixed(1)} ms over ${reads.length} reads (aim < 50 ms)`,
  ];
}
