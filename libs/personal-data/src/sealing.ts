import { createCipheriv, createDecipheriv, createHmac, randomFillSync } from 'node:crypto';

/** AES-256: data keys and the master key are 32 bytes. */
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Authentication failed: another key, a changed byte, or other associated data than it was sealed with. */
export class SealBrokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SealBrokenError';
  }
}

/*
 * Fresh 96-bit IVs, drawn from the OS's random source a block at a time: one draw serves 1,024
 * values, where a draw per value cost as much as the encryption itself. Every IV is used once.
 */
const ivBlock = Buffer.alloc(IV_BYTES * 1024);
let ivOffset = ivBlock.length;
function nextIv(): Buffer {
  if (ivOffset === ivBlock.length) {
    randomFillSync(ivBlock);
    ivOffset = 0;
  }
  const iv = ivBlock.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/**
 * AES-256-GCM with a random IV: `iv ‖ ciphertext ‖ tag`. The associated data is authenticated,
 * not stored. A string is sealed as its UTF-8 bytes.
 */
export function seal(key: Buffer, plaintext: Buffer | string, associatedData: Buffer): Buffer {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData);
  const body = typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext);
  // GCM's final() adds no bytes: the ciphertext is as long as the plaintext.
  cipher.final();
  const sealed = Buffer.allocUnsafe(IV_BYTES + body.length + TAG_BYTES);
  iv.copy(sealed, 0);
  body.copy(sealed, IV_BYTES);
  cipher.getAuthTag().copy(sealed, IV_BYTES + body.length);
  return sealed;
}

/** The plaintext of `seal`; throws SealBrokenError unless key, bytes and associated data are the sealing ones. */
export function open(key: Buffer, sealed: Buffer, associatedData: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new SealBrokenError(`sealed value of ${sealed.length} bytes is too short`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plaintext = decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES));
    // Checks the tag; adds no bytes (GCM), so the plaintext is update's alone.
    decipher.final();
    return plaintext;
  } catch (err) {
    throw new SealBrokenError('sealed value failed authentication', { cause: err });
  }
}

/** HMAC-SHA256 as hex: keyed names and fingerprints. */
export const hmacHex = (key: Buffer, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('hex');
