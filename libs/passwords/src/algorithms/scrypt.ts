import { scryptSync } from 'node:crypto';
import { constantTimeEquals } from './constant-time';

/**
 * Node refuses when ~128·N·r exceeds maxmem (default 32 MiB), which real imported parameters
 * (e.g. N=16384, r=12 → 24 MiB plus overhead) can hit. 256 MiB admits realistic hashes while
 * still bounding what a hostile import can make a worker allocate.
 */
export const SCRYPT_MAXMEM = 256 * 1024 * 1024;

const DEFAULTS = { costCpu: 8, costMemory: 14, costParallel: 1, length: 64 } as const;

function intOption(options: Record<string, unknown>, key: keyof typeof DEFAULTS): number | null {
  const raw = options[key];
  if (raw === undefined || raw === null) return DEFAULTS[key];
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

export function verify(password: string, storedHash: string, hashOptions: Record<string, unknown> = {}): boolean {
  if (typeof storedHash !== 'string') return false;
  const options = hashOptions ?? {};
  const salt = options.salt;
  if (typeof salt !== 'string') return false;
  const N = intOption(options, 'costCpu');
  const r = intOption(options, 'costMemory');
  const p = intOption(options, 'costParallel');
  const length = intOption(options, 'length');
  // PHP's scrypt extension refuses keys shorter than 16 bytes, so such a user never verifies.
  if (N === null || r === null || p === null || length === null || length < 16) return false;
  try {
    const dk = scryptSync(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), length, {
      N,
      r,
      p,
      maxmem: SCRYPT_MAXMEM,
    });
    return constantTimeEquals(dk.toString('hex'), storedHash);
  } catch {
    // Invalid N (not a power of two), memory limit exceeded, …: PHP would not verify either.
    return false;
  }
}
