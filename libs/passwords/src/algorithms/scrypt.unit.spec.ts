import { scryptSync } from 'node:crypto';
import { verify } from './scrypt';

const V = {
  password: 'some-scrypt-password',
  hash: 'b448ad7ba88b653b5b56b8053a06806724932d0751988bc9cd0ef7ff059e8ba8a020e1913b7069a650d3f99a1559aba0221f2c277826919513a054e76e339028',
  options: { salt: 'some-salt', costCpu: 16384, costMemory: 12, costParallel: 2, length: 64, type: 'scrypt' },
};

describe('scrypt verify', () => {
  it('verifies parameters beyond Node’s default 32 MiB maxmem', () => {
    const opts = { salt: 's', costCpu: 32768, costMemory: 8, costParallel: 1, length: 32, type: 'scrypt' };
    expect(() => scryptSync('pw', 's', 32, { N: 32768, r: 8, p: 1 })).toThrow(/memory/i);
    const h = scryptSync('pw', 's', 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString('hex');
    expect(verify('pw', h, opts)).toBe(true);
    expect(verify(V.password, V.hash, V.options)).toBe(true);
  });

  it('uses the salt as raw UTF-8 and honours length', () => {
    const opts = { salt: 'sälz', costCpu: 16, costMemory: 2, costParallel: 1, length: 16, type: 'scrypt' };
    const h = scryptSync('pw', Buffer.from('sälz', 'utf8'), 16, { N: 16, r: 2, p: 1 }).toString('hex');
    expect(verify('pw', h, opts)).toBe(true);
    expect(verify('pw', h, { ...opts, length: 32 })).toBe(false);
    expect(verify('pw', h.toUpperCase(), opts)).toBe(false);
  });

  it('is false (never throws) for invalid parameters', () => {
    const base = { ...V.options };
    for (const bad of [
      { costCpu: 1000 }, // not a power of two
      { costCpu: 1 },
      { costCpu: 2 ** 20, costMemory: 16 }, // 2 GiB, beyond maxmem
      { length: 8 }, // PHP requires >= 16
      { costCpu: 'lots' },
      { salt: undefined },
    ]) {
      expect(verify(V.password, V.hash, { ...base, ...bad })).toBe(false);
    }
  });

  it('applies the documented defaults for absent options', () => {
    const h = scryptSync('pw', Buffer.from('s', 'utf8'), 64, { N: 8, r: 14, p: 1 }).toString('hex');
    expect(verify('pw', h, { salt: 's' })).toBe(true);
  });
});
