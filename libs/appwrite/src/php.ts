/**
 * Small emulations of PHP built-ins whose exact behaviour leaks into Appwrite's observable
 * results (validation limits, error texts, query parsing). Kept in one place so every module
 * agrees on them.
 */

/** `mb_strlen`: length in Unicode code points (a surrogate pair counts once). */
export function mbStrlen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** PHP `trim()` default character set — narrower than JS `trim()` (no NBSP, no \f). */
export function phpTrim(s: string): string {
  return s.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');
}

// PHP 8 numeric strings: optional surrounding whitespace, sign, decimal/float/exponent; no hex.
const NUMERIC_RE = /^[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*$/;
const INTEGER_STRING_RE = /^[ \t\n\r\v\f]*[+-]?\d+[ \t\n\r\v\f]*$/;

/** PHP `is_numeric()` for strings. */
export function isPhpNumeric(s: string): boolean {
  return NUMERIC_RE.test(s);
}

/** Whether `$s + 0` would yield a PHP int (an integer literal, as opposed to a float). */
export function isPhpIntegerString(s: string): boolean {
  return INTEGER_STRING_RE.test(s);
}

/**
 * `$s + 0` for a numeric string. JS has one number type, so the int/float distinction is lost;
 * integer literals are normalised so that "-0" becomes 0 as in PHP.
 */
export function phpNumber(s: string): number {
  const n = Number(s.trim());
  return isPhpIntegerString(s) && n === 0 ? 0 : n;
}

/**
 * PHP's implicit string conversion, used where Appwrite interpolates a non-string into a
 * message or passes it to a string-typed parameter (coercive typing mode).
 */
export function phpString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined || v === false) return '';
  if (v === true) return '1';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  // Decoded JSON objects are PHP arrays, which stringify as "Array".
  return 'Array';
}

function isListLike(v: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  return keys.every((k, i) => k === String(i));
}

function encodeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x2f:
        out += '\\/';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      default:
        if (c < 0x20 || c >= 0x80) {
          // PHP escapes per UTF-16 unit, so astral characters become a surrogate pair.
          out += '\\u' + c.toString(16).padStart(4, '0');
        } else {
          out += s[i];
        }
    }
  }
  return out + '"';
}

function encodeNumber(n: number): string {
  if (!Number.isFinite(n)) return '0';
  // Integers within PHP's int range print as plain digits (JS would switch to exponent form
  // only from 1e21, beyond that range anyway).
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return String(n === 0 ? 0 : n);
  return JSON.stringify(n);
}

/** PHP's default `$depth` of `json_decode` and `json_encode`: arrays/objects nested deeper fail. */
export const PHP_JSON_MAX_DEPTH = 512;

/** `json_encode` failed (PHP returns `false`); the message is `json_last_error_msg()`'s. */
export class PhpJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhpJsonError';
  }
}

const DEPTH_ERROR = 'Maximum stack depth exceeded';

/**
 * `json_encode($value)` with default flags, applied to a value that came from
 * `json_decode(..., true)`. Appwrite measures `prefs` with it, so the byte count must match:
 * `/` becomes `\/`, non-ASCII becomes `\uXXXX`, and an object whose keys are exactly
 * "0".."n-1" (a PHP list after decoding) or is empty is written as a JSON array.
 * Float formatting may differ from PHP in rare cases (`1.0` vs `1`), which JS cannot observe.
 * Like PHP, nesting deeper than `depth` fails (a PhpJsonError), so recursion stays bounded.
 */
export function phpJsonEncode(value: unknown, depth = PHP_JSON_MAX_DEPTH): string {
  return encodeValue(value, 0, depth);
}

function encodeValue(value: unknown, level: number, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return encodeNumber(value);
  if (typeof value === 'string') return encodeString(value);
  if (typeof value !== 'object') return 'null';
  if (level >= depth) throw new PhpJsonError(DEPTH_ERROR);
  if (Array.isArray(value)) return '[' + value.map((v) => encodeValue(v, level + 1, depth)).join(',') + ']';
  const obj = value as Record<string, unknown>;
  if (isListLike(obj)) {
    return '[' + Object.keys(obj).map((k) => encodeValue(obj[k], level + 1, depth)).join(',') + ']';
  }
  const parts: string[] = [];
  for (const k of Object.keys(obj)) {
    if (obj[k] === undefined) continue;
    parts.push(encodeString(k) + ':' + encodeValue(obj[k], level + 1, depth));
  }
  return '{' + parts.join(',') + '}';
}

