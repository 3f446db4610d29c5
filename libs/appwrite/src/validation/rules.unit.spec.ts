import {
  Assoc,
  BooleanLoose,
  BooleanStrict,
  CustomId,
  Email,
  IntegerStrict,
  IsoDate,
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

describe('IsoDate', () => {
  it.each([
    ['2024-05-09T05:19:31.112+00:00', '2024-05-09T05:19:31.112+00:00'],
    ['2024-05-09T07:19:31.112+02:00', '2024-05-09T05:19:31.112+00:00'],
    ['2024-05-09T05:19:31Z', '2024-05-09T05:19:31.000+00:00'],
    ['2024-05-09', '2024-05-09T00:00:00.000+00:00'],
    // `+02:00` in a query string without percent-encoding: the plus arrives as a space.
    ['2024-05-09T07:19:31.112 02:00', '2024-05-09T05:19:31.112+00:00'],
  ])('accepts %j as %j', (sent, moment) => {
    expect(IsoDate.check(sent)).toBe(true);
    expect(IsoDate.coerce!(sent)).toBe(moment);
  });

  it.each(['', 'now', '2024-02-30', '2024-05-09T25:00:00Z', '09/05/2024', 1715232000000, null])('refuses %j', (v) => {
    expect(IsoDate.check(v)).toBe(false);
  });
});
