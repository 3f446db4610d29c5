import { HASH_VECTORS } from '../test';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { verifySync } from '@node-rs/argon2';
import { HashingPort } from './hashing.port';
import { HashingBusyError, HashingTimeoutError, LocalHashingAdapter, resolveWorkerFilename } from './local-hashing.adapter';

const vectors = HASH_VECTORS;

// 2^24 MD5 rounds: tens of seconds, far beyond any timeout used here.
const SLOW_PHPASS = { password: '$P$MIQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0', hash: 'phpass', hashOptions: {} };

const DEFAULT_PHC = /^\$argon2id\$v=19\$m=65536,t=4,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;

// These tests run the compiled worker from dist/: `npm test` builds first, or run `npm run build`.
describe('LocalHashingAdapter', () => {
  let adapter: LocalHashingAdapter;

  beforeAll(() => {
    // Room for all 40 vectors at once: the default queue (poolSize × 16) would shed part of the burst.
    adapter = new LocalHashingAdapter({ poolSize: 2, maxQueue: 64 });
  });

  afterAll(async () => {
    await adapter.close();
  });

  it('is a HashingPort', () => {
    expect(adapter).toBeInstanceOf(HashingPort);
    expect(adapter.poolSize).toBe(2);
    expect(adapter.maxQueue).toBe(64);
  });

  it('resolves the worker from dist when loaded from TypeScript', () => {
    const file = resolveWorkerFilename();
    expect(file).toMatch(/[\\/]dist[\\/]libs[\\/]passwords[\\/]src[\\/]hashing\.worker\.js$/);
    expect(resolveWorkerFilename('/srv/app/dist/libs/passwords/src/local-hashing.adapter.js')).toBe(
      path.join('/srv/app/dist/libs/passwords/src', 'hashing.worker.js'),
    );
  });

  it('explains how to fix a missing compiled worker', () => {
    const fakeSource = path.join(__dirname, 'no-such-dir', 'local-hashing.adapter.ts');
    expect(() => resolveWorkerFilename(fakeSource)).toThrow(/npm run build/);
  });

  it('verifies every public vector in the pool', async () => {
    const results = await Promise.all(
      vectors.map(async (v) => [v.id, await adapter.verify(v.password, { password: v.hash, hash: v.algorithm, hashOptions: v.hashOptions })]),
    );
    expect(Object.fromEntries(results)).toEqual(Object.fromEntries(vectors.map((v) => [v.id, v.expected])));
  });

  it('hashes with the default algorithm and advertises Appwrite’s options', async () => {
    const result = await adapter.hash('password123');
    expect(result.hash).toBe('argon2');
    expect(JSON.stringify(result.hashOptions)).toBe('{"type":"argon2","memoryCost":2048,"timeCost":4,"threads":3}');
    expect(result.password).toMatch(DEFAULT_PHC);
    expect(verifySync(result.password, 'password123')).toBe(true);
    await expect(adapter.verify('password123', result)).resolves.toBe(true);
    await expect(adapter.verify('password124', result)).resolves.toBe(false);
  });

  it('verifies the PHP-produced default hash from the spec', async () => {
    const stored = {
      password: '$argon2id$v=19$m=65536,t=4,p=3$RXNkZEVzbUFTLktXSHdmbQ$gyZnDtU0O9cduOGpZj15ocY/tEGql85lVM6t1YVm3HI',
      hash: 'argon2',
      hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 },
    };
    await expect(adapter.verify('password123', stored)).resolves.toBe(true);
  });

  it('is false for users without password and unknown algorithms', async () => {
    await expect(adapter.verify('x', { password: null, hash: 'argon2', hashOptions: {} })).resolves.toBe(false);
    await expect(adapter.verify('x', { password: 'x', hash: 'plaintext', hashOptions: {} })).resolves.toBe(false);
  });

  it('keeps the event loop responsive while hashing', async () => {
    const gaps: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }, 5);
    try {
      const started = performance.now();
      await Promise.all(Array.from({ length: 6 }, (_, i) => adapter.hash(`password-${i}`)));
      const elapsed = performance.now() - started;
      // Six default hashes take several hundred ms; a blocked loop would show one gap that long.
      expect(gaps.length).toBeGreaterThan(elapsed / 5 / 4);
      expect(Math.max(...gaps)).toBeLessThan(100);
    } finally {
      clearInterval(timer);
    }
  });
});

