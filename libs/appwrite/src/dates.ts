/**
 * Appwrite's wire date format: ISO 8601, millisecond precision, explicit `+00:00` offset
 * (never `Z`), e.g. `2023-05-10T08:41:07.112+00:00` (users-api.md §1.2). Fixed-width UTC
 * strings also sort lexicographically in time order, which the read stores rely on.
 */

/** Formats an instant; throws RangeError for an invalid date (a programming error). */
export function formatDate(d: Date | number): string {
  const date = typeof d === 'number' ? new Date(d) : d;
  return date.toISOString().replace(/Z$/, '+00:00');
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; setUTCFullYear avoids the 0–99 → 19xx
  // mapping of Date.UTC.
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

/**
 * Parses a datetime query operand. Appwrite accepts anything PHP's DateTime understands (even
 * "yesterday") and crashes on garbage; we accept ISO 8601 only (queries.md §5):
 * `YYYY-MM-DD` (midnight UTC), or date + `T`/space + `HH:mm[:ss[.fraction]]` with an optional
 * `Z` / `±HH:MM` / `±HHMM` offset (none = UTC). Returns the normalised wire format (fraction
 * truncated to milliseconds) or null when the text is not such a date or names an impossible one.
 */
export function parseQueryDate(s: string): string | null {
  if (typeof s !== 'string') return null;
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));

  if (month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;

  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }

  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millis);
  const utc = d.getTime() - offsetMinutes * 60_000;
  const out = new Date(utc);
  // An offset can push year 0000 / 9999 out of the four-digit range the wire format allows.
  const outYear = out.getUTCFullYear();
  if (outYear < 0 || outYear > 9999) return null;
  return formatDate(out);
}

/** The one source of "now" for commands, in Appwrite's date format (tests pin it). */
export class Clock {
  now(): string {
    return formatDate(Date.now());
  }
}
