/**
 * Where a child process's memory and CPU go, for the memory bench: what /proc and the child's
 * /metrics (prom-client's process defaults) tell, and a heap snapshot on request (diagnosis).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const mb = (kb: number) => (kb / 1024).toFixed(0);

/** CPU time (user + system, every thread) the process has used, in µs. */
export function cpuMicros(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second), after the parenthesized command name.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/**
 * The process's CPU µs once it has gone idle (under 2 ms of CPU in a 100 ms window, at most
 * `limitMs`): work a burst of requests leaves behind (projections catching up, checkpoints) is
 * then counted with the burst, not with whatever is measured next.
 */
export async function settledCpuMicros(pid: number, limitMs = 10_000): Promise<number> {
  let last = cpuMicros(pid);
  for (const end = Date.now() + limitMs; Date.now() < end; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = cpuMicros(pid);
    if (now - last < 2_000) return now;
    last = now;
  }
  return last;
}

/** RSS by kind: anonymous (V8's heap, malloc), file-backed (code, mapped files), shared memory. */
export function rssSplit(pid: number): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return ['RssAnon', 'RssFile', 'RssShmem'].map((name) => `${name} ${mb(Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN))} MB`).join(', ');
}

async function metrics(url: string): Promise<string | null> {
  const res = await fetch(`${url}/metrics`).catch(() => null);
  return res && res.status === 200 ? res.text() : null;
}

/** The V8 heap (used of total, by space) and external memory (Buffers; SQLite's is not in it). Null when METRICS=off. */
export async function memorySplit(url: string): Promise<string | null> {
  const text = await metrics(url);
  if (text === null) return null;
  const value = (name: string) => Number(new RegExp(`^${name} ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  const spaces = [...text.matchAll(/^nodejs_heap_space_size_total_bytes\{space="(\w+)"\} ([0-9.e+]+)/gm)]
    .map(([, space, bytes]) => `${space} ${(Number(bytes) / 2 ** 20).toFixed(0)}`)
    .join(', ');
  const f = (x: number) => x.toFixed(0);
  return `V8 heap ${f(value('nodejs_heap_size_used_bytes'))} MB used of ${f(value('nodejs_heap_size_total_bytes'))} MB (spaces, MB: ${spaces}), external ${f(value('nodejs_external_memory_bytes'))} MB`;
}

/** The main thread's GC pauses so far, ms by kind (major, minor, incremental, weakcb); empty when METRICS=off. */
async function gcPauses(url: string): Promise<Map<string, number>> {
  const text = (await metrics(url)) ?? '';
  return new Map([...text.matchAll(/^nodejs_gc_duration_seconds_sum\{kind="(\w+)"\} ([0-9.e+-]+)/gm)].map(([, kind, sec]) => [kind, Number(sec) * 1000]));
}

/** Runs `load` against the process; what it cost the process per request: CPU (every thread) and main-thread GC pauses by kind. */
export async function costPerRequest<T extends { requests: number }>(pid: number, url: string, load: () => Promise<T>): Promise<{ result: T; cost: string }> {
  const [cpuBefore, gcBefore] = [cpuMicros(pid), await gcPauses(url)];
  const result = await load();
  const cpu = (cpuMicros(pid) - cpuBefore) / result.requests;
  const gc = [...(await gcPauses(url))].map(([kind, ms]) => `${kind} ${(((ms - (gcBefore.get(kind) ?? 0)) * 1000) / result.requests).toFixed(1)}`);
  return { result, cost: `CPU ${cpu.toFixed(0)} µs per request, GC pauses (µs per request) ${gc.join(', ') || 'not served'}` };
}

/** Has the process (started with --heapsnapshot-signal=SIGUSR2) write a heap snapshot into `dir`; its path once written. */
export async function heapSnapshot(pid: number, url: string, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  for (;;) {
    await sleep(500);
    const name = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    // The snapshot is written on the main thread: once the process answers again, the file is whole.
    if (name && (await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) === 200) return join(dir, name);
  }
}
