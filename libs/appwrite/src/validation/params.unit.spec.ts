import { AppwriteException } from '../errors/appwrite-exception';
import { LogQueries, validateLogQueries } from '../queries/log-queries';
import { UserQueries, validateUserQueries } from '../queries/user-queries';
import { collectArrayParam, ParamDef, QueryStrings, validateParams } from './params';
import { Assoc, BooleanLoose, BooleanStrict, CustomId, Email, IntegerStrict, PasswordDictionary, Phone, Rule, Text, UID } from './rules';

const str = (description: string): ParamDef['openapi'] => ({ type: 'string', description });

/** POST /v1/users (users-api.md §5.1). */
const createUser: ParamDef[] = [
  { name: 'userId', in: 'body', required: true, rule: CustomId, openapi: str('User ID.') },
  { name: 'email', in: 'body', required: false, default: null, rule: Email, openapi: str('Email.') },
  { name: 'phone', in: 'body', required: false, default: null, rule: Phone, openapi: str('Phone.') },
  { name: 'password', in: 'body', required: false, default: '', rule: PasswordDictionary(), openapi: str('Password.') },
  { name: 'name', in: 'body', required: false, default: '', rule: Text(128), openapi: str('Name.') },
];

function body(b: Record<string, unknown>) {
  return { path: {}, body: b, query: {} };
}

function failure(defs: ParamDef[], input: Parameters<typeof validateParams>[1]): { type: string; code: number; message: string } {
  try {
    validateParams(defs, input);
  } catch (e) {
    expect(e).toBeInstanceOf(AppwriteException);
    const err = e as AppwriteException;
    return { type: err.type, code: err.code, message: err.message };
  }
  throw new Error('expected validation to fail');
}

