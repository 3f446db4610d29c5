import { hkdfSync } from 'node:crypto';
import { KEY_BYTES, hmacHex, open, seal, SealBrokenError } from './sealing';

/**
 * Data keys are stored wrapped (AES-256-GCM) by the master key, `DATA_ENCRYPTION_KEY`. The key's
 * id is the associated data: a wrapped key copied to another row does not unwrap. Losing the
 * master key makes every data key, hence every personal field, unreadable.
 */
const wrapContext = (keyId: string) => Buffer.from(`personal-data/data-key/v1\n${keyId}`, 'utf8');

export class MasterKeyMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyMismatchError';
  }
}

export function wrapDataKey(master: Buffer, keyId: string, dataKey: Buffer): Buffer {
  return seal(master, dataKey, wrapContext(keyId));
}

export function unwrapDataKey(master: Buffer, keyId: string, wrapped: Buffer): Buffer {
  try {
    const key = open(master, wrapped, wrapContext(keyId));
    if (key.length !== KEY_BYTES) throw new SealBrokenError(`data key ${keyId} is ${key.length} bytes`);
    return key;
  } catch (err) {
    if (!(err instanceof SealBrokenError)) throw err;
    throw new MasterKeyMismatchError(`data key ${keyId} does not unwrap with DATA_ENCRYPTION_KEY: the key store was written with another master key, or its row was changed`);
  }
}

/** What a key store records of the master key it was first used with: an HMAC, from which the key cannot be had. */
export const masterKeyCheck = (master: Buffer): string => hmacHex(master, 'personal-data/master-key-check/v1');

/** A key for one purpose, derived from the master key (HKDF-SHA256): stable for as long as the master key is. */
export const deriveKey = (master: Buffer, purpose: string): Buffer => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `personal-data/${purpose}`, KEY_BYTES));
