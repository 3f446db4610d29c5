import { complementSet, foldRegexCase, parseQueryRegex, RegexNode, RegexSyntaxError, regexSize, setHas } from './regex-syntax';

const errorOf = (pattern: string): string => {
  try {
    parseQueryRegex(pattern);
  } catch (e) {
    expect(e).toBeInstanceOf(RegexSyntaxError);
    return (e as Error).message;
  }
  throw new Error(`expected ${pattern} to be refused`);
};
const lit = (c: string): RegexNode => ({ kind: 'chars', set: [[c.codePointAt(0)!, c.codePointAt(0)!]], literal: c.codePointAt(0)! });

describe('parseQueryRegex — the syntax PCRE, RE2 and the SQLite matcher read alike', () => {
  it('builds a tree of literals, sequences, alternations and repeats', () => {
    expect(parseQueryRegex('ab')).toEqual({ kind: 'seq', items: [lit('a'), lit('b')] });
    expect(parseQueryRegex('a|b')).toEqual({ kind: 'alt', options: [lit('a'), lit('b')] });
    expect(parseQueryRegex('^a*$')).toEqual({ kind: 'seq', items: [{ kind: 'start' }, { kind: 'repeat', node: lit('a'), min: 0, max: null }, { kind: 'end' }] });
    expect(parseQueryRegex('(?:ab)+?')).toEqual({ kind: 'repeat', node: { kind: 'seq', items: [lit('a'), lit('b')] }, min: 1, max: null });
    expect(parseQueryRegex('a{2,5}')).toEqual({ kind: 'repeat', node: lit('a'), min: 2, max: 5 });
    expect(parseQueryRegex('a{3}')).toEqual({ kind: 'repeat', node: lit('a'), min: 3, max: 3 });
    expect(parseQueryRegex('a{3,}')).toEqual({ kind: 'repeat', node: lit('a'), min: 3, max: null });
    expect(parseQueryRegex('')).toEqual({ kind: 'seq', items: [] });
    expect(parseQueryRegex('a|')).toEqual({ kind: 'alt', options: [lit('a'), { kind: 'seq', items: [] }] });
  });

  it('reads classes, escapes and the dot as code-point sets', () => {
    expect(parseQueryRegex('[a-c_]')).toEqual({ kind: 'chars', set: [[0x5f, 0x5f], [0x61, 0x63]] });
    expect(parseQueryRegex('\\d')).toEqual({ kind: 'chars', set: [[0x30, 0x39]] });
    expect(parseQueryRegex('\\x41\\x{1F600}\\.')).toEqual({ kind: 'seq', items: [lit('A'), lit('😀'), lit('.')] });
    expect(parseQueryRegex('\\n')).toEqual(lit('\n'));
    const dot = parseQueryRegex('.') as Extract<RegexNode, { kind: 'chars' }>;
    expect([setHas(dot.set, 0x0a), setHas(dot.set, 0x61), setHas(dot.set, 0x10ffff), setHas(dot.set, 0xd800)]).toEqual([false, true, true, false]);
    const notWord = parseQueryRegex('[^\\w-]') as Extract<RegexNode, { kind: 'chars' }>;
    expect(['a', 'Z', '_', '-', '5'].map((c) => setHas(notWord.set, c.codePointAt(0)!))).toEqual([false, false, false, false, false]);
    expect(['é', ' ', '%'].map((c) => setHas(notWord.set, c.codePointAt(0)!))).toEqual([true, true, true]);
    // Inside a class a negated escape is a union member.
    const digitOrNot = parseQueryRegex('[\\Da]') as Extract<RegexNode, { kind: 'chars' }>;
    expect(['a', 'b', '1'].map((c) => setHas(digitOrNot.set, c.codePointAt(0)!))).toEqual([true, true, false]);
    // A lone brace that is no quantifier is a literal, as in PCRE and RE2; so are ] and } outside classes.
    expect(parseQueryRegex('a{x')).toEqual({ kind: 'seq', items: [lit('a'), lit('{'), lit('x')] });
    expect(parseQueryRegex('a]}')).toEqual({ kind: 'seq', items: [lit('a'), lit(']'), lit('}')] });
  });

  it.each([
    ['a(', 'missing )'],
    ['a)', 'unmatched )'],
    ['*a', 'nothing to repeat'],
    ['a**', 'a quantifier cannot follow a quantifier'],
    ['a*+', 'a quantifier cannot follow a quantifier'],
    ['a{2}{3}', 'a quantifier cannot follow a quantifier'],
    ['{2}', 'nothing to repeat'],
    ['^*', 'an anchor cannot be repeated'],
    ['a{5,2}', 'a repeat range out of order'],
    ['a{1001}', 'a repeat count above 1000'],
    ['[]a]', 'an empty class; write a literal ] as \\]'],
    ['[[:alpha:]]', 'write a literal [ in a class as \\['],
    ['[a-', 'missing ]'],
    ['[z-a]', 'a range out of order'],
    ['[a-\\d]', 'a range cannot end in a class escape'],
    ['(?=a)', 'only (?:...) groups are supported'],
    ['(?<n>a)', 'only (?:...) groups are supported'],
    ['(?i)a', 'only (?:...) groups are supported'],
    ['\\1', '\\1 is not supported'],
    ['\\b', '\\b is not supported'],
    ['\\p{L}', '\\p is not supported'],
    ['\\Q.\\E', '\\Q is not supported'],
    ['a\\', 'trailing backslash'],
    ['\\xZZ', '\\x needs hexadecimal digits'],
    ['\\x{110000}', '\\x{110000} is not a character'],
    ['\\x{D800}', '\\x{D800} is not a character'],
    ['\\x{41', 'unterminated \\x{...}'],
    ['(a{100}){300}', 'too large once its repeats are expanded (over 20000 states)'],
  ])('%s is refused: %s', (pattern, detail) => {
    expect(errorOf(pattern)).toBe(`Invalid regular expression "${pattern}": ${detail}`);
  });

  it('sizes the automaton with every repeat expanded', () => {
    expect(regexSize(parseQueryRegex('abc'))).toBe(3);
    expect(regexSize(parseQueryRegex('a|b'))).toBe(3);
    expect(regexSize(parseQueryRegex('a{3}'))).toBe(3);
    expect(regexSize(parseQueryRegex('a{2,4}'))).toBe(2 + 2 * 2);
    expect(regexSize(parseQueryRegex('a*'))).toBe(3);
    expect(regexSize(parseQueryRegex('(a{100}){200}'))).toBe(20_000);
  });
});

