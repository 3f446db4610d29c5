/**
 * Parameter rules of users-api.md §3.2, reproducing Appwrite 1.3's validators. The
 * `description` texts are part of the wire contract (`Invalid {param}: {description}`) and are
 * copied verbatim, including their grammar and the out-of-date UID text.
 */
import { parseQueryDate } from '../dates';
import { isPhpIntegerString, mbStrlen, phpJsonEncodedLength } from '../php';

/**
 * OpenAPI 3.0 schema keywords stating what a rule's `check` accepts, so schema-driven clients
 * and fuzzers send values that pass. Lengths count code points, as JSON Schema does. Where a
 * check cannot be stated exactly the fragment describes a subset of what it accepts, never more
 * (rules.schema.unit.spec.ts holds each rule to its fragment). The type stays on the parameter.
 */
export interface RuleSchema {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  enum?: readonly string[];
  maxItems?: number;
  items?: RuleSchema;
  not?: { required: readonly string[] };
}

export interface Rule {
  /** Text used in `Invalid {name}: {description}`. */
  description: string;
  check(value: unknown): boolean;
  /** What `check` accepts, for the OpenAPI document; absent = nothing beyond the parameter's type. */
  schema?: RuleSchema;
  /** Normalises a value that passed `check` (e.g. "true" → true). */
  coerce?(value: unknown): unknown;
  /**
   * For rules whose message depends on the rejected value (Appwrite's Queries validator reports
   * what is wrong with which query); falls back to `description` when absent.
   */
  explain?(value: unknown): string;
}

// ---------------------------------------------------------------------------------------------
// Keys and IDs

const KEY_MAX = 36;
const KEY_GRAMMAR = `[A-Za-z0-9][A-Za-z0-9._-]{0,${KEY_MAX - 1}}`;
const KEY_RE = new RegExp(`^${KEY_GRAMMAR}$`);
/** The empty string is a Key too, hence the optional group. */
const KEY_SCHEMA: RuleSchema = { maxLength: KEY_MAX, pattern: `^(?:${KEY_GRAMMAR})?$` };

/** Appwrite's Key validator; the empty string passes (the database then assigns an ID). */
export function isKey(value: unknown): value is string {
  return typeof value === 'string' && (value === '' || KEY_RE.test(value));
}

const KEY_DESCRIPTION =
  "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";

export const Key: Rule = { description: KEY_DESCRIPTION, check: isKey, schema: KEY_SCHEMA };

export const CustomId: Rule = {
  description: KEY_DESCRIPTION,
  check: (value) => value === 'unique()' || isKey(value),
  schema: { maxLength: KEY_MAX, pattern: `^(?:unique\\(\\)|${KEY_GRAMMAR})?$` },
};

export const UID_DESCRIPTION =
  "UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore";

/** Same grammar as Key; only the (outdated) text differs. */
export const UID: Rule = { description: UID_DESCRIPTION, check: isKey, schema: KEY_SCHEMA };

// ---------------------------------------------------------------------------------------------
// Email — PHP 8 FILTER_VALIDATE_EMAIL, per the spec's verified JavaScript rendering.

const UNIT = '(?:(?:"?\\\\[\\x00-\\x7E]"?)|(?:"?[^\\\\"]"?))';
const ATOM = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]+";
const QSTR = '"(?:[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x21\\x23-\\x5B\\x5D-\\x7F]|\\\\[\\x00-\\x7F])*"';
const WORD = `(?:${ATOM}|${QSTR})`,
  LOCAL = `${WORD}(?:\\.${WORD})*`;
const LABEL = '(?:xn--)?[a-z0-9]+(?:-+[a-z0-9]+)*';
const HOST = `(?!.*[^.]{64,})(?:${LABEL}\\.){1,126}(?:[a-z][a-z0-9]*|xn--[a-z0-9]+)(?:-+[a-z0-9]+)*`;
const H4 = '[a-f0-9]{1,4}';
const V4 =
  '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}';
