import { clearedSessionCookies, cookieDomain, cookieTargetOf, fallbackCookiesHeader, needsFallbackCookies, originHost, registrableDomain, sessionCookies } from './session-cookies';

const EXPIRE = '2031-05-09T05:19:31.112+00:00';

describe('session cookies', () => {
  it('are two: the legacy one without SameSite first, then a_session_<project> with SameSite=None', () => {
    const [legacy, main] = sessionCookies({ projectId: 'demo', hostname: 'api.example.com', secure: true }, 'eyJpZCI6InUxIn0=', EXPIRE);
    expect(legacy).toBe('a_session_demo_legacy=eyJpZCI6InUxIn0%3D; Expires=Fri, 09 May 2031 05:19:31 GMT; Path=/; Domain=.api.example.com; Secure; HttpOnly');
    expect(main).toBe('a_session_demo=eyJpZCI6InUxIn0%3D; Expires=Fri, 09 May 2031 05:19:31 GMT; Path=/; Domain=.api.example.com; Secure; HttpOnly; SameSite=None');
  });

  it('are not Secure over http and have no Domain on localhost or an ip address', () => {
    for (const hostname of ['localhost', '127.0.0.1', '[::1]', '']) {
      const cookies = sessionCookies({ projectId: 'p', hostname, secure: false }, 'v', EXPIRE);
      for (const c of cookies) {
        expect(c).not.toMatch(/Domain=|Secure/);
        expect(c).toMatch(/; Path=\/; HttpOnly/);
      }
    }
    expect(cookieDomain('localhost')).toBeNull();
    expect(cookieDomain('10.0.0.1')).toBeNull();
    expect(cookieDomain('appwrite.example.org')).toBe('.appwrite.example.org');
  });

  it('are cleared with empty values that expired an hour ago', () => {
    const now = Date.parse('2024-01-01T12:00:00Z');
    const [legacy, main] = clearedSessionCookies({ projectId: 'p', hostname: 'localhost', secure: false }, now);
    expect(legacy).toBe('a_session_p_legacy=; Expires=Mon, 01 Jan 2024 11:00:00 GMT; Max-Age=0; Path=/; HttpOnly');
    expect(main).toBe('a_session_p=; Expires=Mon, 01 Jan 2024 11:00:00 GMT; Max-Age=0; Path=/; HttpOnly; SameSite=None');
  });

  it('target the host the client addressed, Secure over https', () => {
    expect(cookieTargetOf({ hostname: 'api.x.io', protocol: 'https' }, 'p')).toEqual({ projectId: 'p', hostname: 'api.x.io', secure: true });
    expect(cookieTargetOf({ hostname: 'api.x.io', protocol: 'http' }, 'p').secure).toBe(false);
  });
});

describe('X-Fallback-Cookies', () => {
  it('uses the registrable domain of both hosts (public-suffix aware for common suffixes)', () => {
    expect(registrableDomain('api.example.com')).toBe('example.com');
    expect(registrableDomain('example.com')).toBe('example.com');
    expect(registrableDomain('www.shop.example.co.uk')).toBe('example.co.uk');
    expect(registrableDomain('co.uk')).toBe('');
    expect(registrableDomain('me.github.io')).toBe('me.github.io');
    expect(registrableDomain('localhost')).toBe('');
    expect(registrableDomain('127.0.0.1')).toBe('');
    expect(registrableDomain('::1')).toBe('');
    expect(registrableDomain('Example.COM.')).toBe('example.com');
  });

  it('is sent unless the page is on the API host’s registrable domain (so also without an Origin)', () => {
    expect(needsFallbackCookies('api.example.com', 'app.example.com')).toBe(false);
    expect(needsFallbackCookies('api.example.com', 'example.com')).toBe(false);
    expect(needsFallbackCookies('api.example.com', 'app.other.com')).toBe(true);
    expect(needsFallbackCookies('api.example.com', '')).toBe(true);
    expect(needsFallbackCookies('localhost', 'localhost')).toBe(true);
  });

  it('takes the page from Origin, else Referer', () => {
    expect(originHost('https://app.example.com', 'https://other.org/x')).toBe('app.example.com');
    expect(originHost(undefined, 'https://other.org/x?y')).toBe('other.org');
    expect(originHost('null', 'http://ref.io:8080/')).toBe('ref.io');
    expect(originHost(undefined, undefined)).toBe('');
  });

  it('holds the cookie as PHP json_encode writes it, or [] once the session is gone', () => {
    expect(fallbackCookiesHeader('p', 'ab/c=')).toBe('{"a_session_p":"ab\\/c="}');
    expect(JSON.parse(fallbackCookiesHeader('p', 'ab/c='))).toEqual({ a_session_p: 'ab/c=' });
    expect(fallbackCookiesHeader('p', null)).toBe('[]');
  });
});
