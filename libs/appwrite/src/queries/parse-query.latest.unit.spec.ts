import { parseQuery } from './parse-query';
import { QueryError } from './query-error';

/** The query methods of Appwrite 1.8+ (utopia-php/database Query::TYPES) in both syntaxes, and the SDKs' date helpers. */
const parsed = (s: string) => parseQuery(s);
const parseError = (s: string): string => {
  try {
    parseQuery(s);
  } catch (e) {
    expect(e).toBeInstanceOf(QueryError);
    return (e as QueryError).message;
  }
  throw new Error(`expected ${s} to fail`);
};

describe('parseQuery — Appwrite 1.8+ methods, JSON syntax (what node-appwrite 27 sends)', () => {
  it.each([
    ['{"method":"notContains","attribute":"name","values":["x"]}', { method: 'notContains', attribute: 'name', values: ['x'] }],
    ['{"method":"notSearch","attribute":"name","values":["x"]}', { method: 'notSearch', attribute: 'name', values: ['x'] }],
    ['{"method":"notBetween","attribute":"name","values":["a","b"]}', { method: 'notBetween', attribute: 'name', values: ['a', 'b'] }],
    ['{"method":"notStartsWith","attribute":"name","values":["x"]}', { method: 'notStartsWith', attribute: 'name', values: ['x'] }],
    ['{"method":"notEndsWith","attribute":"name","values":["x"]}', { method: 'notEndsWith', attribute: 'name', values: ['x'] }],
    ['{"method":"containsAny","attribute":"labels","values":["a","b"]}', { method: 'containsAny', attribute: 'labels', values: ['a', 'b'] }],
    ['{"method":"containsAll","attribute":"labels","values":["a"]}', { method: 'containsAll', attribute: 'labels', values: ['a'] }],
    ['{"method":"regex","attribute":"name","values":["^a.*"]}', { method: 'regex', attribute: 'name', values: ['^a.*'] }],
    // Query.exists(["name"]): no attribute, the names are the values.
    ['{"method":"exists","values":["name","email"]}', { method: 'exists', attribute: '', values: ['name', 'email'] }],
    ['{"method":"notExists","values":["name"]}', { method: 'notExists', attribute: '', values: ['name'] }],
    ['{"method":"orderRandom"}', { method: 'orderRandom', attribute: '', values: [] }],
  ])('%s', (input, expected) => {
    expect(parsed(input)).toEqual(expected);
  });

  it('nests the new methods in and/or', () => {
    expect(parsed('{"method":"or","values":[{"method":"notContains","attribute":"name","values":["x"]},{"method":"regex","attribute":"email","values":["y$"]}]}')).toEqual({
      method: 'or',
      attribute: '',
      values: [
        { method: 'notContains', attribute: 'name', values: ['x'] },
        { method: 'regex', attribute: 'email', values: ['y$'] },
      ],
    });
  });

  it('rewrites the date helpers to the queries the SDKs send for them (Appwrite has no such methods)', () => {
    expect(parsed('{"method":"createdBefore","values":["2023-01-01"]}')).toEqual({ method: 'lessThan', attribute: '$createdAt', values: ['2023-01-01'] });
    expect(parsed('{"method":"createdAfter","values":["2023-01-01"]}')).toEqual({ method: 'greaterThan', attribute: '$createdAt', values: ['2023-01-01'] });
    expect(parsed('{"method":"createdBetween","values":["a","b"]}')).toEqual({ method: 'between', attribute: '$createdAt', values: ['a', 'b'] });
    expect(parsed('{"method":"updatedBefore","values":["2023-01-01"]}')).toEqual({ method: 'lessThan', attribute: '$updatedAt', values: ['2023-01-01'] });
    expect(parsed('{"method":"updatedAfter","values":["2023-01-01"]}')).toEqual({ method: 'greaterThan', attribute: '$updatedAt', values: ['2023-01-01'] });
    expect(parsed('{"method":"updatedBetween","values":["a","b"]}')).toEqual({ method: 'between', attribute: '$updatedAt', values: ['a', 'b'] });
    // Whatever attribute is sent, the helper names its own.
    expect(parsed('{"method":"createdBefore","attribute":"name","values":["x"]}')).toEqual({ method: 'lessThan', attribute: '$createdAt', values: ['x'] });
    // What node-appwrite 27 actually sends for Query.createdBefore(d).
    expect(parsed('{"method":"lessThan","attribute":"$createdAt","values":["2023-01-01"]}')).toEqual({ method: 'lessThan', attribute: '$createdAt', values: ['2023-01-01'] });
  });

  it.each([
    ['{"method":"notContains","attribute":"name","values":"x"}', 'Invalid query: {"method":"notContains","attribute":"name","values":"x"}'],
    ['{"method":"createdBefore","values":"x"}', 'Invalid query: {"method":"createdBefore","values":"x"}'],
    ['{"method":"regex","attribute":1,"values":["x"]}', 'Invalid query: {"method":"regex","attribute":1,"values":["x"]}'],
    ['{"method":"toString"}', 'Query method not valid: toString'],
    ['{"method":"elemMatch","attribute":"labels","values":[]}', 'Query method not valid: elemMatch'],
  ])('%s → %j', (input, message) => {
    expect(parseError(input)).toBe(message);
  });
});

