import {
  ASSOC_MAX_BYTES,
  Assoc,
  BooleanLoose,
  BooleanStrict,
  IntegerStrict,
  Password,
  PasswordDictionary,
  Phone,
  Text,
  WhiteList,
} from './rules';

describe('Phone', () => {
  it.each(['+12', '+123456789012', '+14155552671', '+910000000000', '+123456789012345'])('accepts %j', (v) => {
    expect(Phone.check(v)).toBe(true);
  });
  it.each(['+1', '+0123', '123456', '+1234567890123456', '+12a', '+12 34', ' +12', '+12\n', '', 12345, null])(
    'rejects %j',
    (v) => {
      expect(Phone.check(v)).toBe(false);
    },
  );
});

describe('Password / PasswordDictionary', () => {
  it('needs at least 8 UTF-8 bytes', () => {
    expect(Password.check('password')).toBe(true);
    expect(Password.check('1234567')).toBe(false);
    expect(Password.check('short')).toBe(false);
    expect(Password.check('')).toBe(false);
    expect(Password.check('éééé')).toBe(true); // 8 bytes, 4 characters
    expect(Password.check('ééé')).toBe(false); // 6 bytes
    expect(Password.check('😀😀')).toBe(true); // 8 bytes
    expect(Password.check('x'.repeat(10000))).toBe(true); // no maximum in 1.3
  });

  it('must be a string', () => {
    for (const v of [12345678, null, undefined, true, ['12345678'], { a: '12345678' }]) {
      expect(Password.check(v)).toBe(false);
      expect(PasswordDictionary().check(v)).toBe(false);
    }
  });

  it('PasswordDictionary without a dictionary behaves like Password', () => {
    const rule = PasswordDictionary();
    expect(rule.check('password')).toBe(true);
    expect(rule.check('short')).toBe(false);
  });

  it('PasswordDictionary rejects dictionary entries when enabled', () => {
    const rule = PasswordDictionary(new Set(['password', '12345678']));
    expect(rule.check('password')).toBe(false);
    expect(rule.check('12345678')).toBe(false);
    expect(rule.check('Password')).toBe(true);
    expect(rule.check('correct horse')).toBe(true);
    expect(rule.check('short')).toBe(false);
  });
});

describe('Text', () => {
  const t = Text(128);
  it('accepts 1..n code points', () => {
    expect(t.check('a')).toBe(true);
    expect(t.check('Lionel Messi')).toBe(true);
    expect(t.check('x'.repeat(128))).toBe(true);
    expect(t.check('😀'.repeat(128))).toBe(true); // 256 UTF-16 units, 128 code points
    expect(t.check('é'.repeat(128))).toBe(true);
  });
  it('rejects empty, too long and non-strings', () => {
    expect(t.check('')).toBe(false);
    expect(t.check('x'.repeat(129))).toBe(false);
    expect(t.check('😀'.repeat(129))).toBe(false);
    for (const v of [1, null, undefined, true, ['a'], { a: 'b' }]) expect(t.check(v)).toBe(false);
  });
  it('respects its own bound', () => {
    expect(Text(256).check('x'.repeat(256))).toBe(true);
    expect(Text(256).check('x'.repeat(257))).toBe(false);
  });
});

describe('BooleanStrict', () => {
  it.each([true, false])('accepts %j', (v) => expect(BooleanStrict.check(v)).toBe(true));
  it.each(['true', 'false', '1', '0', 1, 0, null, undefined, 'yes', []])('rejects %j', (v) =>
    expect(BooleanStrict.check(v)).toBe(false),
  );
  it('has no coercion', () => expect(BooleanStrict.coerce).toBeUndefined());
});

describe('BooleanLoose', () => {
  it.each([
    [true, true],
    ['true', true],
    ['1', true],
    [1, true],
    [false, false],
    ['false', false],
    ['0', false],
    [0, false],
  ])('accepts %j and coerces to %j', (v, expected) => {
    expect(BooleanLoose.check(v)).toBe(true);
    expect(BooleanLoose.coerce!(v)).toBe(expected);
  });
  it.each(['TRUE', 'False', 'yes', 'no', '', 2, -1, 1.5, null, undefined, [], {}, ' 1'])('rejects %j', (v) => {
    expect(BooleanLoose.check(v)).toBe(false);
  });
});

