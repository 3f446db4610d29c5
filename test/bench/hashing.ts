/**
 * Hashing throughput: the worker pool against the raw library with the same parameters on the
 * same machine in the same run (the pool's efficiency), and verifications per algorithm.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hash as argon2Hash } from '@node-rs/argon2';
import { DEFAULT_ARGON2_PARAMS, LocalHashingAdapter } from '@lib/passwords';

interface Vector {
  algorithm: string;
  password: string;
  hash: string;
  hashOptions: Record<string, unknown>;
  expected: boolean;
}

/** Operations per second of `count` calls of `op`, `concurrency` at a time. */
async function rate(count: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await op(next++);
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

export async function hashingBench(count = Number(process.env.BENCH_HASHES ?? 40)): Promise<string[]> {
  const params = DEFAULT_ARGON2_PARAMS;
  const raw1 = await rate(count / 2, 1, (i) => argon2Hash(`raw-password-${i}`, params));
  const raw10 = await rate(count, 10, (i) => argon2Hash(`raw-password-${i}`, params));
  const best = Math.max(raw1, raw10);
  const pool = new LocalHashingAdapter({});
  try {
    const pooled = await rate(count, 10, (i) => pool.hash(`pool-password-${i}`));
    const lines = [
      `argon2id m=${params.memoryCost} t=${params.timeCost} p=${params.parallelism}: raw library ${raw1.toFixed(1)}/s one at a time, ${raw10.toFixed(1)}/s ten at once; pool (${pool.poolSize} workers) ${pooled.toFixed(1)}/s ten at once`,
      `pool efficiency: ${(pooled / best).toFixed(2)} of the raw library's best (aim >= 0.90)`,
    ];
    const vectors = (JSON.parse(readFileSync(resolve(__dirname, '../../../libs/passwords/test/hash-vectors.json'), 'utf8')) as { vectors: Vector[] }).vectors.filter((v) => v.expected);
    const byAlgorithm = new Map<string, Vector[]>();
    for (const v of vectors) byAlgorithm.set(v.algorithm, [...(byAlgorithm.get(v.algorithm) ?? []), v]);
    for (const [algorithm, list] of byAlgorithm) {
      const n = Math.max(list.length * 4, 20);
      const perSecond = await rate(n, 10, (i) => pool.verify(list[i % list.length].password, { password: list[i % list.length].hash, hash: algorithm, hashOptions: list[i % list.length].hashOptions }));
      lines.push(`verify ${algorithm.padEnd(9)} through the pool: ${perSecond.toFixed(0)}/s (${list.length} vectors, 10 at once)`);
    }
    return lines;
  } finally {
    await pool.close();
  }
}
