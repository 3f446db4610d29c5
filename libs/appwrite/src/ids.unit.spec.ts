import { isUniqueIdRequest, uniqueId } from './ids';

describe('uniqueId', () => {
  it('is 20 lowercase hex characters', () => {
    for (let i = 0; i < 200; i++) expect(uniqueId()).toMatch(/^[0-9a-f]{20}$/);
  });

  it('starts with the current Unix time in seconds (8 hex) and valid microseconds (5 hex)', () => {
    const before = Math.floor(Date.now() / 1000);
    const id = uniqueId();
    const after = Math.floor(Date.now() / 1000);
    const seconds = parseInt(id.slice(0, 8), 16);
    const micros = parseInt(id.slice(8, 13), 16);
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(after + 1);
    expect(micros).toBeGreaterThanOrEqual(0);
    expect(micros).toBeLessThan(1_000_000);
  });

  it('has a strictly increasing time prefix within a process', () => {
    let prev = '';
    for (let i = 0; i < 5000; i++) {
      const prefix = uniqueId().slice(0, 13);
      expect(prefix > prev).toBe(true);
      prev = prefix;
    }
  });

  it('does not repeat', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10000; i++) ids.add(uniqueId());
    expect(ids.size).toBe(10000);
  });

  it('varies the random suffix', () => {
    const suffixes = new Set<string>();
    for (let i = 0; i < 100; i++) suffixes.add(uniqueId().slice(13));
    expect(suffixes.size).toBeGreaterThan(90);
  });
});

describe('isUniqueIdRequest', () => {
  it.each([
    ['unique()', true],
    ['', true],
    ['Unique()', false],
    ['unique', false],
    [' unique()', false],
    ['user1', false],
    [null, false],
    [undefined, false],
    [0, false],
  ])('%j → %s', (v, expected) => {
    expect(isUniqueIdRequest(v)).toBe(expected);
  });
});
