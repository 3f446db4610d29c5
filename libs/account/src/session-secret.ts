import { timingSafeEqual } from 'node:crypto';
import { newSessionSecret, secretHash } from '@lib/users';

/**
 * A session's secret as Appwrite 1.3 makes and hands it out (`Auth::tokenGenerator()`,
 * `Auth::hash()`, `Auth::encodeSession()`): 128 random bytes as 256 hex characters, of which
 * only the SHA-256 is stored; the client holds `base64(JSON {id: userId, secret})`.
 */
export { newSessionSecret };

/** hex SHA-256 of the secret: what the SessionCreated event and the sessions read model keep. */
export const hashSessionSecret = secretHash;

/** The cookie / `X-Appwrite-Session` value. */
export const encodeSession = (userId: string, secret: string): string => Buffer.from(JSON.stringify({ id: userId, secret }), 'utf8').toString('base64');

/**
 * `Auth::decodeSession()`: lenient base64, then a JSON object with a string `id` and `secret`;
 * anything else is no session at all (the caller is a guest), as in Appwrite.
 */
export function decodeSession(value: string): { userId: string; secret: string } | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const { id, secret } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' || typeof secret !== 'string' || id === '' || secret === '') return null;
  return { userId: id, secret };
}

/**
 * A presented secret, hashed once, against any number of stored hex hashes: each comparison in
 * constant time; a malformed stored hash never matches.
 */
export function secretMatcher(secret: string): (storedHash: string | null) => boolean {
  const presented = Buffer.from(hashSessionSecret(secret), 'hex');
  return (storedHash) => typeof storedHash === 'string' && /^[0-9a-f]{64}$/.test(storedHash) && timingSafeEqual(presented, Buffer.from(storedHash, 'hex'));
}
