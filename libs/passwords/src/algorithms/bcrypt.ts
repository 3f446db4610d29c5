import * as bcryptjs from 'bcryptjs';

/**
 * PHP's crypt() output for blowfish: `$2?$NN$` + 22 salt + 31 hash characters. Anything else
 * cannot equal crypt(p, h) in PHP, so refusing it early keeps bcryptjs from throwing or from
 * running an absurd cost on a malformed string.
 */
const BCRYPT_RE = /^\$2([abxy])\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$/;

export function isBcryptHash(storedHash: string): boolean {
  return BCRYPT_RE.test(storedHash);
}

export function verify(password: string, storedHash: string, _hashOptions: Record<string, unknown> = {}): boolean {
  const m = BCRYPT_RE.exec(storedHash);
  if (!m) return false;
  let candidate = storedHash;
  if (m[1] === 'x') {
    // $2x$ marks hashes from the sign-extension bug: they only differ from $2a$ for bytes >= 0x80,
    // which bcryptjs cannot reproduce, so only ASCII passwords can be checked (as $2a$).
    if (!/^[\x00-\x7f]*$/.test(password)) return false;
    candidate = '$2a$' + storedHash.slice(4);
  }
  try {
    // compareSync compares in constant time internally and truncates to 72 UTF-8 bytes like PHP.
    return bcryptjs.compareSync(password, candidate);
  } catch {
    return false;
  }
}
