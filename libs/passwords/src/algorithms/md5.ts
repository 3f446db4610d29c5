import { createHash } from 'node:crypto';
import { constantTimeEquals } from './constant-time';

export function verify(password: string, storedHash: string, _hashOptions: Record<string, unknown> = {}): boolean {
  if (typeof storedHash !== 'string') return false;
  // Appwrite compares against lower-case hex only: an upper-case stored digest never matches.
  return constantTimeEquals(createHash('md5').update(password, 'utf8').digest('hex'), storedHash);
}
