import { createHash } from 'node:crypto';
import { verify } from './phpass';

describe('phpass verify', () => {
  it('handles the $H$ (phpBB) prefix like $P$', () => {
    expect(verify('test12345', '$H$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0', {})).toBe(true);
    expect(verify('test12345', '$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0', {})).toBe(true);
  });

  it('matches a straightforward transcription of the spec (2^7 rounds, UTF-8 password)', () => {
    const itoa = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const salt = 'abcdefgh';
    const pw = Buffer.from('pässword', 'utf8');
    let x = createHash('md5').update(salt).update(pw).digest();
    for (let i = 0; i < 128; i++) x = createHash('md5').update(x).update(pw).digest();
    let enc = '';
    for (let i = 0; i < 16; i += 3) {
      const v = x[i] | ((x[i + 1] ?? 0) << 8) | ((x[i + 2] ?? 0) << 16);
      enc += itoa[v & 63] + itoa[(v >> 6) & 63];
      if (i + 1 < 16) enc += itoa[(v >> 12) & 63];
      if (i + 2 < 16) enc += itoa[(v >> 18) & 63];
    }
    const h = `$P$5${salt}${enc}`;
    expect(h).toHaveLength(34);
    expect(verify('pässword', h, {})).toBe(true);
    expect(verify('password', h, {})).toBe(false);
  });

  it('is false for out-of-range counts, short salts and non-portable formats', () => {
    const good = '$P$BVKPmJBZuLch27D4oiMRTEykGLQ9tX0';
    expect(verify('pass123', good, {})).toBe(true);
    expect(verify('pass123', '$P$4' + good.slice(4), {})).toBe(false); // 2^6 < 2^7
    expect(verify('pass123', '$P$U' + good.slice(4), {})).toBe(false); // 2^31 > 2^30
    expect(verify('pass123', '$P$BVKPmJ', {})).toBe(false);
    expect(verify('pass123', '$1$VKPmJBZu$Lch27D4oiMRTEykGLQ9tX0', {})).toBe(false);
    expect(verify('pass123', '', {})).toBe(false);
  });

  it('falls back to bcrypt for blowfish-mode strings', () => {
    expect(verify('secret', '$2a$08$PDbMtV18J1KOBI9tIYabBuyUwBrtXPGhLxCy9pWP6xkldVOKLrLKy', {})).toBe(true);
  });
});
