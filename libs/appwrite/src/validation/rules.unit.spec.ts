import {
  ASSOC_MAX_BYTES,
  Assoc,
  BooleanLoose,
  BooleanStrict,
  CustomId,
  Email,
  EMAIL_REFERENCE_REGEX,
  IntegerStrict,
  isEmail,
  isKey,
  Key,
  Password,
  PasswordDictionary,
  Phone,
  Text,
  UID,
  WhiteList,
} from './rules';

describe('descriptions (users-api.md §3.2, verbatim)', () => {
  it.each([
    [
      'CustomId',
      CustomId.description,
      "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char",
    ],
    [
      'Key',
      Key.description,
      "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char",
    ],
    [
      'UID',
      UID.description,
      "UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore",
    ],
    ['Email', Email.description, 'Value must be a valid email address'],
    ['Phone', Phone.description, "Phone number must start with a '+' can have a maximum of fifteen digits."],
    ['Password', Password.description, 'Password must be at least 8 characters'],
    [
      'PasswordDictionary',
      PasswordDictionary().description,
      'Password must be at least 8 characters and should not be one of the commonly used password.',
    ],
    [
      'PasswordDictionary(set)',
      PasswordDictionary(new Set(['password'])).description,
      'Password must be at least 8 characters and should not be one of the commonly used password.',
    ],
    ['Text(128)', Text(128).description, 'Value must be a valid string and at least 1 chars and no longer than 128 chars'],
    ['Text(256)', Text(256).description, 'Value must be a valid string and at least 1 chars and no longer than 256 chars'],
    ['BooleanStrict', BooleanStrict.description, 'Value must be a valid boolean'],
    ['BooleanLoose', BooleanLoose.description, 'Value must be a valid boolean'],
    ['IntegerStrict', IntegerStrict.description, 'Value must be a valid integer'],
    ['Assoc', Assoc.description, 'Value must be a valid object.'],
    [
      'WhiteList(sha)',
      WhiteList(['sha1', 'sha224', 'sha256', 'sha384', 'sha512/224', 'sha512/256', 'sha512', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512'])
        .description,
      'Value must be one of (sha1, sha224, sha256, sha384, sha512/224, sha512/256, sha512, sha3-224, sha3-256, sha3-384, sha3-512)',
    ],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('Key / UID', () => {
  const valid = ['a', 'A', '0', 'user1', 'a.b-c', 'a_b', 'x'.repeat(36), '5e5ea5c16897e', ''];
  const invalid = ['_bad', '.a', '-a', 'x'.repeat(37), 'a b', 'a@b', 'é', 'a\n', 'unique()', 123, null, undefined, true, ['a'], {}];

  it.each(valid)('accepts %j', (v) => {
    expect(isKey(v)).toBe(true);
    expect(Key.check(v)).toBe(true);
    expect(UID.check(v)).toBe(true);
  });

  it.each(invalid)('rejects %j', (v) => {
    expect(isKey(v)).toBe(false);
    expect(UID.check(v)).toBe(false);
  });
});

describe('CustomId', () => {
  it.each(['unique()', '', 'u1', 'sha512', 'a.b-c_d', 'x'.repeat(36)])('accepts %j', (v) => {
    expect(CustomId.check(v)).toBe(true);
  });
  it.each(['_bad', 'Unique()', 'unique( )', 'x'.repeat(37), 1, null])('rejects %j', (v) => {
    expect(CustomId.check(v)).toBe(false);
  });
});

/** A valid host name of exactly n characters: labels of ≤ 60 'd's, then ".com". */
function domainOfLength(n: number): string {
  const rest = n - 4;
  const k = Math.ceil((rest + 1) / 61);
  const letters = rest - (k - 1);
  const labels: string[] = [];
  for (let i = 0; i < k; i++) labels.push('d'.repeat(Math.floor(letters / k) + (i < letters % k ? 1 : 0)));
  const d = labels.join('.') + '.com';
  if (d.length !== n) throw new Error('domainOfLength');
  return d;
}

describe('Email', () => {
  const valid = [
    'a@b.c',
    'a.b@c.d1',
    'a+b@c.com',
    "a'b@c.com",
    'A@C.COM',
    'a@[1.2.3.4]',
    'a@[IPv6:::1]',
    'a@xn--bcher-kva.ch',
    'x'.repeat(64) + '@c.com',
    'lionel.messi@psg.fr',
    'Lionel.Messi@PSG.fr',
    'cristiano.ronaldo@manchester-united.co.uk',
    'a`b@c.com',
    '"a"@c.com',
    '"a\\ b"@c.com',
    'a@a-b.com',
    'a@a--b.com',
    'a@[IPv6:1:2:3:4:5:6:7:8]',
    'a@[IPv6:1:2:3:4:5:6:1.2.3.4]',
  ];
  const invalid = [
    'a@b',
    'a@localhost',
    'a@1.2.3.4',
    '"a b"@c.com',
    'a..b@c.com',
    '.a@c.com',
    'a.@c.com',
    'a@c..com',
    'a@-c.com',
    'a@c-.com',
    'a@c.com.',
    'a@c.1com',
    'é@c.com',
    'a@é.com',
    'x'.repeat(65) + '@c.com',
    '',
    'not-an-email',
    'a@b.c\n',
    'a b@c.com',
    '@c.com',
    'a@',
    'a@[1.2.3.256]',
    'a@' + 'b'.repeat(64) + '.com',
    'a@' + 'b.'.repeat(150) + 'com',
    123,
    null,
    undefined,
    ['a@b.c'],
  ];

  it.each(valid)('accepts %j', (v) => {
    expect(isEmail(v)).toBe(true);
    expect(Email.check(v)).toBe(true);
    expect(EMAIL_REFERENCE_REGEX.test(v)).toBe(true);
  });

  it.each(invalid)('rejects %j', (v) => {
    expect(Email.check(v)).toBe(false);
  });

  it('enforces the 320-byte limit', () => {
    // Quoted words with escapes are long in bytes but short in regex units (253 here, under
    // the 255 limit), so only the byte limit rejects this. (The published regex needs minutes
    // on it — exponential backtracking — so it is not consulted.)
    const local = Array(32).fill('"\\a"').join('.');
    const s = `${local}@${domainOfLength(189)}`;
    expect(Buffer.byteLength(s)).toBeGreaterThan(320);
    expect(isEmail(s)).toBe(false);
    const shorter = `${Array(16).fill('"\\a"').join('.')}@${domainOfLength(189)}`;
    expect(Buffer.byteLength(shorter)).toBeLessThanOrEqual(320);
    expect(isEmail(shorter)).toBe(true);
  });

  it('counts at most 254 characters excluding quotes', () => {
    // 64-char local part + 189-char domain = 254 units: fine; one more: too long.
    const domain = domainOfLength;
    const ok = 'l'.repeat(64) + '@' + domain(189);
    const tooLong = 'l'.repeat(64) + '@' + domain(190);
    expect(ok.length).toBe(254);
    expect(tooLong.length).toBe(255);
    expect(isEmail(ok)).toBe(EMAIL_REFERENCE_REGEX.test(ok));
    expect(isEmail(ok)).toBe(true);
    expect(isEmail(tooLong)).toBe(false);
    expect(EMAIL_REFERENCE_REGEX.test(tooLong)).toBe(false);
  });

  it('quote characters do not count toward the local-part limit', () => {
    const s = '"' + 'a'.repeat(64) + '"@c.com';
    expect(isEmail(s)).toBe(EMAIL_REFERENCE_REGEX.test(s));
    const t = '"' + 'a'.repeat(65) + '"@c.com';
    expect(isEmail(t)).toBe(EMAIL_REFERENCE_REGEX.test(t));
    expect(isEmail(t)).toBe(false);
  });

  it('agrees with the published regex on random strings', () => {
    // Seeded LCG so failures are reproducible.
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = ['a', 'b', 'x', '.', '@', '"', '\\', '-', ' ', '[', ']', ':', '1', 'c', 'o', 'm', 'n', '+'];
    const pieces = ['a@b.c', 'xn--', '@c.com', '"a"', '\\"', '[1.2.3.4]', 'IPv6:', '::1', 'a'.repeat(30)];
    let compared = 0;
    for (let i = 0; i < 6000; i++) {
      let s = '';
      const len = 1 + rand(40);
      while (s.length < len) s += rand(4) === 0 ? pieces[rand(pieces.length)] : alphabet[rand(alphabet.length)];
      // Keep quote counts low so the reference regex itself stays fast.
      if ((s.match(/"/g) ?? []).length > 6) continue;
      expect([s, isEmail(s)]).toEqual([s, EMAIL_REFERENCE_REGEX.test(s) && Buffer.byteLength(s) <= 320]);
      compared++;
    }
    expect(compared).toBeGreaterThan(3000);
  });

  it('agrees with the published regex around the 65-unit and 255-unit limits', () => {
    const cases: string[] = [];
    for (const n of [63, 64, 65, 66]) {
      cases.push('a'.repeat(n) + '@c.com');
      cases.push('"' + 'a'.repeat(n) + '"@c.com');
      cases.push('"' + '\\a'.repeat(n) + '"@c.com');
      cases.push('a'.repeat(n) + '@' + 'a'.repeat(n) + '@c.com');
    }
    for (const n of [250, 253, 254, 255, 256]) {
      const local = 'l'.repeat(60);
      cases.push(local + '@' + domainOfLength(n - local.length - 1));
    }
    for (const s of cases) expect([s, isEmail(s)]).toEqual([s, EMAIL_REFERENCE_REGEX.test(s)]);
  });

  it('stays fast on inputs that make the published regex backtrack exponentially', () => {
    const hostile = ['"a'.repeat(150) + '@x.com', 'a"'.repeat(150) + 'x', '"'.repeat(300), '\\"'.repeat(150)];
    const start = Date.now();
    for (const s of hostile) expect(isEmail(s)).toBe(false);
    // Valid, yet exponential for the published regex (12 words take seconds there).
    expect(isEmail(Array(24).fill('"\\a"').join('.') + '@c.com')).toBe(true);
    expect(Date.now() - start).toBeLessThan(500);
  });
});

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
