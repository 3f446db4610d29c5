/**
 * The `regex` query's pattern language: a plain regular-expression syntax that PCRE (Appwrite's
 * MariaDB, MongoDB), RE2 (FerretDB) and a linear-time matcher (the SQLite store) all read the
 * same way, parsed into a tree the stores compile from, never from the raw text. What the
 * engines disagree on, or what cannot be matched in linear time, is refused rather than
 * approximated: back-references, look-around, \b, Unicode properties, possessive quantifiers,
 * inline flags, POSIX classes.
 *
 * Accepted: literals; `.` (any character but a line feed); `[...]` / `[^...]` with ranges;
 * `\d \w \s` and `\D \W \S` (ASCII, as PCRE without UCP and RE2 define them, `\s` = tab, LF,
 * VT, FF, CR, space); `\n \t \r \f \v`, `\xHH`, `\x{H...}`; a backslash before any other ASCII
 * punctuation; `^` / `$` (start / end of the value: there is no multi-line mode); groups
 * `(...)` / `(?:...)`; `|`; `* + ?` and `{n}`, `{n,}`, `{n,m}` (n, m ≤ 1000), lazy or not (laziness
 * does not change whether a value matches). Appwrite compares text case-insensitively, so the
 * stores match a folded pattern (foldRegexCase) against lower-cased values.
 */

/** Inclusive code-point ranges, sorted and disjoint. */
export type CodePointSet = ReadonlyArray<readonly [number, number]>;

/**
 * `chars`: one character of `set`. A negated class (`[^a]`, `.`, `\D`) also keeps the set it
 * negates, since case folding must fold that one before negating it (`[^a]` takes neither `a`
 * nor `A`). `literal`: the character a plain literal stands for.
 */
export type RegexNode =
  | { kind: 'chars'; set: CodePointSet; complementOf?: CodePointSet; literal?: number }
  | { kind: 'seq'; items: RegexNode[] }
  | { kind: 'alt'; options: RegexNode[] }
  | { kind: 'repeat'; node: RegexNode; min: number; max: number | null }
  | { kind: 'start' }
  | { kind: 'end' };

export class RegexSyntaxError extends Error {
  constructor(pattern: string, detail: string) {
    super(`Invalid regular expression "${pattern}": ${detail}`);
    this.name = 'RegexSyntaxError';
  }
}

export const MAX_REGEX_REPEAT = 1000;
/** The largest automaton a store may have to run (regexSize): a match costs at most value length x this. */
export const MAX_REGEX_STATES = 20_000;
const MAX_CODE_POINT = 0x10ffff;
const SURROGATES: CodePointSet = [[0xd800, 0xdfff]];

/** Sorts and merges ranges. */
export function normaliseSet(ranges: Iterable<readonly [number, number]>): CodePointSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** Every code point not in `set` (surrogates excluded: they are never text). */
export function complementSet(set: CodePointSet): CodePointSet {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of normaliseSet([...set, ...SURROGATES])) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

