import { ASSOC_MAX_BYTES } from '@lib/appwrite';
import { ANY_CHAR, BodyAllowances, bounded, jsonString } from '@lib/http';


/**
 * Appwrite 1.3 sets no maximum on passwords (1.5 caps them at 256 bytes); hashed imports carry
 * PHC/bcrypt/scrypt strings of well under 200 characters. 512 code points leave room for both.
 */
export const PASSWORD_MAX_CHARS = 512;


/** Every body parameter of the Users API, by name (a test checks none is missing). */
export const USERS_BODY_ALLOWANCES: BodyAllowances = {
  // CustomId: a Key of at most 36 characters, or `unique()`.
  userId: bounded(jsonString(36)),
  // Email: at most 320 bytes, ASCII only.
  email: bounded(jsonString(320)),
  // Phone: '+' and at most 15 digits.
  phone: bounded(jsonString(16)),
  number: bounded(jsonString(16)),
  // Text(128).
  name: bounded(jsonString(128, ANY_CHAR)),
  passwordSalt: bounded(jsonString(128, ANY_CHAR)),
  passwordSaltSeparator: bounded(jsonString(128, ANY_CHAR)),
  passwordSignerKey: bounded(jsonString(128, ANY_CHAR)),
  // Password / PasswordDictionary: no maximum in Appwrite 1.3, so ours (see PASSWORD_MAX_CHARS).
  password: { bytes: jsonString(PASSWORD_MAX_CHARS, ANY_CHAR), ruleBoundsSize: false },
  // WhiteList of SHA versions, the longest being `sha512/224` (`/` may be escaped).
  passwordVersion: bounded(jsonString(10)),
  // IntegerStrict: a 64-bit integer, at most 20 characters, written with an exponent at worst.
  passwordCpu: bounded(32),
  passwordMemory: bounded(32),
  passwordParallel: bounded(32),
  passwordLength: bounded(32),
  // Booleans; the loose one also takes "false" and friends.
  status: bounded(jsonString(5)),
  emailVerification: bounded(jsonString(5)),
  phoneVerification: bounded(jsonString(5)),
  // Assoc: at most 65 535 bytes in PHP's encoding. A client's own encoding can be longer
  // (Python's json.dumps adds a space after every `:` and `,`, up to 1.5x; pretty printers
  // indent), so twice that.
  prefs: bounded(2 * ASSOC_MAX_BYTES),
  // Range (createToken, createJWT): an integer, or a numeric string of one.
  length: bounded(32),
  expire: bounded(32),
  duration: bounded(32),
  // UID (createJWT), or `recent`.
  sessionId: bounded(jsonString(36)),
  // Booleans of 1.5+ (updateMfa, updateImpersonator).
  mfa: bounded(jsonString(5)),
  impersonator: bounded(jsonString(5)),
  // ArrayList of at most 1000 labels of at most 36 ASCII letters and digits, with commas.
  labels: bounded(2 + 1000 * (jsonString(36) + 1)),
  // Targets: CustomId, WhiteList (email, sms, push), Text(255), UID.
  targetId: bounded(jsonString(36)),
  providerType: bounded(jsonString(5)),
  identifier: bounded(jsonString(255, ANY_CHAR)),
  providerId: bounded(jsonString(36)),
};

