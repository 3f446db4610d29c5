import { AppwriteException } from '../errors/appwrite-exception';
import { UserQueries, validateUserQueries } from './user-queries';
import { UserListQuery } from './user-list-query';

function errorOf(queries: unknown): { type: string; code: number; message: string } {
  try {
    validateUserQueries(queries);
  } catch (e) {
    expect(e).toBeInstanceOf(AppwriteException);
    const err = e as AppwriteException;
    return { type: err.type, code: err.code, message: err.message };
  }
  throw new Error(`expected ${JSON.stringify(queries)} to fail`);
}

const message = (queries: unknown): string => errorOf(queries).message;

const RANGE = 'Value must be a valid range between 0 and 9,223,372,036,854,775,808';
const UID_TEXT =
  "UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore";

const base: UserListQuery = { filters: [], orders: [], limit: 25, offset: 0 };

describe('validateUserQueries — queries.md §8 error table', () => {
  const rows: Array<[string[], string]> = [
    [['equal("status", ["true"])'], 'Invalid queries: Query not valid: Query type does not match expected: boolean'],
    [['equal("name", [123])'], 'Invalid queries: Query not valid: Query type does not match expected: string'],
    [['equal("name", [null])'], 'Invalid queries: Query not valid: Query type does not match expected: string'],
    [['lessThan("registration", [1])'], 'Invalid queries: Query not valid: Query type does not match expected: datetime'],
    [['equal("password", ["x"])'], 'Invalid queries: Query not valid: Attribute not found in schema: password'],
    [['equal("labels", ["x"])'], 'Invalid queries: Query not valid: Attribute not found in schema: labels'],
    [['search("search", "jo")'], 'Invalid queries: Query not valid: Attribute not found in schema: search'],
    [['equal("name.first", ["x"])'], 'Invalid queries: Query not valid: Cannot query nested attribute on: name'],
    [['select(["password"])'], 'Invalid queries: Query not valid: Attribute not found in schema: password'],
    [['orderAsc("hash")'], 'Invalid queries: Query not valid: Attribute not found in schema: hash'],
    [['limit(-1)'], `Invalid queries: Query not valid: Invalid limit: ${RANGE}`],
    [['limit(1.5)'], `Invalid queries: Query not valid: Invalid limit: ${RANGE}`],
    [['limit()'], `Invalid queries: Query not valid: Invalid limit: ${RANGE}`],
    [['offset(-5)'], `Invalid queries: Query not valid: Invalid offset: ${RANGE}`],
    [['cursorAfter("_bad")'], `Invalid queries: Query not valid: Invalid cursor: ${UID_TEXT}`],
    [['cursorAfter(123)'], `Invalid queries: Query not valid: Invalid cursor: ${UID_TEXT}`],
    [[`cursorAfter("${'a'.repeat(37)}")`], `Invalid queries: Query not valid: Invalid cursor: ${UID_TEXT}`],
    [['foo("x")'], 'Invalid queries: Query method not valid: foo'],
    [['limit 5'], 'Invalid queries: Invalid query: limit 5'],
    [['title.equal("x")'], 'Invalid queries: Invalid query: title.equal("x")'],
  ];

  it.each(rows)('%j', (queries, expected) => {
    expect(errorOf(queries)).toEqual({ type: 'general_argument_invalid', code: 400, message: expected });
  });

  it('101 values in one query', () => {
    const values = Array.from({ length: 101 }, (_, i) => `"v${i}"`).join(', ');
    expect(message([`equal("name", [${values}])`])).toBe(
      'Invalid queries: Query not valid: Query on attribute has greater than 100 values: name',
    );
    const ok = Array.from({ length: 100 }, (_, i) => `"v${i}"`).join(', ');
    expect(validateUserQueries([`equal("name", [${ok}])`]).filters[0]).toMatchObject({ method: 'equal', attribute: 'name' });
  });

  // Rows whose 1.3 result the spec tells us to change.
  it('between with an array: 1.3 rejects, recommended valid', () => {
    expect(validateUserQueries(['between("registration", ["2023-01-01", "2023-12-31"])']).filters).toEqual([
      {
        method: 'between',
        attribute: 'registration',
        values: ['2023-01-01T00:00:00.000+00:00', '2023-12-31T00:00:00.000+00:00'],
      },
    ]);
  });

  it('contains: 1.3 rejects, recommended accepted on strings', () => {
    expect(validateUserQueries(['contains("name", ["jo"])']).filters).toEqual([
      { method: 'contains', attribute: 'name', values: ['jo'] },
    ]);
  });
});