export function setHas(set: CodePointSet, cp: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < set[mid][0]) hi = mid - 1;
    else if (cp > set[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

const range = (lo: number, hi = lo): [number, number] => [lo, hi];
const DIGIT: CodePointSet = [range(0x30, 0x39)];
const WORD: CodePointSet = normaliseSet([range(0x30, 0x39), range(0x41, 0x5a), range(0x5f), range(0x61, 0x7a)]);
const SPACE: CodePointSet = normaliseSet([range(0x09, 0x0d), range(0x20)]);
/** The class escapes, by letter: the positive set, and whether the escape negates it. */
const CLASS_ESCAPES: Readonly<Record<string, { set: CodePointSet; negated: boolean }>> = {
  d: { set: DIGIT, negated: false },
  D: { set: DIGIT, negated: true },
  w: { set: WORD, negated: false },
  W: { set: WORD, negated: true },
  s: { set: SPACE, negated: false },
  S: { set: SPACE, negated: true },
};
const charsOf = (positive: CodePointSet, negated: boolean): RegexNode =>
  negated ? { kind: 'chars', set: complementSet(positive), complementOf: positive } : { kind: 'chars', set: positive };
const CONTROL_ESCAPES: Readonly<Record<string, number>> = { n: 0x0a, t: 0x09, r: 0x0d, f: 0x0c, v: 0x0b };

/** Parses a pattern of the syntax above, or throws a RegexSyntaxError saying what is wrong. */
export function parseQueryRegex(pattern: string): RegexNode {
  const chars = Array.from(pattern);
  let i = 0;
  const fail = (detail: string): never => {
    throw new RegexSyntaxError(pattern, detail);
  };
  const peek = () => chars[i];
  const cp = (c: string) => c.codePointAt(0)!;

  /** `\x41`, `\x{1F600}`; `i` is just after the `x`. */
  const hexEscape = (): number => {
    let digits: string;
    if (peek() === '{') {
      const close = chars.indexOf('}', i);
      if (close < 0) fail('unterminated \\x{...}');
      digits = chars.slice(i + 1, close).join('');
      i = close + 1;
    } else {
      digits = chars.slice(i, i + 2).join('');
      i += 2;
    }
    if (!/^[0-9A-Fa-f]{1,6}$/.test(digits)) fail('\\x needs hexadecimal digits');
    const value = parseInt(digits, 16);
    if (value > MAX_CODE_POINT || (value >= 0xd800 && value <= 0xdfff)) fail(`\\x{${digits}} is not a character`);
    return value;
  };

  /** After a backslash: a class escape (\d...) or one character. */
  const escape = (): { set: CodePointSet; negated: boolean } | number => {
    const c = chars[i++];
    if (c === undefined) fail('trailing backslash');
    if (Object.prototype.hasOwnProperty.call(CLASS_ESCAPES, c)) return CLASS_ESCAPES[c];
    if (CONTROL_ESCAPES[c] !== undefined) return CONTROL_ESCAPES[c];
    if (c === 'x') return hexEscape();
    // Any other ASCII punctuation stands for itself in every engine; letters and digits mean
    // something different in each (back-references, \b, \p, \Q...), so they are refused.
    if (/^[!-/:-@[-`{-~]$/.test(c)) return cp(c);
    return fail(`\\${c} is not supported`);
  };

  /** The members of `[...]` (the positive set) and whether the class is negated. */
  const classItems = (): { set: CodePointSet; negated: boolean } => {
    const negated = peek() === '^';
    if (negated) i++;
    // `[]a]` and `[[:alpha:]]` read differently per engine: a literal `]` or `[` must be escaped.
    if (peek() === ']') fail('an empty class; write a literal ] as \\]');
    const ranges: Array<readonly [number, number]> = [];
    const member = (): { set: CodePointSet; negated: boolean } | number => {
      const c = chars[i++];
      if (c === undefined) fail('missing ]');
      if (c === '\\') return escape();
      if (c === '[') fail('write a literal [ in a class as \\[');
      return cp(c);
    };
    while (peek() !== ']') {
      const first = member();
      if (typeof first !== 'number') {
        // Inside a class a negated escape is a plain union member: [\Da] is "not a digit, or a".
        ranges.push(...(first.negated ? complementSet(first.set) : first.set));
        continue;
      }
      if (peek() === '-' && chars[i + 1] !== undefined && chars[i + 1] !== ']') {
        i++;
        const last = member();
        if (typeof last !== 'number') return fail('a range cannot end in a class escape');
        if (last < first) fail('a range out of order');
        ranges.push(range(first, last));
      } else {
        ranges.push(range(first));
      }
    }
    i++;
    return { set: normaliseSet(ranges), negated };
  };

  /** `{n}`, `{n,}`, `{n,m}` at `i`, or null when the brace is not a quantifier (then it is a literal). */
  const braces = (): { min: number; max: number | null } | null => {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(chars.slice(i, i + 12).join(''));
    if (!m) return null;
    i += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? null : Number(m[3]);
    if (min > MAX_REGEX_REPEAT || (max !== null && max > MAX_REGEX_REPEAT)) fail(`a repeat count above ${MAX_REGEX_REPEAT}`);
    if (max !== null && max < min) fail('a repeat range out of order');
    return { min, max };
  };

  const quantifier = (): { min: number; max: number | null } | null => {
    const c = peek();
    let q: { min: number; max: number | null } | null = null;
    if (c === '*') q = { min: 0, max: null };
    else if (c === '+') q = { min: 1, max: null };
    else if (c === '?') q = { min: 0, max: 1 };
    if (q) i++;
    else if (c === '{') q = braces();
    if (!q) return null;
    // Lazy matching finds the same values; possessive (`*+`) would not, and `**` is an error in PCRE.
    if (peek() === '?') i++;
    if (peek() === '*' || peek() === '+' || peek() === '?' || (peek() === '{' && braces() !== null)) fail('a quantifier cannot follow a quantifier');
    return q;
  };

  const alternation = (): RegexNode => {
    const options: RegexNode[] = [sequence()];
    while (peek() === '|') {
      i++;
      options.push(sequence());
    }
    return options.length === 1 ? options[0] : { kind: 'alt', options };
  };

  const atom = (): RegexNode | null => {
    const c = peek();
    if (c === undefined || c === '|' || c === ')') return null;
    i++;
    switch (c) {
      case '(': {
        if (peek() === '?') {
          if (chars[i + 1] !== ':') fail('only (?:...) groups are supported');
          i += 2;
        }
        const inner = alternation();
        if (peek() !== ')') fail('missing )');
        i++;
        return inner;
      }
      case '[': {
        const { set, negated } = classItems();
        return charsOf(set, negated);
      }
      case '.':
        return charsOf([range(0x0a)], true);
      case '^':
        return { kind: 'start' };
      case '$':
        return { kind: 'end' };
      case '\\': {
        const e = escape();
        return typeof e === 'number' ? { kind: 'chars', set: [range(e)], literal: e } : charsOf(e.set, e.negated);
      }
      case '*':
      case '+':
      case '?':
        return fail('nothing to repeat');
      case '{':
        i--;
        if (braces() !== null) fail('nothing to repeat');
        i++;
        return { kind: 'chars', set: [range(0x7b)], literal: 0x7b };
      default:
        return { kind: 'chars', set: [range(cp(c))], literal: cp(c) };
    }
  };

  const sequence = (): RegexNode => {
    const items: RegexNode[] = [];
    for (;;) {
      const node = atom();
      if (node === null) break;
      const q = quantifier();
      if (q === null) {
        items.push(node);
        continue;
      }
      if (node.kind === 'start' || node.kind === 'end') fail('an anchor cannot be repeated');
      items.push({ kind: 'repeat', node, ...q });
    }
    return items.length === 1 ? items[0] : { kind: 'seq', items };
  };

  const tree = alternation();
  if (i < chars.length) fail(chars[i] === ')' ? 'unmatched )' : `unexpected ${chars[i]}`);
  if (regexSize(tree) > MAX_REGEX_STATES) fail(`too large once its repeats are expanded (over ${MAX_REGEX_STATES} states)`);
  return tree;
}

/** The number of automaton states the pattern expands to (each repeat copied out, as a Thompson automaton does). */
export function regexSize(node: RegexNode): number {
  switch (node.kind) {
    case 'seq':
      // An empty sequence is one state (an empty step).
      return node.items.length === 0 ? 1 : node.items.reduce((n, item) => n + regexSize(item), 0);
    case 'alt':
      return node.options.reduce((n, o) => n + regexSize(o), node.options.length - 1);
    case 'repeat': {
      const body = regexSize(node.node);
      const optional = node.max === null ? body + 1 : (node.max - node.min) * (body + 1);
      return Math.max(1, node.min * body) + optional;
    }
    default:
      return 1;
  }
}

/** Code points whose lower case is another single code point (cased letters end below U+1F000). */
let lowerings: Array<[number, number]> | undefined;
function lowerCaseMap(): Array<[number, number]> {
  if (lowerings) return lowerings;
  lowerings = [];
  for (let c = 0; c < 0x1f000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const lower = Array.from(String.fromCodePoint(c).toLowerCase());
    if (lower.length === 1 && lower[0].codePointAt(0) !== c) lowerings.push([c, lower[0].codePointAt(0)!]);
  }
  return lowerings;
}

/** The set and the lower case of each of its members. */
function foldSet(set: CodePointSet): CodePointSet {
  const added = lowerCaseMap()
    .filter(([upper]) => setHas(set, upper))
    .map(([, lower]) => range(lower));
  return added.length === 0 ? set : normaliseSet([...set, ...added]);
}

/**
 * The pattern for values lower-cased with JS toLowerCase (as every store keeps its string
 * shadows): each set gains the lower case of its members, so `[A-C]` also takes `a`-`c`; a
 * literal whose lower case is several characters (`İ`) becomes that sequence. Matching the
 * result against lower-cased text is matching the pattern case-insensitively.
 */
export function foldRegexCase(node: RegexNode): RegexNode {
  switch (node.kind) {
    case 'chars': {
      if (node.literal !== undefined) {
        const lower = Array.from(String.fromCodePoint(node.literal).toLowerCase()).map((c) => c.codePointAt(0)!);
        if (lower.length > 1) return { kind: 'seq', items: lower.map((c) => ({ kind: 'chars', set: [range(c)], literal: c })) };
        return { kind: 'chars', set: foldSet(node.set), literal: lower[0] };
      }
      return node.complementOf ? charsOf(foldSet(node.complementOf), true) : { kind: 'chars', set: foldSet(node.set) };
    }
    case 'seq':
      return { kind: 'seq', items: node.items.map(foldRegexCase) };
    case 'alt':
      return { kind: 'alt', options: node.options.map(foldRegexCase) };
    case 'repeat':
      return { ...node, node: foldRegexCase(node.node) };
    default:
      return node;
  }
}
