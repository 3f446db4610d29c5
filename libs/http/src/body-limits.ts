/**
 * Request body limits: the one place that says how large a body each route accepts, derived
 * from the largest value each of its body parameters can validly take.
 *
 * Appwrite itself reads bodies up to Swoole's `package_max_length` (6 MB, app/http.php) and
 * leaves the rest to the validators. Reading, decoding and validating megabytes for a parameter
 * that may hold 65 535 bytes only costs time, so each route stops at what its parameters can
 * need; a larger body is answered as Appwrite's validator would answer it (`oversizeMessage`).
 */
import { ASSOC_MAX_BYTES } from '../../appwrite/src/validation/rules';
import type { EndpointDef } from './endpoint';

/** Worst-case JSON size of one ASCII character: `\u0041`. */
const ASCII_CHAR = 6;
/** Worst-case JSON size of one code point of free text: an escaped surrogate pair `\ud83d\ude00`. */
const ANY_CHAR = 12;
const jsonString = (chars: number, perChar = ASCII_CHAR) => 2 + chars * perChar;

/**
 * Appwrite 1.3 sets no maximum on passwords (1.5 caps them at 256 bytes); hashed imports carry
 * PHC/bcrypt/scrypt strings of well under 200 characters. 512 code points leave room for both.
 */
export const PASSWORD_MAX_CHARS = 512;

interface ParamAllowance {
  /** Largest JSON text of a valid value. */
  bytes: number;
  /** Whether the rule itself refuses larger values (so its message explains an oversize body). */
  ruleBoundsSize: boolean;
}

const bounded = (bytes: number): ParamAllowance => ({ bytes, ruleBoundsSize: true });

/** Every body parameter of the Users API, by name (a test checks none is missing). */
export const BODY_PARAM_ALLOWANCES: Readonly<Record<string, ParamAllowance>> = {
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
};

/**
 * Braces, separators, whitespace a client may add, and the `project` parameter that the API-key
 * guard also reads from bodies. Also the limit of routes without body parameters (SDKs send `{}`
 * on DELETE) and of unknown routes.
 */
export const BODY_ENVELOPE_BYTES = 1024;

export interface BodyPolicy {
  /** Bytes of body the route reads; more is drained, not parsed. */
  limit: number;
  /** Message of the 400 for a body over the limit. */
  oversizeMessage: string;
}

/** Fallback text when the largest parameter's rule says nothing about size. */
export const GENERIC_OVERSIZE_MESSAGE = 'Request body is too large.';

export const DEFAULT_BODY_POLICY: BodyPolicy = { limit: BODY_ENVELOPE_BYTES, oversizeMessage: GENERIC_OVERSIZE_MESSAGE };

export function bodyPolicyOf(def: EndpointDef): BodyPolicy {
  let limit = BODY_ENVELOPE_BYTES;
  let largest: { name: string; description: string; allowance: ParamAllowance } | undefined;
  for (const p of def.params) {
    if (p.in !== 'body') continue;
    const allowance = BODY_PARAM_ALLOWANCES[p.name];
    if (!allowance) throw new Error(`No body allowance for param "${p.name}" of ${def.sdkMethod} (libs/http/src/body-limits.ts)`);
    // `"name":` plus the value and a comma.
    limit += p.name.length + 4 + allowance.bytes;
    if (!largest || allowance.bytes > largest.allowance.bytes) largest = { name: p.name, description: p.rule.description, allowance };
  }
  // A body that large almost surely holds a too-large value of the largest parameter, which is
  // what Appwrite would report (e.g. `Invalid prefs: Value must be a valid object.`).
  const oversizeMessage = largest?.allowance.ruleBoundsSize ? `Invalid ${largest.name}: ${largest.description}` : GENERIC_OVERSIZE_MESSAGE;
  return { limit, oversizeMessage };
}

export const bodyPolicyKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Policies by `METHOD /path` as Fastify registers the routes. */
export function bodyPolicies(endpoints: readonly EndpointDef[]): Map<string, BodyPolicy> {
  return new Map(endpoints.map((e) => [bodyPolicyKey(e.method, e.path), bodyPolicyOf(e)]));
}
