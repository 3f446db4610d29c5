import { createHash } from 'node:crypto';
import { constantTimeEquals } from './constant-time';

export const DEFAULT_SHA_VERSION = 'sha3-512';

/** Appwrite `passwordVersion` (lower-cased) → Node/OpenSSL digest name. */
export const SHA_VERSIONS: Readonly<Record<string, string>> = Object.freeze({
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  'sha512/224': 'sha512-224',
  'sha512/256': 'sha512-256',
  sha512: 'sha512',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512',
});

export function verify(password: string, storedHash: string, hashOptions: Record<string, unknown> = {}): boolean {
  if (typeof storedHash !== 'string') return false;
  const version = hashOptions?.version;
  let nodeName: string | undefined;
  if (version === undefined || version === null) {
    // No stored version means sha3-512 whatever the digest length (matches Appwrite).
    nodeName = SHA_VERSIONS[DEFAULT_SHA_VERSION];
  } else if (typeof version === 'string') {
    const key = version.toLowerCase();
    nodeName = Object.prototype.hasOwnProperty.call(SHA_VERSIONS, key) ? SHA_VERSIONS[key] : undefined;
  }
  if (nodeName === undefined) return false;
  return constantTimeEquals(createHash(nodeName).update(password, 'utf8').digest('hex'), storedHash);
}
