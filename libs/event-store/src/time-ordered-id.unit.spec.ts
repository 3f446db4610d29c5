import { timeOrderedId } from './time-ordered-id';

describe('time-ordered ids', () => {
  it('are UUIDs of version 7 and RFC variant, with their millisecond in the first 48 bits', () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sort by the time they were made, and never repeat', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => timeOrderedId(1_700_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    const firstOfEachMs = ids.filter((_, i) => i % 10 === 0);
    expect([...firstOfEachMs].sort()).toEqual(firstOfEachMs);
  });
});
