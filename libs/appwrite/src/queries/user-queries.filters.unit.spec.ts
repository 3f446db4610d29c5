import { message, RANGE } from '@lib/appwrite/testing';
import { validateUserQueries } from './user-queries';

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
      impersonator: 'false',
      accessedAt: '"2023-01-01"',
      labels: '"vip"',
    };
    for (const [attribute, value] of Object.entries(samples)) {
      const method = attribute === 'labels' ? 'contains' : 'equal';
      expect(validateUserQueries([`${method}("${attribute}", [${value}])`]).filters).toHaveLength(1);
      expect(validateUserQueries([`isNotNull("${attribute}")`]).filters).toEqual([{ method: 'isNotNull', attribute }]);
    }
  });

  it.each(['hash', 'password', 'prefs', 'search', 'hashOptions', 'reset', 'Name', '$internalId', 'mfa', 'targets', ''])(
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

  it('search method points to the search parameter: valid, but no store can serve it (general_query_invalid at execution)', () => {
    expect(validateUserQueries(['search("name", "jo")']).cannotServe).toBe('Searching by attribute "name" requires a fulltext index.');
    expect(validateUserQueries(['search("email", ["jo"])']).cannotServe).toBe('Searching by attribute "email" requires a fulltext index.');
    expect(validateUserQueries(['{"method":"search","attribute":"name","values":["jo"]}']).cannotServe).toBe('Searching by attribute "name" requires a fulltext index.');
    expect(message(['search("name", 5)'])).toBe('Invalid queries: Query not valid: Query type does not match expected: string');
    // An invalid query after it is still the 400 of the parameter.
    expect(message(['search("name", "jo")', 'equal("hash", "x")'])).toBe('Invalid queries: Query not valid: Attribute not found in schema: hash');
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
