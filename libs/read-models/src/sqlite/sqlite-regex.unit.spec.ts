import Database from 'better-sqlite3';
import { compileRegex, REGEX_FUNCTION, regexMatches, registerRegexFunction } from './sqlite-regex';

/** The SQLite store's regex matcher: a lazily determinised Thompson automaton over lower-cased values. */
const matches = (pattern: string, value: string) => regexMatches(compileRegex(pattern), value.toLowerCase());

describe('regexMatches', () => {
  it.each<[string, string, boolean]>([
    ['b', 'abc', true],
    ['^b', 'abc', false],
    ['c$', 'abc', true],
    ['b$', 'abc', false],
    ['^$', '', true],
    ['', 'anything', true],
    ['^a.c$', 'aXc', true],
    ['^a.c$', 'a\nc', false],
    ['A', 'xa', true],
    ['[^A]', 'a', false],
    ['é', 'ÉMILE', true],
    ['^İd$', 'İd', true],
    ['\\d{3}', 'ab123', true],
    ['\\d{3}', 'ab12c', false],
    ['^(a|b)*c$', 'ababc', true],
    ['^(a|b)*c$', 'abacx', false],
    ['^x(?:ab){2,3}y$', 'xababy', true],
    ['^x(?:ab){2,3}y$', 'xababababy', false],
    ['^\\s+$', ' \t\n', true],
    ['\\x{1F600}', 'smile 😀', true],
    ['^.$', '😀', true],
    ['a|', 'zzz', true],
  ])('%s on %j → %s', (pattern, value, expected) => {
    expect(matches(pattern, value)).toBe(expected);
  });

  it('agrees with JS RegExp (case-insensitive, Unicode) on random patterns and values', () => {
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    // Characters every engine folds and classifies the same way.
    const alphabet = ['a', 'b', 'A', 'B', 'é', 'É', '1', ' ', '.', '\n', '-'];
    const atom = (depth: number): string => {
      const r = rnd();
      if (depth < 2 && r < 0.15) return `(${pattern(depth + 1)})`;
      if (depth < 2 && r < 0.25) return `(?:${pattern(depth + 1)})`;
      return pick(['a', 'b', 'A', 'é', '1', '\\.', '.', '[a-b]', '[^a]', '[ab1-]', '\\d', '\\w', '\\s', '\\W']);
    };
    const piece = (depth: number) => atom(depth) + pick(['', '', '', '*', '+', '?', '{0,2}', '{2}', '{1,}', '*?']);
    const branch = (depth: number) => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => piece(depth)).join('');
    const pattern = (depth: number): string => (rnd() < 0.2 ? `${branch(depth)}|${branch(depth)}` : branch(depth));
    for (let i = 0; i < 400; i++) {
      const p = `${rnd() < 0.3 ? '^' : ''}${pattern(0)}${rnd() < 0.3 ? '$' : ''}`;
      const automaton = compileRegex(p);
      const js = new RegExp(p, 'iu');
      for (let j = 0; j < 15; j++) {
        const value = Array.from({ length: Math.floor(rnd() * 7) }, () => pick(alphabet)).join('');
        const got = regexMatches(automaton, value.toLowerCase());
        if (got !== js.test(value)) throw new Error(`${JSON.stringify(p)} on ${JSON.stringify(value)}: got ${got}`);
      }
    }
  });

  it('takes linear time where a backtracking engine takes exponential time', () => {
    const value = 'a'.repeat(5000);
    const started = Date.now();
    for (const p of ['(a|a)*b', '(a*)*b', '^(a|aa)+$b', '(.*a){20}b']) expect(matches(p, value)).toBe(false);
    // JS RegExp needs seconds for (a|a)*b on 28 characters; here 5000 take milliseconds.
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('the SQL function', () => {
  it('is 1 / 0 on values, NULL on NULL, one compiled pattern per text', () => {
    const db = new Database(':memory:');
    registerRegexFunction(db);
    const run = (pattern: string, value: string | null) => (db.prepare(`SELECT ${REGEX_FUNCTION}(?, ?) AS r`).get(pattern, value) as { r: number | null }).r;
    expect([run('^a', 'abc'), run('^b', 'abc'), run('^a', null)]).toEqual([1, 0, null]);
    db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('ann'), ('bob'), (NULL), ('anna')");
    expect(db.prepare(`SELECT v FROM t WHERE ${REGEX_FUNCTION}(?, v) ORDER BY v`).all('^an+a?$')).toEqual([{ v: 'ann' }, { v: 'anna' }]);
    expect(db.prepare(`SELECT count(*) AS n FROM t WHERE NOT ${REGEX_FUNCTION}(?, v)`).get('n')).toEqual({ n: 1 });
    db.close();
  });
});