describe('validateUserQueries — valid in 1.3', () => {
  const rows: Array<[string, Partial<UserListQuery>]> = [
    ['equal("name", ["John"])', { filters: [{ method: 'equal', attribute: 'name', values: ['John'] }] }],
    ['equal("name", "John")', { filters: [{ method: 'equal', attribute: 'name', values: ['John'] }] }],
    ['equal("status", true)', { filters: [{ method: 'equal', attribute: 'status', values: [true] }] }],
    ['equal("$id", ["user1"])', { filters: [{ method: 'equal', attribute: '$id', values: ['user1'] }] }],
    ['notEqual("name", ["a", "b"])', { filters: [{ method: 'notEqual', attribute: 'name', values: ['a', 'b'] }] }],
    [
      'lessThan("registration", "2023-01-01")',
      { filters: [{ method: 'lessThan', attribute: 'registration', values: ['2023-01-01T00:00:00.000+00:00'] }] },
    ],
    [
      'between("registration", "2023-01-01", "2023-12-31")',
      {
        filters: [
          {
            method: 'between',
            attribute: 'registration',
            values: ['2023-01-01T00:00:00.000+00:00', '2023-12-31T00:00:00.000+00:00'],
          },
        ],
      },
    ],
    ['isNull("phone")', { filters: [{ method: 'isNull', attribute: 'phone' }] }],
    ['startsWith("email", "jo")', { filters: [{ method: 'startsWith', attribute: 'email', values: ['jo'] }] }],
    ['select(["name"])', { select: ['name'] }],
    ['orderAsc("name")', { orders: [{ attribute: 'name', direction: 'asc' }] }],
    ['orderDesc("")', { orders: [{ attribute: null, direction: 'desc' }] }],
    ['orderDesc("$createdAt")', { orders: [{ attribute: '$createdAt', direction: 'desc' }] }],
    ['limit(0)', { limit: 0 }],
    ['limit(25)', { limit: 25 }],
    ['limit("25")', { limit: 25 }],
    ['offset(10)', { offset: 10 }],
    ['cursorAfter("user1")', { cursor: { direction: 'after', userId: 'user1' } }],
    ['cursorBefore("a.b-c")', { cursor: { direction: 'before', userId: 'a.b-c' } }],
  ];

  it.each(rows)('%s', (query, expected) => {
    expect(validateUserQueries([query])).toEqual({ ...base, ...expected });
  });
});

describe('validateUserQueries — defaults and list handling', () => {
  it.each([[undefined], [null], [[]]])('%j → defaults (limit 25, offset 0)', (q) => {
    expect(validateUserQueries(q)).toEqual({ filters: [], orders: [], limit: 25, offset: 0 });
  });

  it('never sets search', () => {
    expect(validateUserQueries(['limit(1)'])).not.toHaveProperty('search');
  });

  it('treats a lone string as a one-element list', () => {
    expect(validateUserQueries('limit(5)')).toEqual({ ...base, limit: 5 });
  });

  it('rejects a non-array', () => {
    expect(message({ 0: 'limit(1)' })).toBe('Invalid queries: Queries must be an array');
    expect(message(5)).toBe('Invalid queries: Queries must be an array');
  });

  it('enforces the documented limits', () => {
    expect(validateUserQueries(Array(100).fill('limit(1)')).limit).toBe(1);
    expect(message(Array(101).fill('limit(1)'))).toBe('Invalid queries: Too many queries (max 100)');
    const long = `equal("name", ["${'x'.repeat(4096 - 19)}"])`;
    expect(long.length).toBe(4096);
    expect(validateUserQueries([long]).filters).toHaveLength(1);
    expect(message([`equal("name", ["${'x'.repeat(4096 - 18)}"])`])).toBe('Invalid queries: Query too long (max 4096 chars)');
  });

  it('reports non-string elements as invalid queries', () => {
    expect(message([5])).toBe('Invalid queries: Invalid query: 5');
    expect(message([null])).toBe('Invalid queries: Invalid query: ');
    expect(message([['limit(1)']])).toBe('Invalid queries: Invalid query: Array');
    expect(message([''])).toBe('Invalid queries: Invalid query: ');
  });

  it('reports the first failing query in array order', () => {
    expect(message(['limit(-1)', 'foo()'])).toMatch(/Invalid limit/);
    expect(message(['foo()', 'limit(-1)'])).toBe('Invalid queries: Query method not valid: foo');
    expect(message(['limit(1)', 'equal("hash", "x")', 'limit 5'])).toBe(
      'Invalid queries: Query not valid: Attribute not found in schema: hash',
    );
  });
});

