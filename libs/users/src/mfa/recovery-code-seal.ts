import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { JwtKey } from '@lib/http';
import type { SealedSecret } from '../user.events';

/**
 * MFA recovery codes are shown again by Get MFA Recovery Codes, so they cannot be hashed; they
 * are sealed (AES-256-GCM) with a key derived from the deployment's secret, so the event log
 * never holds them in clear. The user id is bound in as associated data: a sealed value copied
 * into another user's stream does not open.
 */
const sealingKey = (key: JwtKey) => Buffer.from(hkdfSync('sha256', key.secret, Buffer.alloc(0), 'users-service/mfa-recovery-codes/v1', 32));

export function sealRecoveryCodes(key: JwtKey, userId: string, codes: readonly string[]): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(key), iv);
  cipher.setAAD(Buffer.from(userId, 'utf8'));
  const data = Buffer.concat([cipher.update(JSON.stringify(codes), 'utf8'), cipher.final()]);
  return { alg: 'A256GCM', iv: iv.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Throws when the seal was not made with this key for this user. */
export function openRecoveryCodes(key: JwtKey, userId: string, sealed: SealedSecret): string[] {
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(key), Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(userId, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  return JSON.parse(plain) as string[];
}

/** Appwrite's recovery codes: six codes of ten lower-case hex characters. */
export const newRecoveryCodes = (): string[] => Array.from({ length: 6 }, () => randomBytes(5).toString('hex'));
