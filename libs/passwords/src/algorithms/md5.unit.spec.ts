import { createHash } from 'node:crypto';
import { verify } from './md5';

describe('md5 verify', () => {
  it('compares lower-case hex exactly', () => {
    expect(verify('appwrite', '144fa7eaa4904e8ee120651997f70dcc', {})).toBe(true);
    expect(verify('appwrite', '144FA7EAA4904E8EE120651997F70DCC', {})).toBe(false);
    expect(verify('appwrite', '144fa7eaa4904e8ee120651997f70dc', {})).toBe(false);
  });

  it('hashes the UTF-8 bytes', () => {
    const utf8 = createHash('md5').update(Buffer.from([0xc3, 0xa9])).digest('hex');
    const latin1 = createHash('md5').update(Buffer.from([0xe9])).digest('hex');
    expect(verify('é', utf8, {})).toBe(true);
    expect(verify('é', latin1, {})).toBe(false);
  });
});
