/**
 * The smallest string greater than every string that starts with `prefix`: the prefix with its
 * last code point incremented (skipping the surrogate range, which never occurs in UTF-8).
 * Null when there is none (empty prefix, or one ending in U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = [...prefix];
  if (points.length === 0) return null;
  const last = points.pop()!.codePointAt(0)!;
  if (last === 0x10ffff) return null;
  const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
  return points.join('') + String.fromCodePoint(next);
}
