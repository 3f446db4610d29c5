import { randomBytes } from 'node:crypto';
import { open, seal, SealBrokenError } from './sealing';

const key = randomBytes(32);
const aad = Buffer.from('event-1\nuser-p:u\ndata.email');
const plain = Buffer.from('"ada@example.com"');

describe('sealing (AES-256-GCM)', () => {
  it('opens what it sealed, and never seals the same value the same way twice (fresh IV)', () => {
    const a = seal(key, plain, aad);
    const b = seal(key, plain, aad);
    expect(open(key, a, aad)).toEqual(plain);
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false);
    expect(a.includes(plain)).toBe(false);
  });

  it('refuses a changed byte anywhere: IV, ciphertext or tag', () => {
    const sealed = seal(key, plain, aad);
    for (const at of [0, 12, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at] ^= 0x01;
      expect(() => open(key, tampered, aad)).toThrow(SealBrokenError);
    }
  });

  it('refuses other associated data (another event, stream or field) and another key', () => {
    const sealed = seal(key, plain, aad);
    expect(() => open(key, sealed, Buffer.from('event-2\nuser-p:u\ndata.email'))).toThrow(SealBrokenError);
    expect(() => open(randomBytes(32), sealed, aad)).toThrow(SealBrokenError);
  });

  it('refuses a value too short to hold an IV and a tag', () => {
    expect(() => open(key, Buffer.alloc(20), aad)).toThrow(SealBrokenError);
  });
});
