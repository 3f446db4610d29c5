import { createHash } from 'node:crypto';
import { decodeSession, encodeSession, hashSessionSecret, newSessionSecret, secretMatcher } from './session-secret';

describe('session secrets', () => {
  it('are 128 random bytes as 256 lower-case hex characters, different every time', () => {
    const a = newSessionSecret();
    expect(a).toMatch(/^[0-9a-f]{256}$/);
    expect(newSessionSecret()).not.toBe(a);
  });

  it('are stored as their hex SHA-256 (Appwrite Auth::hash)', () => {
    expect(hashSessionSecret('abc')).toBe(createHash('sha256').update('abc').digest('hex'));
  });

  it('travel as base64(JSON {id, secret}), as Auth::encodeSession writes it', () => {
    const value = encodeSession('u1', 'f00d');
    expect(Buffer.from(value, 'base64').toString('utf8')).toBe('{"id":"u1","secret":"f00d"}');
    expect(decodeSession(value)).toEqual({ userId: 'u1', secret: 'f00d' });
  });

  it('decode to nothing unless they are an object with a non-empty id and secret', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    for (const bad of ['', 'not base64 at all', b64('[1,2]'), b64('null'), b64('{"id":"u1"}'), b64('{"id":1,"secret":"x"}'), b64('{"id":"","secret":"x"}'), b64('{"id":"u","secret":""}'), 'x'.repeat(5000)]) {
      expect(decodeSession(bad)).toBeNull();
    }
  });

  it('match their stored hash only, and never a malformed one', () => {
    const secret = newSessionSecret();
    const matches = secretMatcher(secret);
    expect(matches(hashSessionSecret(secret))).toBe(true);
    expect(matches(hashSessionSecret(secret + '0'))).toBe(false);
    expect(matches(null)).toBe(false);
    expect(matches('abc')).toBe(false);
    expect(matches(hashSessionSecret(secret).toUpperCase())).toBe(false);
  });
});