/** Bytes `encodeString(s)` would produce, giving up (Infinity) once past `budget`. */
function encodedStringLength(s: string, budget: number): number {
  let n = 2;
  for (let i = 0; i < s.length && n <= budget; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x08 || c === 0x0c || c === 0x0a || c === 0x0d || c === 0x09) n += 2;
    else if (c < 0x20 || c >= 0x80) n += 6;
    else n += 1;
  }
  return n <= budget ? n : Infinity;
}

/**
 * `strlen(json_encode($value))`, computed without building the string and abandoned as soon as
 * it passes `maxBytes`: returns null when the encoding would be longer than `maxBytes` or nest
 * deeper than `depth`. Validating a 2 MB value costs only as much as its first `maxBytes`.
 */
export function phpJsonEncodedLength(value: unknown, maxBytes: number, depth = PHP_JSON_MAX_DEPTH): number | null {
  let total = 0;
  const add = (n: number) => (total += n) <= maxBytes;
  const walk = (v: unknown, level: number): boolean => {
    if (v === null || v === undefined) return add(4);
    if (v === true) return add(4);
    if (v === false) return add(5);
    if (typeof v === 'number') return add(encodeNumber(v).length);
    if (typeof v === 'string') return add(encodedStringLength(v, maxBytes - total));
    if (typeof v !== 'object') return add(4);
    if (level >= depth) return false;
    const obj = v as Record<string, unknown>;
    const asList = Array.isArray(v) || isListLike(obj);
    if (!add(2)) return false;
    let first = true;
    for (const k of Object.keys(obj)) {
      if (!asList && obj[k] === undefined) continue;
      if (!first && !add(1)) return false;
      first = false;
      if (!asList && !(add(encodedStringLength(k, maxBytes - total)) && add(1))) return false;
      if (!walk(obj[k], level + 1)) return false;
    }
    return true;
  };
  return walk(value, 0) ? total : null;
}

export type PhpJsonDecoded = { ok: true; value: unknown } | { ok: false; error: string };

const fail = (error: string): PhpJsonDecoded => ({ ok: false, error });

/** Whether arrays/objects in JSON text nest at most `depth` deep (brackets inside strings skipped). */
function nestingWithin(text: string, depth: number): boolean {
  let level = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++level > depth) return false;
    } else if (c === 0x5d || c === 0x7d) {
      level--;
    }
  }
  return true;
}

/** In `u` mode a surrogate pair is one code point, so this matches only unpaired halves. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** Whether any key or string in a decoded value holds an unpaired UTF-16 surrogate. */
export function hasLoneSurrogate(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return true;
    } else if (typeof v === 'object' && v !== null) {
      for (const k of Object.keys(v)) {
        if (LONE_SURROGATE.test(k)) return true;
        pending.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return false;
}

/**
 * `json_decode($text, true)` with PHP's default depth: fails where PHP returns null, with
 * `json_last_error_msg()`'s text. Besides syntax errors that is nesting deeper than `depth`
 * ("Maximum stack depth exceeded") and a `\uD800`-style escape without its other half ("Single
 * unpaired UTF-16 surrogate in unicode escape"), both of which JSON.parse would accept.
 */
export function phpJsonDecode(text: string, depth = PHP_JSON_MAX_DEPTH): PhpJsonDecoded {
  if (!nestingWithin(text, depth)) return fail(DEPTH_ERROR);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('Syntax error');
  }
  if ((SURROGATE_ESCAPE.test(text) || LONE_SURROGATE.test(text)) && hasLoneSurrogate(value)) {
    return fail('Single unpaired UTF-16 surrogate in unicode escape');
  }
  return { ok: true, value };
}

// fatal: malformed UTF-8 is an error, not U+FFFD; ignoreBOM: a BOM stays and fails the parse, as in PHP.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `json_decode` of raw bytes: malformed UTF-8 fails too, as it does in PHP. */
export function phpJsonDecodeBytes(bytes: Uint8Array, depth = PHP_JSON_MAX_DEPTH): PhpJsonDecoded {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return fail('Malformed UTF-8 characters, possibly incorrectly encoded');
  }
  return phpJsonDecode(text, depth);
}
