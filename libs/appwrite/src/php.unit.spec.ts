import {
  isPhpIntegerString,
  isPhpNumeric,
  mbStrlen,
  phpJsonEncode,
  phpNumber,
  phpString,
  phpTrim,
} from './php';

describe('mbStrlen', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 1],
    ['日本', 2],
    ['😀', 1],
    ['a😀b', 3],
    ['\ud800', 1],
    ['\ud800x', 2],
  ])('%j → %d', (s, n) => {
    expect(mbStrlen(s)).toBe(n);
  });
});

describe('phpTrim', () => {
  it('strips only PHP whitespace', () => {
    expect(phpTrim(' \t\n\r\0\x0Babc \t\n\r\0\x0B')).toBe('abc');
    expect(phpTrim('\u00a0abc')).toBe('\u00a0abc');
    expect(phpTrim('\fabc')).toBe('\fabc');
    expect(phpTrim('a b')).toBe('a b');
  });
});

describe('isPhpNumeric / phpNumber', () => {
  it.each([
    ['0', 0],
    ['25', 25],
    ['-1', -1],
    ['+5', 5],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['1E3', 1000],
    ['-2.5e-1', -0.25],
    ['.5', 0.5],
    ['5.', 5],
    ['007', 7],
    [' 25', 25],
    ['25 ', 25],
    ['\f25', 25],
    ['-0', 0],
  ])('%j is numeric → %d', (s, n) => {
    expect(isPhpNumeric(s)).toBe(true);
    expect(Object.is(phpNumber(s), n)).toBe(true);
  });

  it.each(['', ' ', '.', '-', '+', '0x1A', '1e', 'e3', '1_000', 'abc', '1 2', '25a', 'Infinity', 'NaN', '١'])(
    '%j is not numeric',
    (s) => {
      expect(isPhpNumeric(s)).toBe(false);
    },
  );

  it('distinguishes PHP int strings from float strings', () => {
    expect(isPhpIntegerString('25')).toBe(true);
    expect(isPhpIntegerString(' -7 ')).toBe(true);
    expect(isPhpIntegerString('25.0')).toBe(false);
    expect(isPhpIntegerString('1e3')).toBe(false);
  });
});

describe('phpString', () => {
  it.each([
    ['x', 'x'],
    [123, '123'],
    [1.5, '1.5'],
    [true, '1'],
    [false, ''],
    [null, ''],
    [undefined, ''],
    [['a'], 'Array'],
    [{ a: 1 }, 'Array'],
  ])('%j → %j', (v, s) => {
    expect(phpString(v)).toBe(s);
  });
});

describe('phpJsonEncode', () => {
  it.each([
    [{}, '[]'],
    [[], '[]'],
    [{ theme: 'dark' }, '{"theme":"dark"}'],
    [{ url: 'a/b' }, '{"url":"a\\/b"}'],
    [{ s: 'é' }, '{"s":"\\u00e9"}'],
    [{ s: '😀' }, '{"s":"\\ud83d\\ude00"}'],
    [{ s: '"\\' }, '{"s":"\\"\\\\"}'],
    [{ s: '\b\f\n\r\t\u0001\u001f\u007f' }, '{"s":"\\b\\f\\n\\r\\t\\u0001\\u001f\u007f"}'],
    [{ s: '<>&\'' }, '{"s":"<>&\'"}'],
    [{ n: 1, f: 1.5, neg: -3, big: 1e20, t: true, fa: false, nu: null }, '{"n":1,"f":1.5,"neg":-3,"big":100000000000000000000,"t":true,"fa":false,"nu":null}'],
    [{ a: { '0': 'x', '1': 'y' } }, '{"a":["x","y"]}'],
    [{ a: {} }, '{"a":[]}'],
    [{ a: [1, { b: 2 }] }, '{"a":[1,{"b":2}]}'],
    [{ 'k/é': 1 }, '{"k\\/\\u00e9":1}'],
  ])('%j → %s', (v, s) => {
    expect(phpJsonEncode(v)).toBe(s);
  });
});