describe('parseQuery — the same methods in the 1.x string syntax', () => {
  it.each([
    ['notContains("name", ["x", "y"])', { method: 'notContains', attribute: 'name', values: ['x', 'y'] }],
    ['notContains("name", "x")', { method: 'notContains', attribute: 'name', values: ['x'] }],
    ['notSearch("name", "x")', { method: 'notSearch', attribute: 'name', values: ['x'] }],
    ['notStartsWith("email", "a")', { method: 'notStartsWith', attribute: 'email', values: ['a'] }],
    ['notEndsWith("email", ".io")', { method: 'notEndsWith', attribute: 'email', values: ['.io'] }],
    ['containsAny("labels", ["a", "b"])', { method: 'containsAny', attribute: 'labels', values: ['a', 'b'] }],
    ['containsAll("labels", ["a"])', { method: 'containsAll', attribute: 'labels', values: ['a'] }],
    // A pattern's brackets and commas are quoted, so the 1.x tokenizer keeps them.
    ['regex("name", "^[a-c],x")', { method: 'regex', attribute: 'name', values: ['^[a-c],x'] }],
    ['notBetween("registration", "2023-01-01", "2023-12-31")', { method: 'notBetween', attribute: 'registration', values: ['2023-01-01', '2023-12-31'] }],
    ['notBetween("registration", ["2023-01-01", "2023-12-31"])', { method: 'notBetween', attribute: 'registration', values: [['2023-01-01', '2023-12-31'], null] }],
    ['exists(["name", "email"])', { method: 'exists', attribute: '', values: ['name', 'email'] }],
    ['exists("name")', { method: 'exists', attribute: '', values: ['name'] }],
    ['exists()', { method: 'exists', attribute: '', values: [] }],
    ['notExists(["name"])', { method: 'notExists', attribute: '', values: ['name'] }],
    ['orderRandom()', { method: 'orderRandom', attribute: '', values: [] }],
    ['createdBefore("2023-01-01")', { method: 'lessThan', attribute: '$createdAt', values: ['2023-01-01'] }],
    ['updatedBetween("2023-01-01", "2023-02-01")', { method: 'between', attribute: '$updatedAt', values: ['2023-01-01', '2023-02-01'] }],
    ['updatedBetween(["2023-01-01", "2023-02-01"])', { method: 'between', attribute: '$updatedAt', values: ['2023-01-01', '2023-02-01'] }],
  ])('%s', (input, expected) => {
    expect(parsed(input)).toEqual(expected);
  });

  it('an unknown method still parses to no attribute and no values (validation names it)', () => {
    expect(parsed('constructor("x")')).toEqual({ method: 'constructor', attribute: '', values: [] });
    expect(parsed('elemMatch("labels", "x")')).toEqual({ method: 'elemMatch', attribute: '', values: [] });
  });
});