describe('IntegerStrict', () => {
  it.each([0, 1, -1, 16384, 2 ** 53, -(2 ** 62)])('accepts %j', (v) => expect(IntegerStrict.check(v)).toBe(true));
  it.each([1.5, '1', '16384', NaN, Infinity, 2 ** 63, -(2 ** 64), null, true, [1]])('rejects %j', (v) =>
    expect(IntegerStrict.check(v)).toBe(false),
  );
});

describe('Assoc', () => {
  it.each([{}, { theme: 'dark' }, { a: { b: [1, 2] } }, { '0': 'a', x: 1 }, { '1': 'a' }, { '0': 'a', '2': 'b' }, { a: {} }])(
    'accepts %j',
    (v) => {
      expect(Assoc.check(v)).toBe(true);
      expect(Assoc.coerce!(v)).toBe(v);
    },
  );

  it('accepts [] and turns it into {}', () => {
    expect(Assoc.check([])).toBe(true);
    expect(Assoc.coerce!([])).toEqual({});
    expect(Array.isArray(Assoc.coerce!([]))).toBe(false);
  });

  it.each([
    ['bad-string'],
    [''],
    [1],
    [true],
    [null],
    [undefined],
    [[1, 2]],
    [['a']],
    [{ '0': 'a' }],
    [{ '0': 'a', '1': 'b' }],
    [new Date()],
    [new Map()],
  ])('rejects %j', (v) => {
    expect(Assoc.check(v)).toBe(false);
  });

  it('limits the PHP re-encoded size to 65535 bytes', () => {
    // {"k":"…"} = 8 bytes of framing.
    const exact = { k: 'x'.repeat(ASSOC_MAX_BYTES - 8) };
    expect(Assoc.check(exact)).toBe(true);
    expect(Assoc.check({ k: 'x'.repeat(ASSOC_MAX_BYTES - 7) })).toBe(false);
  });

  it('counts escaped slashes and non-ASCII as PHP does', () => {
    // "/" → "\/" (2 bytes); "é" → "\u00e9" (6 bytes); "😀" → two \u escapes (12 bytes).
    const n = Math.floor((ASSOC_MAX_BYTES - 8) / 2);
    expect(Assoc.check({ k: '/'.repeat(n) })).toBe(true);
    expect(Assoc.check({ k: '/'.repeat(n + 1) })).toBe(false);
    const m = Math.floor((ASSOC_MAX_BYTES - 8) / 6);
    expect(Assoc.check({ k: 'é'.repeat(m) })).toBe(true);
    expect(Assoc.check({ k: 'é'.repeat(m + 1) })).toBe(false);
    const e = Math.floor((ASSOC_MAX_BYTES - 8) / 12);
    expect(Assoc.check({ k: '😀'.repeat(e) })).toBe(true);
    expect(Assoc.check({ k: '😀'.repeat(e + 1) })).toBe(false);
  });
});

describe('WhiteList', () => {
  const versions = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512/224', 'sha512/256', 'sha512', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512'];
  const rule = WhiteList(versions);

  it.each(['sha1', 'SHA1', 'Sha512/256', 'sha3-512'])('accepts %j case-insensitively', (v) => {
    expect(rule.check(v)).toBe(true);
  });

  it('keeps the caller casing', () => {
    expect(rule.coerce).toBeUndefined();
  });

  it.each(['', 'md5', 'sha', ' sha1', 'sha1 ', 1, null, ['sha1']])('rejects %j', (v) => {
    expect(rule.check(v)).toBe(false);
  });

  it('can be case-sensitive', () => {
    const strict = WhiteList(['Ab', 'cd'], false);
    expect(strict.check('Ab')).toBe(true);
    expect(strict.check('ab')).toBe(false);
    expect(strict.description).toBe('Value must be one of (Ab, cd)');
  });

  it('prints a case-insensitive list lower-cased, as Appwrite does', () => {
    expect(WhiteList(['Ab', 'CD']).description).toBe('Value must be one of (ab, cd)');
    expect(WhiteList(['Ab', 'CD']).check('aB')).toBe(true);
  });

  it('folds ASCII only', () => {
    // U+212A KELVIN SIGN lower-cases to "k" in JS but not in PHP's strtolower.
    expect(WhiteList(['k']).check('\u212a')).toBe(false);
  });
});
