import { FixedWindowLimiter, LOGIN_ABUSE_LIMIT, LOGIN_ABUSE_WINDOW_SECONDS, loginAttemptKey } from './login-rate-limit';

describe('login abuse limit', () => {
  it('is Appwrite 1.3.8’s: 10 per key per window of 3600 s', () => {
    expect([LOGIN_ABUSE_LIMIT, LOGIN_ABUSE_WINDOW_SECONDS]).toEqual([10, 3600]);
  });

  it('lets 10 attempts through, refuses the 11th, and reports remaining and reset like TimeLimit', () => {
    let now = Date.parse('2024-01-01T10:20:00Z');
    const limiter = new FixedWindowLimiter(10, 3600, () => now);
    const reset = Date.parse('2024-01-01T11:00:00Z') / 1000;
    const verdicts = Array.from({ length: 12 }, () => limiter.attempt('k'));
    expect(verdicts.map((v) => v.allowed)).toEqual([...Array(10).fill(true), false, false]);
    expect(verdicts.map((v) => v.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0]);
    expect(new Set(verdicts.map((v) => v.reset))).toEqual(new Set([reset]));
    // Other keys have their own budget.
    expect(limiter.attempt('other').allowed).toBe(true);
    // Windows are aligned: a new one starts on the hour, with a fresh budget for everyone.
    now = Date.parse('2024-01-01T10:59:59Z');
    expect(limiter.attempt('k').allowed).toBe(false);
    now = Date.parse('2024-01-01T11:00:00Z');
    expect(limiter.attempt('k')).toEqual({ allowed: true, limit: 10, remaining: 9, reset: reset + 3600 });
    expect(limiter.size).toBe(1);
  });

  it('forgets the oldest keys beyond its capacity', () => {
    const limiter = new FixedWindowLimiter(1, 60, () => 0, 2);
    limiter.attempt('a');
    limiter.attempt('b');
    limiter.attempt('c');
    expect(limiter.size).toBe(2);
    expect(limiter.attempt('a').allowed).toBe(true);
    expect(limiter.attempt('c').allowed).toBe(false);
  });

  it('keys attempts by project and the email as sent, case-insensitively', () => {
    expect(loginAttemptKey('p', { email: 'Ann@X.io' })).toBe(loginAttemptKey('p', { email: 'ann@x.io' }));
    expect(loginAttemptKey('p', { email: 'ann@x.io' })).not.toBe(loginAttemptKey('q', { email: 'ann@x.io' }));
    // No email: Appwrite's unreplaced placeholder, one bucket for all of them.
    expect(loginAttemptKey('p', {})).toBe(loginAttemptKey('p', { email: '' }));
    expect(loginAttemptKey('p', undefined)).toBe('p\n{param-email}');
    expect(loginAttemptKey('p', { email: ['a'] })).toBe('p\n["a"]');
  });
});