describe('foldRegexCase — patterns for lower-cased values', () => {
  const set = (n: RegexNode) => (n as Extract<RegexNode, { kind: 'chars' }>).set;
  const has = (n: RegexNode, c: string) => setHas(set(n), c.codePointAt(0)!);

  it('adds the lower case of every member', () => {
    const upper = foldRegexCase(parseQueryRegex('[A-C]'));
    expect(['a', 'b', 'c', 'A', 'd'].map((c) => has(upper, c))).toEqual([true, true, true, true, false]);
    expect(has(foldRegexCase(parseQueryRegex('É')), 'é')).toBe(true);
    expect(has(foldRegexCase(parseQueryRegex('Σ')), 'σ')).toBe(true);
  });

  it('folds a negated class before negating it: [^A] takes neither a nor A', () => {
    const notA = foldRegexCase(parseQueryRegex('[^A]'));
    expect(['a', 'A', 'b'].map((c) => has(notA, c))).toEqual([false, false, true]);
    const notLower = foldRegexCase(parseQueryRegex('[^a-z]'));
    expect(['a', 'é', '1'].map((c) => has(notLower, c))).toEqual([false, true, true]);
    expect(has(foldRegexCase(parseQueryRegex('\\W')), 'é')).toBe(true);
  });

  it('turns a literal whose lower case is several characters into that sequence', () => {
    expect(foldRegexCase(parseQueryRegex('İ'))).toEqual({ kind: 'seq', items: [lit('i'), lit('\u0307')] });
  });

  it('complements within the code points, surrogates excluded', () => {
    expect(complementSet([[0x61, 0x7a]])).toEqual([
      [0, 0x60],
      [0x7b, 0xd7ff],
      [0xe000, 0x10ffff],
    ]);
  });
});
