import { CodePointSet, foldRegexCase, parseQueryRegex, RegexNode } from '@lib/appwrite';

/*
 * The `regex` query for MongoDB: the pattern's tree (regex-syntax.ts), folded for the lower-cased
 * shadow fields, written back out in the common core of PCRE (MongoDB) and RE2 (FerretDB). Every
 * character set is spelled out as explicit ranges (`\d` as [0-9], `.` as "anything but a line
 * feed"), every group as (?:...), the end anchor as \z: nothing is left to an engine's defaults,
 * so both engines (and the SQLite matcher, which runs the same tree) agree on every value.
 */

/** A pattern of the query syntax as a PCRE/RE2 pattern for lower-cased values. */
export function mongoRegexPattern(pattern: string): string {
  return write(foldRegexCase(parseQueryRegex(pattern)));
}

function write(node: RegexNode): string {
  switch (node.kind) {
    case 'chars':
      return writeSet(node.set);
    case 'seq':
      return node.items.length === 0 ? '(?:)' : node.items.map(write).join('');
    case 'alt':
      return `(?:${node.options.map(write).join('|')})`;
    case 'repeat': {
      const quantifier = node.max === null ? (node.min === 0 ? '*' : node.min === 1 ? '+' : `{${node.min},}`) : node.min === node.max ? `{${node.min}}` : `{${node.min},${node.max}}`;
      return `(?:${write(node.node)})${quantifier}`;
    }
    case 'start':
      return '^';
    case 'end':
      return '\\z';
  }
}

/** ASCII letters and digits as themselves, everything else as \x{...}. */
const char = (cp: number) => (/^[A-Za-z0-9]$/.test(String.fromCodePoint(cp)) ? String.fromCodePoint(cp) : `\\x{${cp.toString(16)}}`);

/** The set without the surrogate range, which PCRE refuses in UTF mode (and UTF-8 text never holds). */
function withoutSurrogates(set: CodePointSet): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of set) {
    if (lo < 0xd800) out.push([lo, Math.min(hi, 0xd7ff)]);
    if (hi > 0xdfff) out.push([Math.max(lo, 0xe000), hi]);
  }
  return out;
}

function writeSet(all: CodePointSet): string {
  const set = withoutSurrogates(all);
  // An empty set matches nothing; [^\x{0}-\x{10ffff}] says so in both engines.
  if (set.length === 0) return '[^\\x{0}-\\x{10ffff}]';
  if (set.length === 1 && set[0][0] === set[0][1]) return char(set[0][0]);
  return `[${set.map(([lo, hi]) => (lo === hi ? char(lo) : `${char(lo)}-${char(hi)}`)).join('')}]`;
}
