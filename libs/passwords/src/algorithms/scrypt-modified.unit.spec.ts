import { createCipheriv, scryptSync } from 'node:crypto';
import { verify } from './scrypt-modified';

const options = {
  signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
  saltSeparator: 'Bw==',
  salt: '42xEC+ixf3L2lw==',
  type: 'scryptMod',
};

function firebase(pw: Buffer): string {
  const salt = Buffer.concat([Buffer.from(options.salt, 'base64'), Buffer.from(options.saltSeparator, 'base64')]);
  const key = scryptSync(pw, salt, 64, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).subarray(0, 32);
  const c = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return Buffer.concat([c.update(Buffer.from(options.signerKey, 'base64')), c.final()]).toString('base64');
}

describe('scryptMod verify', () => {
  const password = 'pässwörd';

  it('accepts genuine Firebase hashes of non-ASCII passwords (raw UTF-8 bytes)', () => {
    expect(verify(password, firebase(Buffer.from(password, 'utf8')), options)).toBe(true);
  });

  it('also accepts hashes computed the Appwrite way (utf8_encode of the bytes)', () => {
    const doubleEncoded = Buffer.from(Buffer.from(password, 'utf8').toString('latin1'), 'utf8');
    expect(doubleEncoded).toHaveLength(Buffer.byteLength(password) + 4); // two 2-byte characters, each now 4 bytes
    expect(verify(password, firebase(doubleEncoded), options)).toBe(true);
    expect(verify('passwörd', firebase(doubleEncoded), options)).toBe(false);
  });

  it('is false for missing options', () => {
    const h = 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==';
    expect(verify('user1password', h, options)).toBe(true);
    expect(verify('user1password', h, { ...options, signerKey: undefined })).toBe(false);
    expect(verify('user1password', h, { type: 'scryptMod' })).toBe(false);
  });
});