const V6 = `${H4}(?::${H4}){7}|(?!(?:.*[a-f0-9][:\\]]){7,})(?:${H4}(?::${H4}){0,5})?::(?:${H4}(?::${H4}){0,5})?`;
const V6V4 = `${H4}(?::${H4}){5}:|(?!(?:.*[a-f0-9]:){5,})(?:${H4}(?::${H4}){0,3})?::(?:${H4}(?::${H4}){0,3}:)?`;
const LIT = `\\[(?:(?:IPv6:(?:${V6}))|(?:(?:IPv6:(?:${V6V4}))?${V4}))\\]`;

/** The spec's regex exactly as published (kept for reference and equivalence tests). */
export const EMAIL_REFERENCE_REGEX = new RegExp(
  `^(?!${UNIT}{255,})(?!${UNIT}{65,}@)${LOCAL}@(?:${HOST}|${LIT})$`,
  'i',
);

/**
 * The published regex minus its two leading `UNIT` look-aheads. Those look-aheads backtrack
 * exponentially on inputs such as `"a"a"a…` (60 characters already hang the event loop), so
 * they are evaluated by `unitReach` below instead, which computes the same predicate in
 * polynomial time.
 */
const EMAIL_BODY_REGEX = new RegExp(`^${LOCAL}@(?:${HOST}|${LIT})$`, 'i');

/** Positions where a UNIT (`"?` + (`\` + ASCII≤0x7E | non-`\`, non-`"` unit) + `"?`) starting at `p` can end. */
function unitEnds(s: string, p: number, out: Set<number>): void {
  // `"?` may or may not consume a leading quote; not consuming it can never lead to a match
  // (the content alternatives exclude `"`), but both are tried to mirror the regex literally.
  const starts = s.charCodeAt(p) === 0x22 ? [p, p + 1] : [p];
  for (const q of starts) {
    if (q >= s.length) continue;
    const c = s.charCodeAt(q);
    let end = -1;
    if (c === 0x5c) {
      if (q + 1 < s.length && s.charCodeAt(q + 1) <= 0x7e) end = q + 2;
    } else if (c !== 0x22) {
      end = q + 1;
    }
    if (end < 0) continue;
    out.add(end);
    if (end < s.length && s.charCodeAt(end) === 0x22) out.add(end + 1);
  }
}

/**
 * Breadth-first over "positions reachable after j units from the start". Answers both
 * look-aheads: `UNIT{255,}` (255 units fit) and `UNIT{65,}@` (after ≥65 units an `@` follows).
 */
function violatesUnitLookaheads(s: string): boolean {
  // Without quotes or backslashes every character is one unit, and j units reach position j
  // alone: the common case, answered without a walk (which made a Set per character).
  if (s.indexOf('"') < 0 && s.indexOf('\\') < 0) return s.length >= 255 || s.indexOf('@', 65) >= 0;
  let reach = new Set<number>([0]);
  for (let j = 0; reach.size > 0; j++) {
    if (j >= 255) return true;
    if (j >= 65) {
      for (const p of reach) if (s.charCodeAt(p) === 0x40) return true;
    }
    const next = new Set<number>();
    for (const p of reach) unitEnds(s, p, next);
    reach = next;
  }
  return false;
}

export function isEmail(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    Buffer.byteLength(value, 'utf8') <= 320 &&
    !violatesUnitLookaheads(value) &&
    EMAIL_BODY_REGEX.test(value)
  );
}

/**
 * `format: email` stands for the regex. 254 is where plain addresses stop: the first look-ahead
 * refuses 255 units, a unit being one character outside quoted parts. Quoted local parts can be
 * longer and still pass, and the 64-unit local-part limit has no schema keyword.
 */
export const Email: Rule = {
  description: 'Value must be a valid email address',
  check: isEmail,
  schema: { format: 'email', maxLength: 254 },
};

// ---------------------------------------------------------------------------------------------
// Phone and passwords

// [0-9], not \d: in the document the pattern is also read by regex engines whose \d takes any
// Unicode digit.
const PHONE_GRAMMAR = '\\+[1-9][0-9]{1,14}';
const PHONE_RE = new RegExp(`^${PHONE_GRAMMAR}$`);