describe('validateUserQueries — filters', () => {
  it('ANDs filters in order', () => {
    expect(validateUserQueries(['equal("status", true)', 'startsWith("name", "a")']).filters).toEqual([
      { method: 'equal', attribute: 'status', values: [true] },
      { method: 'startsWith', attribute: 'name', values: ['a'] },
    ]);
  });

  it.each(['equal', 'notEqual', 'lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual', 'startsWith', 'endsWith', 'contains'])(
    '%s on every string attribute',
    (method) => {
      for (const attribute of ['$id', 'name', 'email', 'phone']) {
        expect(validateUserQueries([`${method}("${attribute}", ["x"])`]).filters).toEqual([{ method, attribute, values: ['x'] }]);
      }
    },
  );

  it('accepts every attribute of the schema', () => {
    const samples: Record<string, string> = {
      $id: '"x"',
      $createdAt: '"2023-01-01"',
      $updatedAt: '"2023-01-01"',
      name: '"x"',
      email: '"x"',
      phone: '"x"',
      status: 'true',
      emailVerification: 'false',
      phoneVerification: 'true',
      passwordUpdate: '"2023-01-01"',
      registration: '"2023-01-01"',
    };
    for (const [attribute, value] of Object.entries(samples)) {
      expect(validateUserQueries([`equal("${attribute}", [${value}])`]).filters).toHaveLength(1);
      expect(validateUserQueries([`isNotNull("${attribute}")`]).filters).toEqual([{ method: 'isNotNull', attribute }]);
    }
  });

  it.each(['hash', 'password', 'prefs', 'labels', 'search', 'hashOptions', 'reset', 'Name', '$internalId', ''])(
    'rejects attribute %j',
    (attribute) => {
      expect(message([`equal("${attribute}", ["x"])`])).toBe(`Invalid queries: Query not valid: Attribute not found in schema: ${attribute}`);
    },
  );

  it('nested attributes', () => {
    expect(message(['equal("email.domain", ["x"])'])).toBe('Invalid queries: Query not valid: Cannot query nested attribute on: email');
    expect(message(['isNull("$id.x")'])).toBe('Invalid queries: Query not valid: Cannot query nested attribute on: $id');
    // Unknown top level: the whole name is reported.
    expect(message(['equal("foo.bar", ["x"])'])).toBe('Invalid queries: Query not valid: Attribute not found in schema: foo.bar');
  });

  it('typing per attribute', () => {
    expect(message(['equal("status", [1])'])).toBe('Invalid queries: Query not valid: Query type does not match expected: boolean');
    expect(message(['equal("status", [null])'])).toBe('Invalid queries: Query not valid: Query type does not match expected: boolean');
    expect(message(['equal("emailVerification", "false")'])).toBe(
      'Invalid queries: Query not valid: Query type does not match expected: boolean',
    );
    expect(message(['equal("name", [true])'])).toBe('Invalid queries: Query not valid: Query type does not match expected: string');
    expect(message(['equal("name", ["a", 1])'])).toBe('Invalid queries: Query not valid: Query type does not match expected: string');
    expect(message(['equal("registration", [true])'])).toBe(
      'Invalid queries: Query not valid: Query type does not match expected: datetime',
    );
    expect(message(['{"method":"equal","attribute":"name","values":[{"a":1}]}'])).toBe(
      'Invalid queries: Query not valid: Query type does not match expected: string',
    );
  });

  it('normalises datetimes and rejects non-ISO ones', () => {
    expect(
      validateUserQueries(['greaterThan("$createdAt", "2023-05-09T07:19:31.112+02:00")', 'equal("registration", ["2023-05-09T05:19:31.112+00:00"])'])
        .filters,
    ).toEqual([
      { method: 'greaterThan', attribute: '$createdAt', values: ['2023-05-09T05:19:31.112+00:00'] },
      { method: 'equal', attribute: 'registration', values: ['2023-05-09T05:19:31.112+00:00'] },
    ]);
    for (const bad of ['yesterday', '2023-02-30', '2023', 'garbage', '']) {
      expect(message([`lessThan("passwordUpdate", "${bad}")`])).toBe(
        'Invalid queries: Query not valid: Query type does not match expected: datetime',
      );
    }
  });

  it('empty value lists are rejected', () => {
    expect(message(['equal("name", [])'])).toBe('Invalid queries: Query not valid: Equal queries require at least one value.');
    expect(message(['equal("name")'])).toBe('Invalid queries: Query not valid: Equal queries require at least one value.');
    expect(message(['notEqual("name", [])'])).toBe('Invalid queries: Query not valid: NotEqual queries require at least one value.');
    expect(message(['startsWith("name")'])).toBe('Invalid queries: Query not valid: StartsWith queries require at least one value.');
    expect(message(['{"method":"contains","attribute":"name","values":[]}'])).toBe(
      'Invalid queries: Query not valid: Contains queries require at least one value.',
    );
    // The attribute is checked first, as in 1.3.
    expect(message(['equal("password", [])'])).toBe('Invalid queries: Query not valid: Attribute not found in schema: password');
  });

  it('isNull / isNotNull ignore values', () => {
    expect(validateUserQueries(['isNull("email", ["x"])']).filters).toEqual([{ method: 'isNull', attribute: 'email' }]);
    expect(message(['isNull()'])).toBe('Invalid queries: Query not valid: Attribute not found in schema: ');
  });

  it('contains only on string attributes', () => {
    expect(message(['contains("status", [true])'])).toBe(
      'Invalid queries: Query not valid: Cannot query contains on attribute "status" because it is not an array or string.',
    );
    expect(message(['contains("registration", ["2023-01-01"])'])).toBe(
      'Invalid queries: Query not valid: Cannot query contains on attribute "registration" because it is not an array or string.',
    );
  });

  it('search method points to the search parameter', () => {
    expect(message(['search("name", "jo")'])).toBe('Invalid queries: Searching by attribute "name" requires a fulltext index.');
    expect(message(['search("email", ["jo"])'])).toBe('Invalid queries: Searching by attribute "email" requires a fulltext index.');
    expect(message(['{"method":"search","attribute":"name","values":["jo"]}'])).toBe(
      'Invalid queries: Searching by attribute "name" requires a fulltext index.',
    );
    expect(message(['search("name", 5)'])).toBe('Invalid queries: Query not valid: Query type does not match expected: string');
  });

  describe('between', () => {
    it('both forms, strings and JSON', () => {
      const expected = [
        { method: 'between', attribute: '$updatedAt', values: ['2023-01-01T00:00:00.000+00:00', '2023-12-31T00:00:00.000+00:00'] },
      ];
      expect(validateUserQueries(['between("$updatedAt", "2023-01-01", "2023-12-31")']).filters).toEqual(expected);
      expect(validateUserQueries(['between("$updatedAt", ["2023-01-01", "2023-12-31"])']).filters).toEqual(expected);
      expect(
        validateUserQueries(['{"method":"between","attribute":"$updatedAt","values":["2023-01-01","2023-12-31"]}']).filters,
      ).toEqual(expected);
    });

    it('on strings and booleans', () => {
      expect(validateUserQueries(['between("name", "a", "m")']).filters).toEqual([
        { method: 'between', attribute: 'name', values: ['a', 'm'] },
      ]);
      expect(validateUserQueries(['between("status", false, true)']).filters).toEqual([
        { method: 'between', attribute: 'status', values: [false, true] },
      ]);
    });

    it('needs exactly two typed bounds', () => {
      expect(message(['between("registration", "2023-01-01")'])).toBe(
        'Invalid queries: Query not valid: Query type does not match expected: datetime',
      );
      expect(message(['between("registration", ["2023-01-01"])'])).toBe(
        'Invalid queries: Query not valid: Between queries require exactly two values.',
      );
      expect(message(['between("registration", ["a", "b", "c"])'])).toBe(
        'Invalid queries: Query not valid: Between queries require exactly two values.',
      );
      expect(message(['{"method":"between","attribute":"name","values":["a"]}'])).toBe(
        'Invalid queries: Query not valid: Between queries require exactly two values.',
      );
      expect(message(['between("registration", ["2023-01-01", "2023-12-31"], "x")'])).toBe(
        'Invalid queries: Query not valid: Query type does not match expected: datetime',
      );
      expect(message(['between("hash", "a", "b")'])).toBe('Invalid queries: Query not valid: Attribute not found in schema: hash');
      expect(message(['between()'])).toBe('Invalid queries: Invalid query: between()');
    });
  });

  describe('and / or', () => {
    const eq = (v: string): string => `{"method":"equal","attribute":"name","values":["${v}"]}`;

    it('accepts nested filters and keeps the tree', () => {
      const q = `{"method":"or","values":[${eq('a')},{"method":"and","values":[{"method":"isNull","attribute":"email"},{"method":"equal","attribute":"status","values":[false]}]}]}`;
      expect(validateUserQueries([q]).filters).toEqual([
        {
          method: 'or',
          queries: [
            { method: 'equal', attribute: 'name', values: ['a'] },
            {
              method: 'and',
              queries: [
                { method: 'isNull', attribute: 'email' },
                { method: 'equal', attribute: 'status', values: [false] },
              ],
            },
          ],
        },
      ]);
    });

    it('requires at least two queries', () => {
      expect(message([`{"method":"or","values":[${eq('a')}]}`])).toBe(
        'Invalid queries: Query not valid: Or queries require at least two queries',
      );
      expect(message(['{"method":"and","values":[]}'])).toBe('Invalid queries: Query not valid: And queries require at least two queries');
      expect(message(['{"method":"and"}'])).toBe('Invalid queries: Query not valid: And queries require at least two queries');
      // String syntax has no nesting.
      expect(message(['or(equal("name", "a"), equal("name", "b"))'])).toBe(
        'Invalid queries: Query not valid: Or queries require at least two queries',
      );
    });

    it('accepts only filter queries', () => {
      for (const inner of ['{"method":"limit","values":[1]}', '{"method":"select","values":["name"]}', '{"method":"orderAsc","attribute":"name"}', '{"method":"cursorAfter","values":["u1"]}']) {
        expect(message([`{"method":"or","values":[${eq('a')},${inner}]}`])).toBe(
          'Invalid queries: Query not valid: Or queries can only contain filter queries',
        );
      }
      expect(message([`{"method":"and","values":[{"method":"offset","values":[0]}]}`])).toBe(
        'Invalid queries: Query not valid: And queries can only contain filter queries',
      );
    });

    it('reports nested errors first', () => {
      expect(message([`{"method":"or","values":[${eq('a')},{"method":"equal","attribute":"hash","values":["x"]}]}`])).toBe(
        'Invalid queries: Query not valid: Attribute not found in schema: hash',
      );
      expect(message([`{"method":"or","values":[{"method":"limit","values":[-1]}]}`])).toBe(
        `Invalid queries: Query not valid: Invalid limit: ${RANGE}`,
      );
      expect(message([`{"method":"or","values":[${eq('a')},{"method":"foo"}]}`])).toBe('Invalid queries: Query method not valid: foo');
    });

    it('nested values are typed and normalised', () => {
      const q = `{"method":"and","values":[{"method":"greaterThan","attribute":"registration","values":["2023-01-01"]},{"method":"lessThan","attribute":"registration","values":["2024-01-01Z"]}]}`;
      expect(message([q])).toBe('Invalid queries: Query not valid: Query type does not match expected: datetime');
      const ok = q.replace('2024-01-01Z', '2024-01-01');
      expect(validateUserQueries([ok]).filters).toEqual([
        {
          method: 'and',
          queries: [
            { method: 'greaterThan', attribute: 'registration', values: ['2023-01-01T00:00:00.000+00:00'] },
            { method: 'lessThan', attribute: 'registration', values: ['2024-01-01T00:00:00.000+00:00'] },
          ],
        },
      ]);
    });
  });
});

