import { createHmac } from 'node:crypto';
import { signJwt, verifyJwt } from './jwt';

const KEY = Buffer.alloc(32, 7);
const NOW = 1_700_000_000;

describe('user JWTs (HS256)', () => {
  const token = signJwt({ userId: 'u1', sessionId: 's1', exp: NOW + 900 }, KEY);

  it('round-trips its claims until they expire', () => {
    expect(verifyJwt(token, KEY, NOW)).toEqual({ userId: 'u1', sessionId: 's1', exp: NOW + 900 });
    expect(verifyJwt(token, KEY, NOW + 900)).toBeNull();
  });

  it('refuses another key, a changed payload, alg none and garbage', () => {
    expect(verifyJwt(token, Buffer.alloc(32, 8), NOW)).toBeNull();
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ userId: 'admin', sessionId: 's1', exp: NOW + 900 })).toString('base64url');
    expect(verifyJwt(`${h}.${forged}.${s}`, KEY, NOW)).toBeNull();
    const none = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'none' })).toString('base64url');
    expect(verifyJwt(`${none}.${forged}.`, KEY, NOW)).toBeNull();
    for (const bad of ['', 'a.b', 'a.b.c', `${h}.!!!.${s}`]) expect(verifyJwt(bad, KEY, NOW)).toBeNull();
  });

  it('is a standard HS256 token (header, payload, HMAC-SHA256 over both)', () => {
    const [h, p, s] = token.split('.');
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(createHmac('sha256', KEY).update(`${h}.${p}`).digest('base64url')).toBe(s);
  });
});
