import { randomBytes } from 'node:crypto';
import { hash as argon2Hash, hashSync as argon2HashSync, verifySync as argon2VerifySync } from '@node-rs/argon2';
import { isBcryptHash, verify as verifyBcrypt } from './bcrypt';

/**
 * What PHP's password_hash really computes for Appwrite (spec §2), not what hashOptions
 * advertises. `algorithm: 2` is Argon2id: the package's enum is a const enum, unusable under
 * isolatedModules.
 */
export const DEFAULT_ARGON2_PARAMS = Object.freeze({
  algorithm: 2 as const,
  memoryCost: 65536,
  timeCost: 4,
  parallelism: 3,
  outputLen: 32,
});
const DEFAULT_SALT_BYTES = 16;

/**
 * A stored m= is allocated as-is by the native verifier, and an allocation failure aborts the
 * whole process (observed: m=2^32-1 gets the process OOM-killed). PHP merely returns false when
 * libargon2 cannot allocate, so refusing above 1 GiB keeps the same outcome without the crash.
 */
export const MAX_ARGON2_MEMORY_KIB = 1024 * 1024;

// Both Node verifiers accept any parameter order; PHP needs m,t,p but accepting more is harmless.
const ARGON2_RE = /^\$argon2(id|i|d)\$(?:v=(\d+)\$)?([^$]*)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

function memoryCostOf(params: string): number | null {
  const m = /(?:^|,)m=(\d{1,10})(?:,|$)/.exec(params);
  return m ? Number(m[1]) : null;
}

export async function hashDefault(password: string): Promise<string> {
  return argon2Hash(password, { ...DEFAULT_ARGON2_PARAMS, salt: randomBytes(DEFAULT_SALT_BYTES) });
}

/** Synchronous form for the worker pool: computing on the pool thread rather than libuv's. */
export function hashDefaultSync(password: string): string {
  return argon2HashSync(password, { ...DEFAULT_ARGON2_PARAMS, salt: randomBytes(DEFAULT_SALT_BYTES) });
}

export function verify(password: string, storedHash: string, _hashOptions: Record<string, unknown> = {}): boolean {
  if (typeof storedHash !== 'string') return false;
  if (storedHash.startsWith('$argon2')) {
    const m = ARGON2_RE.exec(storedHash);
    // PHP has no argon2d verifier; the Node libraries would accept it, so refuse explicitly.
    if (!m || m[1] === 'd') return false;
    const memory = memoryCostOf(m[3]);
    if (memory === null || memory > MAX_ARGON2_MEMORY_KIB) return false;
    try {
      return argon2VerifySync(storedHash, password);
    } catch {
      return false;
    }
  }
  // password_verify() detects bcrypt strings too, so Appwrite accepts them under "argon2".
  if (isBcryptHash(storedHash)) return verifyBcrypt(password, storedHash);
  return false;
}
