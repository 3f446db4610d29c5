import { mulberry32, sortKey } from '@lib/users/testing';
import { compactSequence } from './sqlite-user-query';

/* sort_seq, the tie-breaker every SQLite list index ends with, must sort exactly as `sequence` does. */
describe('compactSequence', () => {
  it('keeps the text order of 40-digit sort keys, from 0 to past 2^64', () => {
    const rnd = mulberry32(3);
    const keys = [0n, 1n, 9n, 10n, 99n, 100n, 2n ** 53n, 2n ** 64n + 1n, 10n ** 39n, 10n ** 40n - 1n];
    for (let i = 0; i < 500; i++) keys.push(BigInt(Math.floor(rnd() * 10 ** Math.floor(rnd() * 16))) * BigInt(Math.floor(rnd() * 1e6)));
    const sequences = keys.map((k) => sortKey(k));
    const byText = [...sequences].sort();
    const byCompact = [...sequences].sort((a, b) => (compactSequence(a) < compactSequence(b) ? -1 : compactSequence(a) > compactSequence(b) ? 1 : 0));
    expect(byCompact).toEqual(byText);
    expect(compactSequence(sortKey(184))).toBe('3184');
  });

  it('keeps anything else whole, after every sort key', () => {
    expect(compactSequence('abc')).toBe('~abc');
    expect(compactSequence('abc') > compactSequence(sortKey(10n ** 40n - 1n))).toBe(true);
  });
});