export const Phone: Rule = {
  description: "Phone number must start with a '+' can have a maximum of fifteen digits.",
  check: (value) => typeof value === 'string' && PHONE_RE.test(value),
  schema: { minLength: 3, maxLength: 16, pattern: `^${PHONE_GRAMMAR}$` },
};

const PASSWORD_MIN_BYTES = 8;

/** Appwrite counts bytes (`strlen`), so 8 ASCII characters pass but 4 two-byte ones do too. */
function isLongEnoughPassword(value: unknown): value is string {
  return typeof value === 'string' && Buffer.byteLength(value, 'utf8') >= PASSWORD_MIN_BYTES;
}

/** minLength counts code points, so shorter multi-byte passwords that pass are left out. */
const PASSWORD_SCHEMA: RuleSchema = { minLength: PASSWORD_MIN_BYTES };

export const Password: Rule = {
  description: 'Password must be at least 8 characters',
  check: isLongEnoughPassword,
  schema: PASSWORD_SCHEMA,
};

/**
 * `dictionary` holds the common passwords to reject when the project's password-dictionary
 * setting is on; omitted = setting off (the default). The description mentions the dictionary
 * either way, as Appwrite does.
 */
export function PasswordDictionary(dictionary?: ReadonlySet<string>): Rule {
  return {
    description:
      'Password must be at least 8 characters and should not be one of the commonly used password.',
    check: (value) => isLongEnoughPassword(value) && !(dictionary?.has(value) ?? false),
    // With the setting on, the dictionary's words stay in the schema: a document listing
    // thousands of refused values would help no client.
    schema: PASSWORD_SCHEMA,
  };
}

// ---------------------------------------------------------------------------------------------
// Scalars

/** A string of 1..max Unicode code points (Appwrite uses `mb_strlen`). */
export function Text(max: number): Rule {
  return {
    description: `Value must be a valid string and at least 1 chars and no longer than ${max} chars`,
    check: (value) => {
      if (typeof value !== 'string') return false;
      const len = mbStrlen(value);
      return len >= 1 && len <= max;
    },
    schema: { minLength: 1, maxLength: max },
  };
}

const BOOLEAN_DESCRIPTION = 'Value must be a valid boolean';

export const BooleanStrict: Rule = {
  description: BOOLEAN_DESCRIPTION,
  check: (value) => typeof value === 'boolean',
};

const LOOSE_TRUE: readonly unknown[] = [true, 'true', '1', 1];
const LOOSE_FALSE: readonly unknown[] = [false, 'false', '0', 0];

/**
 * Appwrite casts the string "false" to true after validating it; we coerce by meaning
 * instead (users-api.md §5.15).
 */
export const BooleanLoose: Rule = {
  description: BOOLEAN_DESCRIPTION,
  check: (value) => LOOSE_TRUE.includes(value) || LOOSE_FALSE.includes(value),
  coerce: (value) => LOOSE_TRUE.includes(value),
};

/**
 * A JSON integer. JS cannot tell `1.0` from `1` after JSON.parse, so both pass (PHP rejects
 * `1.0`); magnitudes beyond PHP's 64-bit int are rejected as PHP would decode them as floats.
 */
export const IntegerStrict: Rule = {
  description: 'Value must be a valid integer',
  check: (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63,
  // 2^63 - 1024 is the largest double below 2^63: larger JSON integers parse to 2^63 and fail.
  schema: { format: 'int64', minimum: -(2 ** 63), maximum: 2 ** 63 - 1024 },
};

// ---------------------------------------------------------------------------------------------
// Objects and lists

export const ASSOC_MAX_BYTES = 65535;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * PHP decodes JSON objects and arrays alike into arrays, so Appwrite's Assoc check is "not a
 * list": `[]` passes (it cannot be told from `{}`), `{"0":…,"1":…}` fails like a list does, and
 * the size limit applies to PHP's re-encoding (escaped `/`, `\uXXXX` for non-ASCII).
 * Nesting deeper than json_encode's 512 levels fails (PHP's request decoding never gets there).
 */
