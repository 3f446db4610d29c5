import { DEFAULT_HASH_ALGORITHM, DEFAULT_HASH_OPTIONS, defaultHashOptions } from './default-hash';

describe('default hash options', () => {
  it('advertises exactly what Appwrite stores, in Appwrite’s key order', () => {
    expect(DEFAULT_HASH_ALGORITHM).toBe('argon2');
    expect(JSON.stringify(DEFAULT_HASH_OPTIONS)).toBe('{"type":"argon2","memoryCost":2048,"timeCost":4,"threads":3}');
  });

  it('hands out copies, the constant is frozen', () => {
    const copy = defaultHashOptions();
    copy.memoryCost = 1;
    expect(DEFAULT_HASH_OPTIONS.memoryCost).toBe(2048);
    expect(Object.isFrozen(DEFAULT_HASH_OPTIONS)).toBe(true);
  });
});
