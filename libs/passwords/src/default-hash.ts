import { hashDefault, hashDefaultSync } from './algorithms/argon2';

export { hashDefault, hashDefaultSync };

export const DEFAULT_HASH_ALGORITHM = 'argon2';

/**
 * The object Appwrite stores for plain-text passwords. memoryCost 2048 is intentionally wrong
 * (the hash really uses m=65536, spec §2) and must be returned unchanged for wire compatibility.
 */
export const DEFAULT_HASH_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'argon2',
  memoryCost: 2048,
  timeCost: 4,
  threads: 3,
});

/** A fresh copy, so callers that mutate or serialise a user's options never touch the constant. */
export function defaultHashOptions(): Record<string, unknown> {
  return { ...DEFAULT_HASH_OPTIONS };
}