export const Assoc: Rule = {
  description: 'Value must be a valid object.',
  check: (value) => {
    if (Array.isArray(value)) return value.length === 0;
    if (!isPlainObject(value)) return false;
    const keys = Object.keys(value);
    // JS orders integer-like keys first and ascending, so this sees {"1":…,"0":…} as a list
    // too, which PHP (keeping insertion order) would not.
    if (keys.length > 0 && keys.every((k, i) => k === String(i))) return false;
    // Measured incrementally: a 2 MB value is abandoned after its first 64 KiB, and nesting
    // beyond PHP's 512 levels fails instead of recursing without bound.
    return phpJsonEncodedLength(value, ASSOC_MAX_BYTES) !== null;
  },
  coerce: (value) => (Array.isArray(value) ? {} : value),
  // Keys 0..n-1 make a list, and every list has a key "0"; objects without one always pass (the
  // 64 KiB and nesting limits aside, which no keyword states).
  schema: { not: { required: ['0'] } },
};

/** PHP `strtolower` is ASCII-only; JS toLowerCase would also fold e.g. the Kelvin sign. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/**
 * Membership in `list`. Appwrite's default (non-strict) WhiteList is case-insensitive and
 * lower-cases the list it prints; the accepted value keeps the caller's casing.
 */
export function WhiteList(list: readonly string[], caseInsensitive = true): Rule {
  const shown = caseInsensitive ? list.map(asciiLower) : [...list];
  const members = new Set(shown);
  return {
    description: `Value must be one of (${shown.join(', ')})`,
    check: (value) =>
      typeof value === 'string' && members.has(caseInsensitive ? asciiLower(value) : value),
    // The listed spellings; other casings also pass when caseInsensitive.
    schema: { enum: shown },
  };
}

// ---------------------------------------------------------------------------------------------
// Numeric ranges (Appwrite 1.5+ routes: token length and expiry, JWT duration)

/** PHP `number_format($n)` of an integer: thousands separated by commas (`31,536,000`). */
function numberFormat(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * What Utopia's integer Range accepts before comparing: a number, or a numeric string whose
 * `+ 0` is a PHP int (`"6"`, `" 6"`; not `"6.0"`, `"1e1"`). JS cannot tell `6.0` from `6`, so
 * integral numbers pass; beyond 2^53 nothing is exact, so such values are refused.
 */
function rangeInteger(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && isPhpIntegerString(value)) n = Number(value.trim());
  else return null;
  return Number.isSafeInteger(n) ? n + 0 : null;
}

/** Utopia's `Range(min, max)` (integer format); the accepted value is passed on as a number. */
export function Range(min: number, max: number): Rule {
  return {
    description: `Value must be a valid range between ${numberFormat(min)} and ${numberFormat(max)}`,
    check: (value) => {
      const n = rangeInteger(value);
      return n !== null && n >= min && n <= max;
    },
    coerce: (value) => rangeInteger(value),
    schema: { minimum: min, maximum: max },
  };
}

// ---------------------------------------------------------------------------------------------
// Dates (routes of our own: the moment of a time-travel read)

/**
 * A `+hh:mm` offset sent unencoded in a query string arrives as ` hh:mm` (a `+` decodes to a
 * space): after a time of day, such a space can only have been that plus.
 */
const withDecodedPlus = (value: string): string => value.replace(/(T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?) ([0-9]{2}:?[0-9]{2})$/, '$1+$2');

/**
 * A moment in ISO 8601, as parseQueryDate reads it (`2024-05-09`, `2024-05-09T05:19:31.112+00:00`,
 * `…Z`, no offset = UTC); passed on in Appwrite's date format. The fragment states the full form
 * only, and the days every month has.
 */
export const IsoDate: Rule = {
  description: 'Value must be valid date in ISO 8601 format, e.g. 2024-05-09T05:19:31.112+00:00',
  check: (value) => typeof value === 'string' && parseQueryDate(withDecodedPlus(value)) !== null,
  coerce: (value) => parseQueryDate(withDecodedPlus(value as string)),
  schema: {
    pattern: '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$',
  },
};
