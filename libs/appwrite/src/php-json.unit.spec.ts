import {
  hasLoneSurrogate,
  PHP_JSON_MAX_DEPTH,
  phpJsonDecode,
  phpJsonDecodeBytes,
  phpJsonEncode,
  phpJsonEncodedLength,
  PhpJsonError,
} from './php';
import { ASSOC_MAX_BYTES, Assoc } from './validation/rules';
import { parseQuery } from './queries/parse-query';
import { QueryError } from './queries/query-error';

const nested = (depth: number, open = '[', close = ']', inner = '1') => open.repeat(depth) + inner + close.repeat(depth);

/** An object nested `depth` levels deep, built without recursion. */
function deepObject(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let level = root;
  for (let i = 1; i < depth; i++) level = (level.a = {}) as Record<string, unknown>;
  level.a = 1;
  return root;
}

describe('phpJsonDecode: json_decode($text, true) with depth 512', () => {
  it('accepts 512 levels of arrays or objects and refuses 513 ("Maximum stack depth exceeded")', () => {
    expect(PHP_JSON_MAX_DEPTH).toBe(512);
    expect(phpJsonDecode(nested(512)).ok).toBe(true);
    expect(phpJsonDecode(nested(513))).toEqual({ ok: false, error: 'Maximum stack depth exceeded' });
    expect(phpJsonDecode(nested(511, '{"k":', '}', '[]')).ok).toBe(true);
    expect(phpJsonDecode(nested(512, '{"k":', '}', '[]')).ok).toBe(false);
    expect(phpJsonDecode(nested(100_000)).ok).toBe(false);
    expect(phpJsonDecode(nested(3, '[', ']'), 2).ok).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(phpJsonDecode(JSON.stringify({ s: '['.repeat(2000), t: '\\"{{{{' })).ok).toBe(true);
    expect(phpJsonDecode(`["\\\\", ${nested(512)}]`).ok).toBe(false);
  });

  it('refuses an unpaired surrogate escape, high or low, in a key or a value', () => {
    for (const text of ['"\\ud800"', '"a\\udc00"', '{"\\ud83dx":1}', '["ok", {"k": "\\udbff"}]', '"\\ude00\\ud83d"']) {
      expect([text, phpJsonDecode(text)]).toEqual([text, { ok: false, error: 'Single unpaired UTF-16 surrogate in unicode escape' }]);
    }
    expect(phpJsonDecode('"\\ud83d\\ude00"')).toEqual({ ok: true, value: '\u{1F600}' });
    expect(phpJsonDecode('"\\\\ud800"')).toEqual({ ok: true, value: '\\ud800' });
  });

  it('reports syntax errors and decodes what JSON.parse decodes', () => {
    expect(phpJsonDecode('{not json')).toEqual({ ok: false, error: 'Syntax error' });
    expect(phpJsonDecode('')).toEqual({ ok: false, error: 'Syntax error' });
    expect(phpJsonDecode('{"a":[1,"x",null,true]}')).toEqual({ ok: true, value: { a: [1, 'x', null, true] } });
  });

  it('from bytes: malformed UTF-8 (also encoded surrogates) fails, and a BOM is not skipped', () => {
    const malformed = 'Malformed UTF-8 characters, possibly incorrectly encoded';
    expect(phpJsonDecodeBytes(Buffer.from([0x22, 0xe9, 0x22]))).toEqual({ ok: false, error: malformed });
    expect(phpJsonDecodeBytes(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).toEqual({ ok: false, error: malformed });
    expect(phpJsonDecodeBytes(Buffer.from('\ufeff{}')).ok).toBe(false);
    expect(phpJsonDecodeBytes(Buffer.from('{"s":"é😀"}'))).toEqual({ ok: true, value: { s: 'é😀' } });
  });

  it('hasLoneSurrogate looks at every key and string', () => {
    expect(hasLoneSurrogate({ a: ['x', { b: 'y\ud800' }] })).toBe(true);
    expect(hasLoneSurrogate({ ['\udc00']: 1 })).toBe(true);
    expect(hasLoneSurrogate({ a: ['\u{1F600}', 1, null] })).toBe(false);
  });
});

describe('phpJsonEncode / phpJsonEncodedLength: bounded depth and size', () => {
  it('fails past 512 levels with PHP\'s error instead of overflowing the stack', () => {
    expect(() => phpJsonEncode(deepObject(512))).not.toThrow();
    expect(() => phpJsonEncode(deepObject(513))).toThrow(new PhpJsonError('Maximum stack depth exceeded'));
    expect(() => phpJsonEncode(deepObject(100_000))).toThrow(PhpJsonError);
  });

  it.each([
    [{}],
    [{ theme: 'dark', url: 'a/b', s: 'é😀"\\\b\u0001', n: [1, 1.5, -3, 1e20, true, false, null] }],
    [{ a: { '0': 'x', '1': 'y' }, e: {}, u: undefined, l: [undefined, 2] }],
    [deepObject(300)],
  ])('counts exactly the bytes phpJsonEncode writes: %#', (value) => {
    expect(phpJsonEncodedLength(value, Infinity)).toBe(phpJsonEncode(value).length);
  });

  it('gives up (null) past the byte budget or the depth, at the exact boundary', () => {
    const v = { k: 'x'.repeat(100) };
    const n = phpJsonEncode(v).length;
    expect(phpJsonEncodedLength(v, n)).toBe(n);
    expect(phpJsonEncodedLength(v, n - 1)).toBeNull();
    expect(phpJsonEncodedLength(deepObject(512), Infinity)).not.toBeNull();
    expect(phpJsonEncodedLength(deepObject(513), Infinity)).toBeNull();
    expect(phpJsonEncodedLength(deepObject(100_000), Infinity)).toBeNull();
  });

  it('stops early: what lies past the limit is never looked at', () => {
    let visited = 0;
    const rest = Array.from({ length: 1000 }, () => ({ get v() { visited += 1; return 'é'; } }));
    const huge = { a: 'x'.repeat(ASSOC_MAX_BYTES), b: rest };
    expect(phpJsonEncodedLength(huge, ASSOC_MAX_BYTES)).toBeNull();
    expect(visited).toBe(0);
  });

  it('Assoc refuses too deep or too large prefs without throwing', () => {
    expect(Assoc.check(deepObject(512))).toBe(true);
    expect(Assoc.check(deepObject(513))).toBe(false);
    expect(Assoc.check(deepObject(4500))).toBe(false);
    expect(Assoc.check({ blob: 'x'.repeat(1_900_000) })).toBe(false);
  });
});

describe('JSON query syntax is decoded as json_decode decodes it', () => {
  it('refuses queries nested deeper than 512 levels or holding a lone surrogate', () => {
    const deep = `{"method":"equal","attribute":"name","values":[${nested(600)}]}`;
    expect(() => parseQuery(deep)).toThrow(new QueryError(`Invalid query: ${deep}`));
    const lone = '{"method":"equal","attribute":"name","values":["\\ud800"]}';
    expect(() => parseQuery(lone)).toThrow(QueryError);
    expect(parseQuery('{"method":"equal","attribute":"name","values":["\\ud83d\\ude00"]}').values).toEqual(['\u{1F600}']);
  });
});