describe('LocalHashingAdapter limits', () => {
  it('rejects with HashingBusyError once the bounded queue is full, without echoing the password', async () => {
    const small = new LocalHashingAdapter({ poolSize: 1, maxQueue: 1 });
    try {
      const secret = 'hunter2-do-not-log';
      const settled = await Promise.allSettled(Array.from({ length: 4 }, () => small.hash(secret)));
      const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect(rejected.length).toBeGreaterThan(0);
      for (const r of rejected) {
        expect(r.reason).toBeInstanceOf(HashingBusyError);
        expect(String(r.reason.message)).not.toContain(secret);
      }
      expect(settled.some((s) => s.status === 'fulfilled')).toBe(true);
    } finally {
      await small.close();
    }
  });

  it('refuses at once a hash expected to wait longer than maxWaitMs, measured at the pool\'s own drain rate', async () => {
    const shedding = new LocalHashingAdapter({ poolSize: 1, maxQueue: 100, maxWaitMs: 250 });
    try {
      // Saturate once so the drain rate is measured (an unmeasured pool sheds nothing).
      await Promise.all(Array.from({ length: 3 }, () => shedding.hash('measure-the-rate')));
      expect(shedding.expectedWaitMs()).toBe(0);
      const started = Date.now();
      const settled = await Promise.allSettled(Array.from({ length: 20 }, () => shedding.hash('hunter2-do-not-log')));
      const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      // Argon2id at 64 MiB takes tens of ms per hash: 250 ms admits a few, sheds the rest at once.
      expect(rejected.length).toBeGreaterThan(5);
      expect(settled.filter((s) => s.status === 'fulfilled').length).toBeGreaterThan(0);
      for (const r of rejected) {
        expect(r.reason).toBeInstanceOf(HashingBusyError);
        expect((r.reason as HashingBusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(String(r.reason.message)).not.toContain('hunter2');
      }
      // What was admitted finished within about the bound (plus the one already running).
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await shedding.close();
    }
  });

  it('reports the queue depth and, per task, how long it waited for the worker thread', async () => {
    const waits: Array<{ operation: string; seconds: number }> = [];
    const one = new LocalHashingAdapter({ poolSize: 1, onWaited: (operation, seconds) => waits.push({ operation, seconds }) });
    try {
      await one.hash('start-the-thread');
      waits.length = 0;
      const running = [one.hash('first'), one.verify('second', { password: '144fa7eaa4904e8ee120651997f70dcc', hash: 'md5', hashOptions: {} })];
      // One thread: the first runs, the second waits in the queue until the first is done.
      expect(one.queueDepth).toBe(1);
      await Promise.all(running);
      expect(one.queueDepth).toBe(0);
      expect(waits.map((w) => w.operation)).toEqual(['hash', 'verify']);
      expect(waits[1].seconds).toBeGreaterThan(waits[0].seconds);
    } finally {
      await one.close();
    }
  });

  it('aborts tasks that exceed taskTimeoutMs', async () => {
    const limited = new LocalHashingAdapter({ poolSize: 1, taskTimeoutMs: 500 });
    try {
      await expect(limited.verify('test12345', SLOW_PHPASS)).rejects.toBeInstanceOf(HashingTimeoutError);
    } finally {
      await limited.close();
    }
  });

  // Under jest, piscina never marks a replacement worker ready (its READY check is an `instanceof
  // Object` across vm realms), so recovery after a killed worker is checked in a plain node process.
  it('replaces the killed worker and keeps serving (plain node, compiled adapter)', () => {
    const adapterJs = path.join(path.dirname(resolveWorkerFilename()), 'local-hashing.adapter.js');
    const script = `
      const { LocalHashingAdapter } = require(${JSON.stringify(adapterJs)});
      (async () => {
        const a = new LocalHashingAdapter({ poolSize: 1, taskTimeoutMs: 500 });
        const out = [];
        try { await a.verify('test12345', ${JSON.stringify(SLOW_PHPASS)}); out.push('resolved'); }
        catch (e) { out.push(e.name); }
        out.push(await a.verify('appwrite', { password: '144fa7eaa4904e8ee120651997f70dcc', hash: 'md5', hashOptions: {} }));
        await a.close();
        process.stdout.write(JSON.stringify(out));
      })();`;
    const stdout = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30000 });
    expect(JSON.parse(stdout)).toEqual(['HashingTimeoutError', true]);
  });

  it('close() lets in-flight work finish and returns promptly', async () => {
    const a = new LocalHashingAdapter({ poolSize: 1 });
    const pending = [a.hash('one'), a.hash('two')];
    const started = Date.now();
    await a.close();
    await expect(Promise.all(pending)).resolves.toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses work after close and tolerates closing twice', async () => {
    const a = new LocalHashingAdapter({ poolSize: 1 });
    expect(a.maxQueue).toBe(16);
    await a.close();
    await a.close();
    await expect(a.hash('x')).rejects.toThrow(/closed/);
  });
});