describe('validateUserQueries — select', () => {
  it('merges select queries, keeps "*", drops duplicates', () => {
    expect(validateUserQueries(['select(["name", "email"])', 'select(["name", "*"])']).select).toEqual(['name', 'email', '*']);
  });

  it('accepts every attribute', () => {
    expect(
      validateUserQueries([
        'select(["$id", "$createdAt", "$updatedAt", "name", "email", "phone", "status", "emailVerification", "phoneVerification", "passwordUpdate", "registration"])',
      ]).select,
    ).toHaveLength(11);
  });

  it('select([]) means everything', () => {
    expect(validateUserQueries(['select([])'])).toEqual(base);
  });

  it('rejects unknown, nested and non-string names', () => {
    expect(message(['select(["name", "prefs"])'])).toBe('Invalid queries: Query not valid: Attribute not found in schema: prefs');
    expect(message(['select(["name.first"])'])).toBe('Invalid queries: Query not valid: Cannot query nested attribute on: name');
    expect(message(['select([1])'])).toBe('Invalid queries: Query not valid: Attribute not found in schema: 1');
    expect(message(['select([null])'])).toBe('Invalid queries: Query not valid: Attribute not found in schema: ');
    expect(message(['select("name")'])).toBe('Invalid queries: Invalid query: select("name")');
    expect(message(['select()'])).toBe('Invalid queries: Invalid query: select()');
  });
});

