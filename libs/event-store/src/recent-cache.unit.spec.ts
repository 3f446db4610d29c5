import { RecentCache } from './recent-cache';

describe('RecentCache', () => {
  it('keeps at most its capacity, dropping what was not used for longest', () => {
    const c = new RecentCache<string, number>(4);
    for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) c.set(k, i);
    expect(c.get('a')).toBe(0); // used again: kept
    c.set('e', 4);
    c.set('f', 5);
    expect([...c.entries()].length).toBeLessThanOrEqual(4);
    expect(c.get('a')).toBe(0);
    expect(c.has('b')).toBe(false);
    expect(c.get('f')).toBe(5);
  });

  it('overwrites, deletes from either generation, and lists every entry', () => {
    const c = new RecentCache<string, number>(4);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3); // a and b are now the previous generation
    c.set('a', 10);
    c.delete('b');
    expect(c.get('a')).toBe(10);
    expect(c.has('b')).toBe(false);
    expect(new Map(c.entries())).toEqual(new Map([['a', 10], ['c', 3]]));
  });

  it('refuses a capacity below 2', () => {
    expect(() => new RecentCache(1)).toThrow(RangeError);
  });
});
