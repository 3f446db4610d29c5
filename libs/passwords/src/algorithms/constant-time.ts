import { timingSafeEqual } from 'node:crypto';

/**
 * Constant-time string equality. timingSafeEqual throws on unequal lengths, so a length
 * mismatch is answered first; lengths of digests are public (they follow from the algorithm).
 */
export function constantTimeEquals(computed: string, stored: string): boolean {
  const a = Buffer.from(computed, 'utf8');
  const b = Buffer.from(stored, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