describe('validateUserQueries — order', () => {
  it('keeps order queries in sequence', () => {
    expect(validateUserQueries(['orderDesc("status")', 'orderAsc("name")', 'orderAsc()']).orders).toEqual([
      { attribute: 'status', direction: 'desc' },
      { attribute: 'name', direction: 'asc' },
      { attribute: null, direction: 'asc' },
    ]);
  });

  it('JSON order without attribute', () => {
    expect(validateUserQueries(['{"method":"orderDesc","attribute":""}', '{"method":"orderAsc"}']).orders).toEqual([
      { attribute: null, direction: 'desc' },
      { attribute: null, direction: 'asc' },
    ]);
  });

  it('rejects unknown attributes, reporting dotted names whole', () => {
    expect(message(['orderAsc("name.first")'])).toBe('Invalid queries: Query not valid: Attribute not found in schema: name.first');
    expect(message(['orderDesc("password")'])).toBe('Invalid queries: Query not valid: Attribute not found in schema: password');
  });
});

describe('validateUserQueries — limit / offset', () => {
  it.each([
    ['limit(0)', 0],
    ['limit(25)', 25],
    ['limit("25")', 25],
    ['limit(" 25 ")', 25],
    ['limit("+7")', 7],
    ['limit("007")', 7],
    ['limit(100000)', 100000],
    ['limit("-0")', 0],
    ['{"method":"limit","values":[50]}', 50],
    ['{"method":"limit","values":["50"]}', 50],
  ])('%s → %d', (q, n) => {
    expect(validateUserQueries([q]).limit).toBe(n);
  });

  it.each(['limit(-1)', 'limit(1.5)', 'limit()', 'limit("1.5")', 'limit("25.0")', 'limit("1e3")', 'limit(0x1A)', 'limit("abc")', 'limit(true)', 'limit(null)', 'limit([5])', 'limit(99999999999999999999)', '{"method":"limit","values":[]}', '{"method":"limit","values":[-3]}'])(
    'rejects %s',
    (q) => {
      expect(message([q])).toBe(`Invalid queries: Query not valid: Invalid limit: ${RANGE}`);
    },
  );

  it('offset follows the same rules', () => {
    expect(validateUserQueries(['offset("3")']).offset).toBe(3);
    expect(validateUserQueries(['{"method":"offset","values":[0]}']).offset).toBe(0);
    for (const q of ['offset(-5)', 'offset(2.5)', 'offset()', 'offset("x")']) {
      expect(message([q])).toBe(`Invalid queries: Query not valid: Invalid offset: ${RANGE}`);
    }
  });

  it('first limit / offset wins, later ones are still validated', () => {
    expect(validateUserQueries(['limit(2)', 'limit(10)', 'offset(1)', 'offset(7)'])).toEqual({ ...base, limit: 2, offset: 1 });
    expect(message(['limit(2)', 'limit(-1)'])).toBe(`Invalid queries: Query not valid: Invalid limit: ${RANGE}`);
  });
});