describe('validateParams', () => {
  it('fills defaults for absent optionals without validating them', () => {
    expect(validateParams(createUser, body({ userId: 'unique()' }))).toEqual({
      userId: 'unique()',
      email: null,
      phone: null,
      password: '',
      name: '',
    });
  });

  it('returns validated values', () => {
    expect(
      validateParams(
        createUser,
        body({ userId: 'unique()', email: 'Lionel.Messi@PSG.fr', password: 'password', name: 'Lionel Messi', extra: 1 }),
      ),
    ).toEqual({ userId: 'unique()', email: 'Lionel.Messi@PSG.fr', phone: null, password: 'password', name: 'Lionel Messi' });
  });

  // Appendix A rows 3–7.
  it('A3: missing required → not optional', () => {
    expect(failure(createUser, body({}))).toEqual({
      type: 'general_argument_invalid',
      code: 400,
      message: 'Param "userId" is not optional.',
    });
  });

  it('A4: bad custom id', () => {
    expect(failure(createUser, body({ userId: '_bad' })).message).toBe(
      "Invalid userId: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char",
    );
  });

  it('A5: bad email', () => {
    expect(failure(createUser, body({ userId: 'u2', email: 'not-an-email' })).message).toBe(
      'Invalid email: Value must be a valid email address',
    );
  });

  it('A6: short password', () => {
    expect(failure(createUser, body({ userId: 'u3', password: 'short' })).message).toBe(
      'Invalid password: Password must be at least 8 characters and should not be one of the commonly used password.',
    );
  });

  it('A7: phone only passes', () => {
    expect(validateParams(createUser, body({ userId: 'u4', phone: '+123456789012' })).phone).toBe('+123456789012');
  });

  it('reports the first failure in definition order', () => {
    expect(failure(createUser, body({ userId: '_bad', email: 'x', name: '' })).message).toMatch(/^Invalid userId: /);
    expect(failure(createUser, body({ userId: 'ok', email: 'x', name: '' })).message).toMatch(/^Invalid email: /);
    expect(failure(createUser, body({ userId: 'ok', phone: '1', name: '' })).message).toMatch(/^Invalid phone: /);
    expect(failure(createUser, body({ userId: 'ok', name: '' })).message).toBe(
      'Invalid name: Value must be a valid string and at least 1 chars and no longer than 128 chars',
    );
  });

  it('validates empty strings instead of treating them as absent', () => {
    for (const key of ['email', 'phone', 'password', 'name']) {
      expect(failure(createUser, body({ userId: 'u', [key]: '' })).message).toMatch(new RegExp(`^Invalid ${key}: `));
    }
  });

  it('treats an explicit null optional as absent', () => {
    expect(validateParams(createUser, body({ userId: 'u', name: null, email: null, password: null }))).toEqual({
      userId: 'u',
      email: null,
      phone: null,
      password: '',
      name: '',
    });
  });

  it('validates an explicit null required param (and fails)', () => {
    expect(failure(createUser, body({ userId: null })).message).toBe(
      "Invalid userId: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char",
    );
  });

  it('treats an undefined value as absent', () => {
    expect(failure(createUser, body({ userId: undefined })).message).toBe('Param "userId" is not optional.');
  });

  it('A9: scrypt params are all required, in order', () => {
    const scrypt: ParamDef[] = [
      { name: 'userId', in: 'body', required: true, rule: CustomId, openapi: str('') },
      { name: 'email', in: 'body', required: true, rule: Email, openapi: str('') },
      { name: 'passwordSalt', in: 'body', required: true, rule: Text(128), openapi: str('') },
      { name: 'passwordCpu', in: 'body', required: true, rule: IntegerStrict, openapi: { type: 'integer', description: '' } },
    ];
    expect(failure(scrypt, body({ userId: 'u', email: 'a@b.c', passwordSalt: 's' })).message).toBe(
      'Param "passwordCpu" is not optional.',
    );
    expect(failure(scrypt, body({ userId: 'u', email: 'a@b.c', passwordSalt: 's', passwordCpu: '8' })).message).toBe(
      'Invalid passwordCpu: Value must be a valid integer',
    );
  });

  it('reads path params and validates them (ill-formed id → 400)', () => {
    const defs: ParamDef[] = [{ name: 'userId', in: 'path', required: true, rule: UID, openapi: str('') }];
    expect(validateParams(defs, { path: { userId: 'u1' }, body: {}, query: {} })).toEqual({ userId: 'u1' });
    expect(failure(defs, { path: { userId: '_x' }, body: {}, query: {} })).toEqual({
      type: 'general_argument_invalid',
      code: 400,
      message:
        "Invalid userId: UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore",
    });
  });

  it('only reads each param from its own source', () => {
    const defs: ParamDef[] = [{ name: 'name', in: 'body', required: true, rule: Text(128), openapi: str('') }];
    expect(failure(defs, { path: { name: 'a' }, body: {}, query: { name: 'a' } }).message).toBe('Param "name" is not optional.');
  });

  it('applies coerce after a successful check (status, prefs)', () => {
    const defs: ParamDef[] = [
      { name: 'status', in: 'body', required: true, rule: BooleanLoose, openapi: { type: 'boolean', description: '' } },
    ];
    expect(validateParams(defs, body({ status: 'false' }))).toEqual({ status: false });
    expect(validateParams(defs, body({ status: 1 }))).toEqual({ status: true });
    const prefs: ParamDef[] = [
      { name: 'prefs', in: 'body', required: true, rule: Assoc, openapi: { type: 'object', description: '' } },
    ];
    expect(validateParams(prefs, body({ prefs: [] }))).toEqual({ prefs: {} });
    expect(failure(prefs, body({ prefs: 'bad-string' })).message).toBe('Invalid prefs: Value must be a valid object.');
    expect(failure(prefs, body({})).message).toBe('Param "prefs" is not optional.');
  });

  it('does not apply coerce to defaults', () => {
    const coerce = jest.fn((v: unknown) => v);
    const rule: Rule = { description: 'd', check: () => true, coerce };
    const defs: ParamDef[] = [{ name: 'x', in: 'body', required: false, default: 'dflt', rule, openapi: str('') }];
    expect(validateParams(defs, body({}))).toEqual({ x: 'dflt' });
    expect(coerce).not.toHaveBeenCalled();
  });

  it('hands out fresh copies of object defaults', () => {
    const defs: ParamDef[] = [
      { name: 'queries', in: 'query', required: false, default: [], rule: QueryStrings, openapi: { type: 'array', items: { type: 'string' }, description: '' } },
    ];
    const a = validateParams(defs, { path: {}, body: {}, query: {} }).queries as unknown[];
    a.push('mutated');
    expect(validateParams(defs, { path: {}, body: {}, query: {} }).queries).toEqual([]);
  });

  it('uses a rule explanation when it has one', () => {
    const rule: Rule = { description: 'generic', check: () => false, explain: (v) => `bad ${String(v)}` };
    const defs: ParamDef[] = [{ name: 'x', in: 'body', required: true, rule, openapi: str('') }];
    expect(failure(defs, body({ x: 5 })).message).toBe('Invalid x: bad 5');
  });

  it('ignores inherited properties', () => {
    const defs: ParamDef[] = [{ name: 'toString', in: 'body', required: true, rule: Text(10), openapi: str('') }];
    expect(failure(defs, body({})).message).toBe('Param "toString" is not optional.');
  });

  it('tolerates a non-object body', () => {
    expect(failure(createUser, { path: {}, body: null as unknown as Record<string, unknown>, query: {} }).message).toBe(
      'Param "userId" is not optional.',
    );
    expect(failure(createUser, { path: {}, body: ['x'] as unknown as Record<string, unknown>, query: {} }).message).toBe(
      'Param "userId" is not optional.',
    );
  });

  it('strict booleans stay strict', () => {
    const defs: ParamDef[] = [
      { name: 'emailVerification', in: 'body', required: true, rule: BooleanStrict, openapi: { type: 'boolean', description: '' } },
    ];
    expect(failure(defs, body({ emailVerification: 'true' })).message).toBe('Invalid emailVerification: Value must be a valid boolean');
  });

  describe('query-string params', () => {
    const listUsers: ParamDef[] = [
      { name: 'queries', in: 'query', required: false, default: [], rule: QueryStrings, openapi: { type: 'array', items: { type: 'string' }, description: '' } },
      { name: 'search', in: 'query', required: false, default: '', rule: Text(256), openapi: str('') },
    ];
    const q = (query: Record<string, unknown>) => ({ path: {}, body: {}, query });

    it('collects array params in every encoding', () => {
      expect(validateParams(listUsers, q({ 'queries[]': ['limit(1)', 'offset(2)'] })).queries).toEqual(['limit(1)', 'offset(2)']);
      expect(validateParams(listUsers, q({ 'queries[0]': 'limit(1)', 'queries[1]': 'offset(2)' })).queries).toEqual([
        'limit(1)',
        'offset(2)',
      ]);
      expect(validateParams(listUsers, q({ queries: ['limit(1)', 'offset(2)'] })).queries).toEqual(['limit(1)', 'offset(2)']);
      expect(validateParams(listUsers, q({ queries: 'limit(1)' })).queries).toEqual(['limit(1)']);
      expect(validateParams(listUsers, q({})).queries).toEqual([]);
    });

    it('search= (empty) is a 400', () => {
      expect(failure(listUsers, q({ search: '' })).message).toBe(
        'Invalid search: Value must be a valid string and at least 1 chars and no longer than 256 chars',
      );
    });

    it('takes the last of repeated scalar params', () => {
      expect(validateParams(listUsers, q({ search: ['a', 'b'] })).search).toBe('b');
    });

    it('reports array-level query problems', () => {
      const many = Array.from({ length: 101 }, () => 'limit(1)');
      expect(failure(listUsers, q({ 'queries[]': many })).message).toBe('Invalid queries: Too many queries (max 100)');
      expect(failure(listUsers, q({ 'queries[]': ['x'.repeat(4097)] })).message).toBe(
        'Invalid queries: Query too long (max 4096 chars)',
      );
      expect(validateParams(listUsers, q({ 'queries[]': ['x'.repeat(4096)] })).queries).toEqual(['x'.repeat(4096)]);
      expect(validateParams(listUsers, q({ 'queries[]': ['😀'.repeat(4096)] })).queries).toHaveLength(1);
    });
  });
});

