import { createCipheriv, scryptSync } from 'node:crypto';
import { constantTimeEquals } from './constant-time';

// Appwrite cannot carry Firebase's rounds/mem_cost, so these are fixed (Firebase's usual 8 / 14).
const N = 16384;
const R = 8;
const P = 1;
const DK_LEN = 64;
const MAXMEM = 64 * 1024 * 1024;

function firebaseHash(passwordBytes: Buffer, salt: Buffer, signerKey: Buffer): string {
  const dk = scryptSync(passwordBytes, salt, DK_LEN, { N, r: R, p: P, maxmem: MAXMEM });
  const cipher = createCipheriv('aes-256-ctr', dk.subarray(0, 32), Buffer.alloc(16, 0));
  return Buffer.concat([cipher.update(signerKey), cipher.final()]).toString('base64');
}

/** PHP utf8_encode(): every byte re-encoded as if it were an ISO-8859-1 character. */
function utf8Encode(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1'), 'utf8');
}

export function verify(password: string, storedHash: string, hashOptions: Record<string, unknown> = {}): boolean {
  if (typeof storedHash !== 'string') return false;
  const options = hashOptions ?? {};
  const { salt, saltSeparator, signerKey } = options;
  if (typeof salt !== 'string' || typeof saltSeparator !== 'string' || typeof signerKey !== 'string') {
    return false;
  }
  try {
    const saltBytes = Buffer.concat([Buffer.from(salt, 'base64'), Buffer.from(saltSeparator, 'base64')]);
    const key = Buffer.from(signerKey, 'base64');
    const raw = Buffer.from(password, 'utf8');
    // Genuine Firebase hashes use the raw UTF-8 bytes; Appwrite itself (utf8_encode) only matches
    // hashes it would have produced. Try Firebase's form first, Appwrite's only when they differ.
    if (constantTimeEquals(firebaseHash(raw, saltBytes, key), storedHash)) return true;
    if (/^[\x00-\x7f]*$/.test(password)) return false;
    return constantTimeEquals(firebaseHash(utf8Encode(raw), saltBytes, key), storedHash);
  } catch {
    return false;
  }
}