describe('validateUserQueries — cursor', () => {
  it('first cursor wins', () => {
    expect(validateUserQueries(['cursorBefore("u3")', 'cursorAfter("u1")']).cursor).toEqual({ direction: 'before', userId: 'u3' });
    expect(message(['cursorAfter("u1")', 'cursorBefore("_x")'])).toBe(`Invalid queries: Query not valid: Invalid cursor: ${UID_TEXT}`);
  });

  it('accepts a 36-char id, JSON form and unquoted ids', () => {
    expect(validateUserQueries([`cursorAfter("${'a'.repeat(36)}")`]).cursor?.userId).toBe('a'.repeat(36));
    expect(validateUserQueries(['{"method":"cursorAfter","values":["id"]}']).cursor).toEqual({ direction: 'after', userId: 'id' });
    expect(validateUserQueries(['cursorAfter(user1)']).cursor?.userId).toBe('user1');
  });

  it('lets the empty id through to the lookup, as Appwrite does', () => {
    expect(validateUserQueries(['cursorAfter("")']).cursor).toEqual({ direction: 'after', userId: '' });
  });

  it.each(['cursorAfter()', 'cursorAfter(null)', 'cursorBefore(true)', 'cursorAfter("a b")', 'cursorAfter(".a")', 'cursorAfter("-a")'])(
    'rejects %s',
    (q) => {
      expect(message([q])).toBe(`Invalid queries: Query not valid: Invalid cursor: ${UID_TEXT}`);
    },
  );
});

