import { admits, RevisionPrecondition, StaleRevisionError } from './revision-precondition';

describe('If-Match decision', () => {
  it('admits a stream at one of the listed revisions only', () => {
    expect(admits([3], 3)).toBe(true);
    expect(admits([1, 3], 3)).toBe(true);
    expect(admits([3], 4)).toBe(false);
    expect(admits([], 0)).toBe(false);
  });

  it('admits any revision for `*`, but never a stream that does not exist', () => {
    expect(admits('any', 0)).toBe(true);
    expect(admits('any', 41)).toBe(true);
    expect(admits('any', 'no_stream')).toBe(false);
    expect(admits([0], 'no_stream')).toBe(false);
  });

  it('guards the first write of its stream only, and throws StaleRevisionError when stale', () => {
    const p = new RevisionPrecondition('user-p:u1', [2]);
    expect(p.appliesTo('unique-p:email:a@b.c')).toBe(false);
    expect(p.appliesTo('user-p:u1')).toBe(true);
    expect(() => p.check(3)).toThrow(StaleRevisionError);
    expect(() => p.check(2)).not.toThrow();
    expect(p.wasConsumed).toBe(false);
    p.consume();
    expect(p.wasConsumed).toBe(true);
    expect(p.appliesTo('user-p:u1')).toBe(false);
  });
});
