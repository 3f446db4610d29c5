import { hash as oneShotHash } from 'node:crypto';
import { constantTimeEquals } from './constant-time';
import { isBcryptHash, verify as verifyBcrypt } from './bcrypt';

const ITOA = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function encode64(input: Buffer): string {
  let out = '';
  let i = 0;
  const count = input.length;
  while (i < count) {
    let value = input[i++];
    out += ITOA[value & 0x3f];
    if (i < count) value |= input[i] << 8;
    out += ITOA[(value >> 6) & 0x3f];
    if (i++ >= count) break;
    if (i < count) value |= input[i] << 16;
    out += ITOA[(value >> 12) & 0x3f];
    if (i++ >= count) break;
    out += ITOA[(value >> 18) & 0x3f];
  }
  return out;
}

/** phpass crypt_private(); null when `setting` is not a portable hash. */
function cryptPrivate(password: Buffer, setting: string): string | null {
  const prefix = setting.slice(0, 3);
  if (prefix !== '$P$' && prefix !== '$H$') return null;
  const countLog2 = ITOA.indexOf(setting.charAt(3));
  if (countLog2 < 7 || countLog2 > 30) return null;
  const salt = setting.slice(4, 12);
  if (salt.length !== 8) return null;

  // One reusable buffer: the loop runs 2^k times (up to 2^30) and allocation would dominate.
  const block = Buffer.allocUnsafe(16 + password.length);
  password.copy(block, 16);
  let x = oneShotHash('md5', Buffer.concat([Buffer.from(salt, 'utf8'), password]), 'buffer');
  for (let n = 2 ** countLog2; n > 0; n--) {
    x.copy(block, 0);
    x = oneShotHash('md5', block, 'buffer');
  }
  return setting.slice(0, 12) + encode64(x);
}

export function verify(password: string, storedHash: string, _hashOptions: Record<string, unknown> = {}): boolean {
  if (typeof storedHash !== 'string') return false;
  // PHP slices the setting by bytes; a latin1 view of the UTF-8 bytes keeps that for odd input.
  const storedBytes = Buffer.from(storedHash, 'utf8');
  const computed = cryptPrivate(Buffer.from(password, 'utf8'), storedBytes.toString('latin1'));
  if (computed !== null) return constantTimeEquals(computed, storedBytes.toString('latin1'));
  // Appwrite falls back to crypt(p, h); the only format that occurs in practice is phpass's
  // blowfish mode. Other crypt(3) formats are refused (spec §3.5 step 6).
  if (isBcryptHash(storedHash)) return verifyBcrypt(password, storedHash);
  return false;
}
