import { HASH_VECTORS } from '../test';
import { VERIFIERS, verifyStored } from './verify-stored';

const vectors = HASH_VECTORS;

describe('verifyStored', () => {
  it('has the 40 public vectors covering every algorithm', () => {
    expect(vectors).toHaveLength(40);
    expect(new Set(vectors.map((v) => v.algorithm))).toEqual(new Set(Object.keys(VERIFIERS)));
  });

  it.each(vectors.map((v) => [v.id, v] as const))('%s', async (_id, v) => {
    await expect(verifyStored(v.password, { password: v.hash, hash: v.algorithm, hashOptions: v.hashOptions })).resolves.toBe(
      v.expected,
    );
  });

  it('is false for a user without password', async () => {
    await expect(verifyStored('anything', { password: null, hash: 'argon2', hashOptions: {} })).resolves.toBe(false);
  });

  it('is false for unknown or inherited algorithm names', async () => {
    const md5 = '144fa7eaa4904e8ee120651997f70dcc';
    for (const hash of ['MD5', 'plaintext', 'toString', '__proto__', '']) {
      await expect(verifyStored('appwrite', { password: md5, hash, hashOptions: {} })).resolves.toBe(false);
    }
    await expect(verifyStored('appwrite', { password: md5, hash: 'md5', hashOptions: {} })).resolves.toBe(true);
  });

  it('tolerates missing hashOptions', async () => {
    const stored = { password: '144fa7eaa4904e8ee120651997f70dcc', hash: 'md5', hashOptions: null as unknown as Record<string, unknown> };
    await expect(verifyStored('appwrite', stored)).resolves.toBe(true);
  });
});
