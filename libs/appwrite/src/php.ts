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

/**
 * `json_encode($value)` with default flags, applied to a value that came from
 * `json_decode(..., true)`. Appwrite measures `prefs` with it, so the byte count must match:
 * `/` becomes `\/`, non-ASCII becomes `\uXXXX`, and an object whose keys are exactly
 * "0".."n-1" (a PHP list after decoding) or is empty is written as a JSON array.
 * Float formatting may differ from PHP in rare cases (`1.0` vs `1`), which JS cannot observe.
 */
export function phpJsonEncode(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return encodeNumber(value);
  if (typeof value === 'string') return encodeString(value);
  if (Array.isArray(value)) return '[' + value.map((v) => phpJsonEncode(v)).join(',') + ']';
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (isListLike(obj)) {
      return '[' + Object.keys(obj).map((k) => phpJsonEncode(obj[k])).join(',') + ']';
    }
    const parts: string[] = [];
    for (const k of Object.keys(obj)) {
      if (obj[k] === undefined) continue;
      parts.push(encodeString(k) + ':' + phpJsonEncode(obj[k]));
    }
    return '{' + parts.join(',') + '}';
  }
  return 'null';
}
