import { compileRegex, regexMatches } from './sqlite/sqlite-regex';
import { mongoRegexPattern } from './mongodb/mongodb-regex';

/**
 * The regex query as written for MongoDB (PCRE) and FerretDB (RE2) -- every set spelled out,
 * groups non-capturing, \z -- and held to the SQLite matcher: both stores must mean the same.
 */
describe('mongoRegexPattern', () => {
  it.each([
    ['abc', 'abc'],
    ['^a.c$', '^a[\\x{0}-\\x{9}\\x{b}-\\x{d7ff}\\x{e000}-\\x{10ffff}]c\\z'],
    ['A', '[Aa]'],
    ['\\d+', '(?:[0-9])+'],
    ['a|b', '(?:a|b)'],
    ['(ab){2,3}', '(?:ab){2,3}'],
    ['x{2}y{1,}z{0,}', '(?:x){2}(?:y)+(?:z)*'],
    ['\\.', '\\x{2e}'],
    ['', '(?:)'],
    ['[^a]', '[\\x{0}-\\x{60}b-\\x{d7ff}\\x{e000}-\\x{10ffff}]'],
  ])('%s → %s', (pattern, written) => {
    expect(mongoRegexPattern(pattern)).toBe(written);
  });

  it('a literal whose lower case is two characters becomes both', () => {
    expect(mongoRegexPattern('İ')).toBe('i\\x{307}');
  });

  /** The written pattern read by JS RegExp ('u': \x{...} as \u{...}, \z as $), against the SQLite matcher on lower-cased values. */
  const asJs = (written: string) => new RegExp(written.replace(/\\x\{([0-9a-f]+)\}/g, '\\u{$1}').replace(/\\z/g, '$'), 'u');

  it.each([
    ['^(a|é)+[0-9]?$', ['aé1', 'AÉ', 'a12', '']],
    ['\\W\\s\\w', ['é a', 'a  b', '-\tz']],
    ['[^a-c]{2}$', ['xyz', 'xab', 'ÀÉ']],
    ['^.{3}$', ['abc', 'a\nc', '😀😀😀']],
    ['\\x{1F600}|-', ['😀', '-', 'x']],
  ])('means what the SQLite matcher means: %s', (pattern, values) => {
    const js = asJs(mongoRegexPattern(pattern));
    const automaton = compileRegex(pattern);
    for (const value of values) {
      const lower = value.toLowerCase();
      expect([value, js.test(lower)]).toEqual([value, regexMatches(automaton, lower)]);
    }
  });
});
