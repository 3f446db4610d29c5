import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { RecordKey } from './idempotency-store.port';

/** 1 to 255 visible ASCII characters (no spaces, no control characters). */
const KEY_SYNTAX = /^[\x21-\x7e]{1,255}$/;

export const isValidIdempotencyKey = (value: string): boolean => KEY_SYNTAX.test(value);

/** An answer as it is kept and repeated: status, the headers that matter, the body bytes. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  /** base64 */
  body: string;
}

const DERIVATION_SALT = 'users-service/idempotency/v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A client's idempotency key in one project, and what is derived from it. The store never holds
 * the key: records are found by an id derived from it, the request's fingerprint is an HMAC
 * under a key derived from it, and the answer is sealed (AES-256-GCM) under another. Whoever
 * reads the store without the key learns neither the requests (their bodies may hold passwords)
 * nor the answers (they may hold session secrets); a client should therefore use random keys
 * (UUIDs), as for any secret.
 */
export class IdempotencyKey {
  readonly record: RecordKey;
  private readonly fingerprintKey: Buffer;
  private readonly sealingKey: Buffer;

  constructor(projectId: string, key: string) {
    // One derivation, three independent 32-byte keys: the record id, the fingerprint's, the answer's.
    const derived = Buffer.from(hkdfSync('sha256', key, DERIVATION_SALT, `idempotency-key\0${projectId}`, 96));
    this.record = { projectId, keyId: derived.subarray(0, 32).toString('hex') };
    this.fingerprintKey = derived.subarray(32, 64);
    this.sealingKey = derived.subarray(64, 96);
  }

  /** The request as the parts that make it the same request (each already canonical). */
  fingerprint(parts: readonly string[]): string {
    return createHmac('sha256', this.fingerprintKey).update(JSON.stringify(parts)).digest('hex');
  }

  seal(answer: StoredAnswer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.sealingKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(this.record.keyId));
    const data = Buffer.concat([cipher.update(JSON.stringify(answer), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]);
  }

  /** Throws when the sealed answer was not sealed under this key (or was altered). */
  open(sealed: Buffer): StoredAnswer {
    const decipher = createDecipheriv('aes-256-gcm', this.sealingKey, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(this.record.keyId));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const text = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as StoredAnswer;
  }
}

/** JSON with every object's keys in code-point order: two bodies that mean the same give the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}
