import { hashSync, verifySync } from '@node-rs/argon2';
import { hashDefault, hashDefaultSync, MAX_ARGON2_MEMORY_KIB, verify } from './argon2';

const APPWRITE_ARGON2I = '$argon2i$v=19$m=20,t=3,p=2$YXBwd3JpdGU$A/54i238ed09ZR4NwlACU5XnkjNBZU9QeOEuhjLiexI';
const PHP_EXAMPLE = '$argon2id$v=19$m=65536,t=4,p=3$RXNkZEVzbUFTLktXSHdmbQ$gyZnDtU0O9cduOGpZj15ocY/tEGql85lVM6t1YVm3HI';
const DEFAULT_PHC = /^\$argon2id\$v=19\$m=65536,t=4,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;
const cheap = { memoryCost: 16, timeCost: 1, parallelism: 1 };

describe('argon2 verify', () => {
  it('rejects argon2d even though the Node library accepts it', () => {
    const d = hashSync('secret', { ...cheap, algorithm: 0 });
    expect(d.startsWith('$argon2d$')).toBe(true);
    expect(verifySync(d, 'secret')).toBe(true);
    expect(verify('secret', d, {})).toBe(false);
  });

  it('accepts argon2i and argon2id, v=16 and a missing v= (meaning 16)', () => {
    const v16 = hashSync('secret', { ...cheap, algorithm: 2, version: 0 });
    expect(v16).toContain('$v=16$');
    expect(verify('secret', v16, {})).toBe(true);
    expect(verify('secret', v16.replace('$v=16$', '$'), {})).toBe(true);
    expect(verify('secret', hashSync('secret', { ...cheap, algorithm: 1 }), {})).toBe(true);
    expect(verify('appwrite', APPWRITE_ARGON2I, {})).toBe(true);
  });

  it('accepts parameters in another order', () => {
    expect(verify('appwrite', APPWRITE_ARGON2I.replace('m=20,t=3,p=2', 'p=2,t=3,m=20'), {})).toBe(true);
  });

  it('verifies bcrypt strings stored under argon2 (password_verify detects them)', () => {
    const bcrypt = '$2y$08$PDbMtV18J1KOBI9tIYabBuyUwBrtXPGhLxCy9pWP6xkldVOKLrLKy';
    expect(verify('secret', bcrypt, {})).toBe(true);
    expect(verify('Secret', bcrypt, {})).toBe(false);
  });

  it('is false for other formats and malformed strings instead of throwing', () => {
    for (const h of ['', 'garbage', '$1$abcdefgh$0123456789012345678901', APPWRITE_ARGON2I + '=', APPWRITE_ARGON2I.slice(0, 40), '$argon2id$v=19$t=3,p=2$YXBwd3JpdGU$A/54']) {
      expect(verify('appwrite', h, {})).toBe(false);
    }
  });

  it('refuses absurd memory costs instead of letting the allocation kill the process', () => {
    const huge = APPWRITE_ARGON2I.replace('m=20', `m=${2 ** 32 - 1}`);
    expect(verify('appwrite', huge, {})).toBe(false);
    expect(verify('appwrite', APPWRITE_ARGON2I.replace('m=20', `m=${MAX_ARGON2_MEMORY_KIB + 1}`), {})).toBe(false);
  });

  it('ignores hashOptions', () => {
    expect(verify('appwrite', APPWRITE_ARGON2I, { type: 'argon2', memoryCost: 1, timeCost: 1, threads: 1 })).toBe(true);
  });
});

describe('default hash', () => {
  it('produces the 97-char PHC string with m=65536,t=4,p=3 in that order', async () => {
    const phc = await hashDefault('password123');
    expect(phc).toHaveLength(97);
    expect(phc).toMatch(DEFAULT_PHC);
    expect(hashDefaultSync('password123')).toMatch(DEFAULT_PHC);
  });

  it('uses a fresh 16-byte salt each time', async () => {
    const [a, b] = await Promise.all([hashDefault('same'), hashDefault('same')]);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.split('$')[4], 'base64')).toHaveLength(16);
  });

  it('verifies with @node-rs/argon2 and with our verifier', async () => {
    const phc = await hashDefault('pässwörd 🔑');
    expect(verifySync(phc, 'pässwörd 🔑')).toBe(true);
    expect(verify('pässwörd 🔑', phc, {})).toBe(true);
    expect(verify('passwörd 🔑', phc, {})).toBe(false);
  });

  it('verifies the PHP 8.2 password_hash example from the spec', () => {
    expect(verify('password123', PHP_EXAMPLE, {})).toBe(true);
    expect(verifySync(PHP_EXAMPLE, 'password123')).toBe(true);
    expect(verify('password124', PHP_EXAMPLE, {})).toBe(false);
  });
});
