import { base, errorOf, message, RANGE, UID_TEXT } from '@lib/appwrite/testing';
import { UserQueries, validateUserQueries } from './user-queries';
import { UserListQuery } from './user-list-query';

describe('validateUserQueries — queries.md §8 error table', () => {
  const rows: Array<[string[], string]> = [
    [['equal("status", ["true"])'], 'Invalid queries: Query not valid: Query type does not match expected: boolean'],
    [['equal("name", [123])'], 'Invalid queries: Query not valid: Query type does not match expected: string'],
    [['equal("name", [null])'], 'Invalid queries: Query not valid: Query type does not match expected: string'],
    [['lessThan("registration", [1])'], 'Invalid queries: Query not valid: Query type does not match expected: datetime'],
    [['equal("password", ["x"])'], 'Invalid queries: Query not valid: Attribute not found in schema: password'],
    // Queryable since Appwrite 1.5, as an array: equality is not among what an array takes.
    [['equal("labels", ["x"])'], 'Invalid queries: Query not valid: Cannot query equal on attribute "labels" because it is an array.'],
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

describe('validateUserQueries — unknown methods', () => {
  it.each([
    ['foo("x")', 'foo'],
    ['cursorAsc("$id")', 'cursorAsc'],
    [' equal("name", "x")', ' equal'],
    ['equal ("name", "x")', 'equal '],
    ['Equal("name", "x")', 'Equal'],
    ['elemMatch("name", "x")', 'elemMatch'],
    ['distanceLessThan("name", "x")', 'distanceLessThan'],
    ['("x")', ''],
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
