import * as argon2 from './algorithms/argon2';
import * as bcrypt from './algorithms/bcrypt';
import * as md5 from './algorithms/md5';
import * as phpass from './algorithms/phpass';
import * as scrypt from './algorithms/scrypt';
import * as scryptModified from './algorithms/scrypt-modified';
import * as sha from './algorithms/sha';

export type Verifier = (
  password: string,
  storedHash: string,
  hashOptions: Record<string, unknown>,
) => boolean | Promise<boolean>;

export interface StoredPassword {
  password: string | null;
  hash: string;
  hashOptions: Record<string, unknown>;
}

/** Keyed by the `hash` value Appwrite stores on the user. */
export const VERIFIERS: Readonly<Record<string, Verifier>> = Object.freeze({
  argon2: argon2.verify,
  bcrypt: bcrypt.verify,
  md5: md5.verify,
  sha: sha.verify,
  phpass: phpass.verify,
  scrypt: scrypt.verify,
  scryptMod: scryptModified.verify,
});

/**
 * Runs on the calling thread (argon2 at 64 MiB, scrypt and phpass are CPU-heavy): in a server
 * go through HashingPort / LocalHashingAdapter instead.
 */
export async function verifyStored(password: string, stored: StoredPassword): Promise<boolean> {
  if (typeof password !== 'string' || stored === null || typeof stored !== 'object') return false;
  if (typeof stored.password !== 'string') return false;
  if (!Object.prototype.hasOwnProperty.call(VERIFIERS, stored.hash)) return false;
  const options = stored.hashOptions !== null && typeof stored.hashOptions === 'object' ? stored.hashOptions : {};
  try {
    return (await VERIFIERS[stored.hash](password, stored.password, options)) === true;
  } catch {
    return false;
  }
}