describe('QueryStrings', () => {
  it('accepts arrays of strings (content is not parsed here)', () => {
    expect(QueryStrings.check([])).toBe(true);
    expect(QueryStrings.check(['limit(1)', 'anything'])).toBe(true);
    expect(QueryStrings.check(Array(100).fill('a'))).toBe(true);
  });
  it('explains failures', () => {
    expect(QueryStrings.check(Array(101).fill('a'))).toBe(false);
    expect(QueryStrings.explain!(Array(101).fill('a'))).toBe('Too many queries (max 100)');
    expect(QueryStrings.explain!([5])).toBe('Invalid query: 5');
    expect(QueryStrings.explain!(['ok', null])).toBe('Invalid query: ');
    expect(QueryStrings.explain!([['a']])).toBe('Invalid query: Array');
    expect(QueryStrings.explain!({ a: 1 })).toBe('Queries must be an array');
  });
  it('turns a single string into a list', () => {
    expect(QueryStrings.check('limit(1)')).toBe(true);
    expect(QueryStrings.coerce!('limit(1)')).toEqual(['limit(1)']);
  });
});

describe('collectArrayParam', () => {
  it.each<[Record<string, unknown>, unknown]>([
    [{}, undefined],
    [{ other: 'x' }, undefined],
    [{ queries: 'x' }, ['x']],
    [{ queries: '' }, ['']],
    [{ queries: ['a', 'b'] }, ['a', 'b']],
    [{ 'queries[]': 'a' }, ['a']],
    [{ 'queries[]': ['a', 'b'] }, ['a', 'b']],
    [{ 'queries[0]': 'a', 'queries[1]': 'b' }, ['a', 'b']],
    [{ 'queries[0]': 'a', 'queries[1]': 'b', 'queries[2]': 'c' }, ['a', 'b', 'c']],
    [{ 'queries[1]': 'b', 'queries[0]': 'a' }, ['b', 'a']],
    [{ 'queries[0]': ['a', 'b'] }, ['b']],
    [{ queries: { '0': 'a', '1': 'b' } }, ['a', 'b']],
    [{ 'queries[]': 'a', other: 'z', 'queries[]x': 'no', 'queries[a][b]': 'no' }, ['a']],
    [{ queriesX: 'no', 'queries[]': [] }, []],
  ])('%j → %j', (query, expected) => {
    expect(collectArrayParam(query, 'queries')).toEqual(expected);
  });

  it('handles a non-object', () => {
    expect(collectArrayParam(null as unknown as Record<string, unknown>, 'queries')).toBeUndefined();
  });
});

