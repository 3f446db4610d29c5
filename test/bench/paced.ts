import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface PacedSpec {
  url: string;
  path: string;
  headers: Record<string, string>;
  rate: number;
  seconds: number;
  connections: number;
}

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
 * limit sends each second's quota in a burst, which measures the burst, not the rate. Runs in a
 * worker thread, so that the client's own work does not load the server's event loop.
 */
export function pacedLoad(spec: PacedSpec): Promise<PacedResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: spec });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

if (!isMainThread && parentPort) void run(workerData as PacedSpec).then((result) => parentPort!.postMessage(result));

async function run(spec: PacedSpec): Promise<PacedResult> {
  const target = new URL(spec.path, spec.url);
  const head = [`GET ${target.pathname}${target.search} HTTP/1.1`, `host: ${target.host}`, ...Object.entries(spec.headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  const requestBytes = Buffer.from(head);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  // The first half second opens the connections; its latencies are not counted.
  const measuredFrom = start + 500;
  const connections = await Promise.all(Array.from({ length: spec.connections }, () => openConnection(target, (scheduled, status) => {
    if (status !== 200) errors += 1;
    if (scheduled >= measuredFrom) latencies.push(performance.now() - scheduled);
  })));
  const total = Math.round(spec.rate * (spec.seconds + 0.5));
  let sent = 0;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * spec.rate) + 1);
    // Round robin; a busy connection pipelines (the server answers in order).
    for (; sent < due; sent++) connections[sent % connections.length].send(requestBytes, start + (sent / spec.rate) * 1000);
    // Sleep until the next request is due rather than spin: a client spinning on one of two cores
    // leaves the server one core to share with its own GC and checkpoint threads, and the tail
    // measured is then the client's. Atomics.wait sleeps below a timer's millisecond; the
    // immediate after it lets the answers that came meanwhile be read.
    const untilNext = start + (sent / spec.rate) * 1000 - performance.now();
    if (untilNext > 0.05) Atomics.wait(pause, 0, 0, Math.min(untilNext, 1));
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(connections.map((c) => c.drained()));
  for (const c of connections) c.close();
  const seconds = (performance.now() - measuredFrom) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1));
  return { rate: latencies.length / seconds, p50: at(0.5), p99: at(0.99), max: Number(latencies[latencies.length - 1].toFixed(1)), errors };
}

/** A keep-alive HTTP/1.1 connection that frames answers by Content-Length (all this bench reads). */
function openConnection(target: URL, answered: (scheduled: number, status: number) => void) {
  return new Promise<{ send(bytes: Buffer, scheduled: number): void; drained(): Promise<void>; close(): void }>((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port) }, () => resolve(connection));
    socket.setNoDelay(true);
    socket.once('error', reject);
    const waiting: number[] = [];
    let buffer: Buffer = Buffer.alloc(0);
    let onDrained: (() => void) | null = null;
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const headers = buffer.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(headers)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        buffer = buffer.subarray(end + 4 + length);
        answered(waiting.shift()!, Number(headers.slice(9, 12)));
        if (waiting.length === 0) onDrained?.();
      }
    });
    const connection = {
      send(bytes: Buffer, scheduled: number) {
        waiting.push(scheduled);
        socket.write(bytes);
      },
      drained: () => new Promise<void>((done) => (waiting.length === 0 ? done() : (onDrained = done))),
      close: () => socket.destroy(),
    };
  });
}
