import { isIP } from 'node:net';

/**
 * How Appwrite 1.3.8 hands a session to a browser (account.php, general.php): two cookies,
 * `a_session_<project>_legacy` (no SameSite, for old browsers) and `a_session_<project>`
 * (SameSite=None), both httpOnly, path `/`, expiring with the session, `Secure` over https, with
 * `Domain=.<api host>` unless the host is `localhost` or an ip; and, when the page's origin is not
 * on the API's registrable domain, the same value in `X-Fallback-Cookies` for clients whose
 * browser refuses third-party cookies.
 */

export interface CookieTarget {
  projectId: string;
  /** The host name the client addressed (no port). */
  hostname: string;
  /** https: the cookies are `Secure`. */
  secure: boolean;
}

export const sessionCookieName = (projectId: string) => `a_session_${projectId}`;

/** Where the answer's cookies are for: the host the client addressed (trusted proxies may say it), https or not. */
export function cookieTargetOf(req: { hostname: string; protocol: string }, projectId: string): CookieTarget {
  return { projectId, hostname: req.hostname ?? '', secure: req.protocol === 'https' };
}

/** `Domain` attribute: none for localhost and ip addresses (as Appwrite's `cookieDomain`). */
export function cookieDomain(hostname: string): string | null {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === '' || host === 'localhost' || isIP(host) !== 0 ? null : `.${host}`;
}

function cookie(name: string, value: string, expires: Date, target: CookieTarget, sameSite: string | null, maxAgeZero = false): string {
  const domain = cookieDomain(target.hostname);
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Expires=${expires.toUTCString()}`,
    ...(maxAgeZero ? ['Max-Age=0'] : []),
    'Path=/',
    ...(domain ? [`Domain=${domain}`] : []),
    ...(target.secure ? ['Secure'] : []),
    'HttpOnly',
    ...(sameSite ? [`SameSite=${sameSite}`] : []),
  ].join('; ');
}

/** The two `Set-Cookie` values of a new session (legacy first, as Appwrite sends them). */
export function sessionCookies(target: CookieTarget, value: string, expire: string): string[] {
  const expires = new Date(Date.parse(expire));
  const name = sessionCookieName(target.projectId);
  return [cookie(`${name}_legacy`, value, expires, target, null), cookie(name, value, expires, target, 'None')];
}

/** The `Set-Cookie` values that remove both cookies (empty, expired an hour ago). */
export function clearedSessionCookies(target: CookieTarget, now = Date.now()): string[] {
  const past = new Date(now - 3600_000);
  const name = sessionCookieName(target.projectId);
  return [cookie(`${name}_legacy`, '', past, target, null, true), cookie(name, '', past, target, 'None', true)];
}

/**
 * Multi-label public suffixes under which a registrable domain has three labels. Appwrite uses
 * the full public suffix list; this is its common subset (no PSL package is installed here), so
 * for rarer suffixes the registrable domain is taken as the last two labels.
 */
const MULTI_LABEL_SUFFIXES = new Set([
  ...['co', 'ac', 'gov', 'org', 'net', 'ltd', 'plc', 'me', 'sch', 'nhs'].map((s) => `${s}.uk`),
  ...['com', 'net', 'org', 'edu', 'gov', 'asn', 'id'].map((s) => `${s}.au`),
  ...['co', 'ne', 'or', 'ac', 'go', 'ad', 'ed', 'gr', 'lg'].map((s) => `${s}.jp`),
  ...['co', 'net', 'org', 'ac', 'govt', 'school', 'geek', 'gen', 'kiwi'].map((s) => `${s}.nz`),
  ...['com', 'net', 'org', 'gov', 'edu', 'art', 'blog', 'eco', 'nom'].map((s) => `${s}.br`),
  ...['com', 'net', 'org', 'gov', 'edu', 'ac'].map((s) => `${s}.cn`),
  ...['co', 'net', 'org', 'firm', 'gen', 'ind', 'ac', 'edu', 'gov'].map((s) => `${s}.in`),
  ...['co', 'org', 'net', 'web', 'ac', 'gov'].map((s) => `${s}.za`),
  ...['com', 'org', 'net', 'gob', 'edu'].map((s) => `${s}.mx`),
  ...['com', 'org', 'net', 'gov', 'edu'].map((s) => `${s}.tr`),
  ...['co', 'or', 'ne', 'ac', 'go', 're'].map((s) => `${s}.kr`),
  ...['com', 'org', 'net', 'edu', 'gov'].map((s) => `${s}.sg`),
  ...['com', 'org', 'net', 'edu', 'gov', 'idv'].map((s) => `${s}.tw`),
  ...['com', 'org', 'net', 'edu', 'gov', 'idv'].map((s) => `${s}.hk`),
  ...['co', 'ac', 'org', 'net'].map((s) => `${s}.il`),
  ...['com', 'org', 'net'].map((s) => `${s}.ar`),
  'github.io', 'herokuapp.com', 'vercel.app', 'netlify.app', 'pages.dev', 'web.app', 'firebaseapp.com', 'appspot.com', 'azurewebsites.net', 'cloudfront.net',
]);

/** `Domain::getRegisterable()`: `''` for localhost, ip addresses and bare suffixes. */
export function registrableDomain(hostname: string): string {
  const host = hostname.trim().toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
  if (host === '' || isIP(host) !== 0) return '';
  const labels = host.split('.');
  if (labels.length < 2 || labels.some((l) => l === '')) return '';
  const lastTwo = labels.slice(-2).join('.');
  if (MULTI_LABEL_SUFFIXES.has(lastTwo)) return labels.length >= 3 ? labels.slice(-3).join('.') : '';
  return lastTwo;
}

/** The host of the page that made the request: the `Origin` header, else the `Referer`. */
export function originHost(origin: string | undefined, referer: string | undefined): string {
  for (const candidate of [origin, referer]) {
    if (!candidate) continue;
    try {
      return new URL(candidate).hostname;
    } catch {
      /* not a URL: try the next one */
    }
  }
  return '';
}

/**
 * Appwrite's `domainVerification` negated: the fallback header is sent unless the page's origin
 * and the API host share a (non-empty) registrable domain — so also when there is no Origin.
 */
export function needsFallbackCookies(apiHostname: string, pageHost: string): boolean {
  const page = registrableDomain(pageHost);
  return page === '' || page !== registrableDomain(apiHostname);
}

/** `X-Fallback-Cookies` as Appwrite writes it (`json_encode`, slashes escaped). */
export function fallbackCookiesHeader(projectId: string, value: string | null): string {
  const body = value === null ? '[]' : JSON.stringify({ [sessionCookieName(projectId)]: value });
  return body.replace(/\//g, '\\/');
}