describe('validateParams: unpaired UTF-16 surrogates are never text', () => {
  const name: ParamDef[] = [{ name: 'name', in: 'body', required: true, rule: Text(128), openapi: str('') }];
  const queries: ParamDef[] = [{ name: 'queries', in: 'query', required: false, default: [], rule: QueryStrings, openapi: { type: 'array', items: { type: 'string' }, description: '' } }];

  it.each(['x\ud800y', '\udc00', 'ab\ud83d'])('refuses %j with the rule\'s message', (value) => {
    expect(failure(name, body({ name: value })).message).toBe('Invalid name: Value must be a valid string and at least 1 chars and no longer than 128 chars');
  });

  it('in any param, nested values included; a surrogate pair is one character', () => {
    expect(failure(queries, { path: {}, body: {}, query: { 'queries[]': ['limit(1)', 'x\ud800'] } }).message).toMatch(/^Invalid queries: /);
    expect(validateParams(name, body({ name: '\u{1F600}'.repeat(128) }))).toEqual({ name: '\u{1F600}'.repeat(128) });
  });
});

describe('validateParams with the full query rules (parameter order)', () => {
  // The intended wiring of List Users / List User Logs.
  const listUsers: ParamDef[] = [
    { name: 'queries', in: 'query', required: false, default: [], rule: UserQueries, openapi: { type: 'array', items: { type: 'string' }, description: '' } },
    { name: 'search', in: 'query', required: false, default: '', rule: Text(256), openapi: str('') },
  ];
  const listLogs: ParamDef[] = [
    { name: 'userId', in: 'path', required: true, rule: UID, openapi: str('') },
    { name: 'queries', in: 'query', required: false, default: [], rule: LogQueries, openapi: { type: 'array', items: { type: 'string' }, description: '' } },
  ];

  it('reports a bad query before a bad search', () => {
    expect(failure(listUsers, { path: {}, body: {}, query: { 'queries[]': ['limit(-1)'], search: '' } }).message).toBe(
      'Invalid queries: Query not valid: Invalid limit: Value must be a valid range between 0 and 9,223,372,036,854,775,808',
    );
    expect(failure(listUsers, { path: {}, body: {}, query: { 'queries[0]': 'equal("status", ["true"])' } }).message).toBe(
      'Invalid queries: Query not valid: Query type does not match expected: boolean',
    );
  });

  it('returns the built query, the same validateUserQueries gives', () => {
    const params = validateParams(listUsers, { path: {}, body: {}, query: { queries: 'limit(3)', search: 'jo' } });
    expect(params).toEqual({ queries: { filters: [], orders: [], limit: 3, offset: 0 }, search: 'jo' });
    expect(params.queries).toEqual(validateUserQueries(['limit(3)']));
  });

  it('checks userId before log queries', () => {
    expect(failure(listLogs, { path: { userId: '_x' }, body: {}, query: { 'queries[]': ['equal("a", "b")'] } }).message).toMatch(
      /^Invalid userId: /,
    );
    expect(failure(listLogs, { path: { userId: 'u1' }, body: {}, query: { 'queries[]': ['cursorAfter("x")'] } }).message).toBe(
      'Invalid queries: Query method not valid: cursorAfter',
    );
    const params = validateParams(listLogs, { path: { userId: 'u1' }, body: {}, query: {} });
    expect(validateLogQueries(params.queries)).toEqual({ limit: 5000, offset: 0 });
  });
});
