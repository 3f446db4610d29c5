import { keyIds } from './data-keys';

describe('keyIds', () => {
  const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('are distinct UUIDv7s', () => {
    const ids = keyIds(4096);
    expect(ids.filter((id) => !V7.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(4096);
  });

  it('sort in the order they were made, a batch after the one before (text order, as the key stores index them)', () => {
    const earlier = keyIds(100, Date.UTC(2026, 0, 1));
    const later = keyIds(100, Date.UTC(2026, 0, 1) + 1);
    const highest = [...earlier].sort().pop()!;
    const lowest = [...later].sort()[0];
    expect(highest < lowest).toBe(true);
    // The milliseconds lead: 2026-01-01T00:00:00Z is 0x019b76daa800.
    expect(earlier[0].slice(0, 13)).toBe('019b76da-a800');
  });
});
