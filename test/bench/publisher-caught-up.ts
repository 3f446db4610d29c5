import { performance } from 'node:perf_hooks';

/**
 * Waits until the gateway's downstream publisher has published the whole log (its `/metrics`
 * lag is 0), and says how long that took. A log seeded straight into the event store was never
 * published: on start the publisher works through all of it, and a measurement taken meanwhile
 * charges that catch-up (about half a core over 100,000 users) to whatever it measures. A service
 * that received those users one by one published each as it came.
 */
export async function publisherCaughtUp(url: string, timeoutMs = 300_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const lags = metrics.split('\n').filter((line) => line.startsWith('publisher_lag_events'));
    if (lags.every((line) => Number(line.slice(line.lastIndexOf(' ') + 1)) === 0)) return (performance.now() - started) / 1000;
    if (performance.now() - started > timeoutMs) throw new Error(`the publisher was still behind after ${timeoutMs / 1000} s: ${lags.join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
