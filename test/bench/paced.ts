import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PacedResult {
  rate: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

/**
 * An open-loop load at a fixed rate: requests leave on a schedule whatever the answers do, and
 * each latency counts from its scheduled time (no coordinated omission). autocannon's rate
 * limit sends each second's quota in a burst, which measures the burst, not the rate.
 */
export async function pacedLoad(spec: { url: string; path: string; headers: Record<string, string>; rate: number; seconds: number; connections: number }): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const target = new URL(spec.path, spec.url);
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.round(spec.rate * (spec.seconds + 0.5));
  const start = performance.now();
  const inFlight: Array<Promise<void>> = [];
  // The first half second opens the connections; its latencies are not counted.
  const measuredFrom = start + 500;
  const send = (scheduled: number) =>
    new Promise<void>((resolve) => {
      const req = request(target, { agent, headers: spec.headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) errors += 1;
          if (scheduled >= measuredFrom) latencies.push(performance.now() - scheduled);
          resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end();
    });
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - start) / 1000) * spec.rate) + 1);
    for (; sent < due; sent++) inFlight.push(send(start + (sent / spec.rate) * 1000));
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const seconds = (performance.now() - measuredFrom) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1));
  return { rate: latencies.length / seconds, p50: at(0.5), p99: at(0.99), max: Number(latencies[latencies.length - 1].toFixed(1)), errors };
}