describe('validateUserQueries — unknown methods', () => {
  it.each([
    ['foo("x")', 'foo'],
    ['cursorAsc("$id")', 'cursorAsc'],
    [' equal("name", "x")', ' equal'],
    ['equal ("name", "x")', 'equal '],
    ['Equal("name", "x")', 'Equal'],
    ['notContains("name", "x")', 'notContains'],
    ['regex("name", "x")', 'regex'],
    ['orderRandom()', 'orderRandom'],
    ['("x")', ''],
    ['{"method":"notContains","attribute":"name","values":["x"]}', 'notContains'],
    ['{"method":"exists","values":["name"]}', 'exists'],
  ])('%s', (q, method) => {
    expect(message([q])).toBe(`Invalid queries: Query method not valid: ${method}`);
  });
});

describe('validateUserQueries — queries.md §5 examples produce the intended query', () => {
  it.each<[string[], Partial<UserListQuery>]>([
    [[], {}],
    [['limit(2)'], { limit: 2 }],
    [['limit(2)', 'offset(1)'], { limit: 2, offset: 1 }],
    [['cursorAfter("u2")'], { cursor: { direction: 'after', userId: 'u2' } }],
    [['cursorBefore("u3")'], { cursor: { direction: 'before', userId: 'u3' } }],
    [['cursorBefore("u4")', 'limit(1)'], { cursor: { direction: 'before', userId: 'u4' }, limit: 1 }],
    [['orderDesc("")', 'cursorAfter("u3")'], { orders: [{ attribute: null, direction: 'desc' }], cursor: { direction: 'after', userId: 'u3' } }],
    [['limit(0)'], { limit: 0 }],
  ])('%j', (queries, expected) => {
    expect(validateUserQueries(queries)).toEqual({ ...base, ...expected });
  });

  it('appendix A13: equal("status", true)', () => {
    expect(validateUserQueries(['equal("status", true)']).filters).toEqual([{ method: 'equal', attribute: 'status', values: [true] }]);
  });

  it('appendix A12: an unknown cursor id passes validation (lookup is the caller’s)', () => {
    expect(validateUserQueries(['cursorAfter("unknown")']).cursor).toEqual({ direction: 'after', userId: 'unknown' });
  });
});

describe('UserQueries rule', () => {
  it('passes valid lists and explains failures without the param prefix', () => {
    expect(UserQueries.check(['limit(1)'])).toBe(true);
    expect(UserQueries.check([])).toBe(true);
    expect(UserQueries.check(['limit(-1)'])).toBe(false);
    expect(UserQueries.explain!(['limit(-1)'])).toBe(`Query not valid: Invalid limit: ${RANGE}`);
    expect(UserQueries.explain!(['foo()'])).toBe('Query method not valid: foo');
    const list = ['limit(1)'];
    expect(UserQueries.check(list)).toBe(true);
    expect(UserQueries.coerce!(list)).toEqual({ filters: [], orders: [], limit: 1, offset: 0 });
    expect(UserQueries.coerce!('limit(1)')).toEqual(validateUserQueries(['limit(1)']));
  });
});
