import { timingSafeEqual } from 'node:crypto';
import { decodeSession, encodeSession } from '@lib/appwrite';
import { newSessionSecret, secretHash } from '@lib/users';

/**
 * A session's secret as Appwrite 1.3 makes and hands it out (`Auth::tokenGenerator()`,
 * `Auth::hash()`, `Auth::encodeSession()`): 128 random bytes as 256 hex characters, of which
 * only the SHA-256 is stored; the client holds `base64(JSON {id: userId, secret})`.
 */
export { newSessionSecret };

/** hex SHA-256 of the secret: what the SessionCreated event and the sessions read model keep. */
export const hashSessionSecret = secretHash;

/** The cookie / `X-Appwrite-Session` value (Appwrite's session encoding, libs/appwrite). */
export { encodeSession, decodeSession };

/**
 * A presented secret, hashed once, against any number of stored hex hashes: each comparison in
 * constant time; a malformed stored hash never matches.
 */
export function secretMatcher(secret: string): (storedHash: string | null) => boolean {
  const presented = Buffer.from(hashSessionSecret(secret), 'hex');
  return (storedHash) => typeof storedHash === 'string' && /^[0-9a-f]{64}$/.test(storedHash) && timingSafeEqual(presented, Buffer.from(storedHash, 'hex'));
}
