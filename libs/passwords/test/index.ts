import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One public password-hash test vector (hash-vectors.json, the spec's 40 for Appwrite 1.3's imports). */
export interface HashVector {
  id: string;
  algorithm: string;
  password: string;
  hash: string;
  hashOptions: Record<string, unknown>;
  /** Whether the password must verify against the hash with those options. */
  expected: boolean;
}

export const HASH_VECTORS: readonly HashVector[] = (JSON.parse(readFileSync(join(__dirname, 'hash-vectors.json'), 'utf8')) as { vectors: HashVector[] }).vectors;
