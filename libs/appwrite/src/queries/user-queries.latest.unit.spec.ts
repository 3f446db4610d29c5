import { base, errorOf, message } from '@lib/appwrite/testing';
import { AppwriteException } from '../errors/appwrite-exception';
import { assertServable, RANDOM_CURSOR_REFUSAL } from './collection-queries';
import { validateUserQueries } from './user-queries';

/** List Users with the Appwrite 1.8/1.9 methods and the labels, impersonator and accessedAt attributes. */
const NOT_VALID = 'Invalid queries: Query not valid: ';
const json = (method: string, attribute: string | undefined, values?: unknown[]) => JSON.stringify({ method, attribute, values });
const filtersOf = (...queries: string[]) => validateUserQueries(queries).filters;

describe('validateUserQueries — Appwrite 1.8 methods', () => {
  it.each([
    [json('notContains', 'name', ['a', 'b']), { method: 'notContains', attribute: 'name', values: ['a', 'b'] }],
    [json('containsAny', 'email', ['x']), { method: 'containsAny', attribute: 'email', values: ['x'] }],
    [json('containsAll', 'email', ['x', 'y']), { method: 'containsAll', attribute: 'email', values: ['x', 'y'] }],
    [json('notStartsWith', 'phone', ['+1']), { method: 'notStartsWith', attribute: 'phone', values: ['+1'] }],
    [json('notEndsWith', '$id', ['x']), { method: 'notEndsWith', attribute: '$id', values: ['x'] }],
    [json('notStartsWith', 'status', [true]), { method: 'notStartsWith', attribute: 'status', values: [true] }],
    [json('notBetween', 'registration', ['2023-01-01', '2023-12-31']), { method: 'notBetween', attribute: 'registration', values: ['2023-01-01T00:00:00.000+00:00', '2023-12-31T00:00:00.000+00:00'] }],
    ['notBetween("name", ["a", "b"])', { method: 'notBetween', attribute: 'name', values: ['a', 'b'] }],
    [json('regex', 'name', ['^a[b-d]+$']), { method: 'regex', attribute: 'name', values: ['^a[b-d]+$'] }],
    // Query.createdBefore / createdAfter / createdBetween / updated… (node-appwrite 27 sends lessThan etc.).
    [json('lessThan', '$createdAt', ['2023-01-01T10:00:00.000+00:00']), { method: 'lessThan', attribute: '$createdAt', values: ['2023-01-01T10:00:00.000+00:00'] }],
    [json('createdAfter', undefined, ['2023-01-01']), { method: 'greaterThan', attribute: '$createdAt', values: ['2023-01-01T00:00:00.000+00:00'] }],
    [json('updatedBetween', undefined, ['2023-01-01', '2023-02-01']), { method: 'between', attribute: '$updatedAt', values: ['2023-01-01T00:00:00.000+00:00', '2023-02-01T00:00:00.000+00:00'] }],
  ])('%s', (query, filter) => {
    expect(filtersOf(query)).toEqual([filter]);
  });

  it.each([
    [json('notContains', 'name', []), `${NOT_VALID}NotContains queries require at least one value.`],
    [json('containsAny', 'name', []), `${NOT_VALID}ContainsAny queries require at least one value.`],
    [json('containsAll', 'name'), `${NOT_VALID}ContainsAll queries require at least one value.`],
    [json('notStartsWith', 'name', []), `${NOT_VALID}NotStartsWith queries require exactly one value.`],
    [json('notStartsWith', 'name', ['a', 'b']), `${NOT_VALID}NotStartsWith queries require exactly one value.`],
    [json('notEndsWith', 'name', ['a', 'b']), `${NOT_VALID}NotEndsWith queries require exactly one value.`],
    [json('notSearch', 'name', ['a', 'b']), `${NOT_VALID}NotSearch queries require exactly one value.`],
    [json('regex', 'name', []), `${NOT_VALID}Regex queries require exactly one value.`],
    [json('notBetween', 'name', ['a']), `${NOT_VALID}NotBetween queries require exactly two values.`],
    [json('notBetween', 'name', ['a', 'b', 'c']), `${NOT_VALID}NotBetween queries require exactly two values.`],
    [json('notContains', 'status', [true]), `${NOT_VALID}Cannot query notContains on attribute "status" because it is not an array or string.`],
    [json('containsAny', 'registration', ['2023-01-01']), `${NOT_VALID}Cannot query contains on attribute "registration" because it is not an array or string.`],
    [json('containsAll', 'impersonator', [true]), `${NOT_VALID}Cannot query contains on attribute "impersonator" because it is not an array or string.`],
    [json('regex', 'status', ['x']), `${NOT_VALID}Cannot query regex on attribute "status" because it is not a string.`],
    [json('regex', 'registration', ['2023']), `${NOT_VALID}Cannot query regex on attribute "registration" because it is not a string.`],
    [json('regex', 'name', [5]), `${NOT_VALID}Query type does not match expected: string`],
    [json('notContains', 'name', [null]), `${NOT_VALID}Query type does not match expected: string`],
    [json('notBetween', 'status', ['true', false]), `${NOT_VALID}Query type does not match expected: boolean`],
    [json('notBetween', 'registration', ['yesterday', '2023-01-01']), `${NOT_VALID}Query type does not match expected: datetime`],
    [json('notContains', 'password', ['x']), `${NOT_VALID}Attribute not found in schema: password`],
    [json('regex', 'name.first', ['x']), `${NOT_VALID}Cannot query nested attribute on: name`],
    [json('notContains', 'name', Array.from({ length: 101 }, () => 'x')), `${NOT_VALID}Query on attribute has greater than 100 values: name`],
    [json('createdBefore', undefined, ['soon']), `${NOT_VALID}Query type does not match expected: datetime`],
    [json('createdBefore', undefined, []), `${NOT_VALID}LessThan queries require at least one value.`],
  ])('%s → %s', (query, expected) => {
    expect(message([query])).toBe(expected);
  });

  it('reports argument errors as general_argument_invalid, in query order', () => {
    expect(errorOf([json('notContains', 'password', ['x'])]).type).toBe('general_argument_invalid');
    expect(message([json('regex', 'name', ['x']), json('notStartsWith', 'hash', ['x'])])).toBe(`${NOT_VALID}Attribute not found in schema: hash`);
  });
});

describe('validateUserQueries — labels, impersonator, accessedAt', () => {
  it.each([
    ['contains("labels", ["vip", "beta"])', { method: 'contains', attribute: 'labels', values: ['vip', 'beta'] }],
    [json('containsAny', 'labels', ['vip']), { method: 'containsAny', attribute: 'labels', values: ['vip'] }],
    [json('containsAll', 'labels', ['vip', 'beta']), { method: 'containsAll', attribute: 'labels', values: ['vip', 'beta'] }],
    [json('notContains', 'labels', ['vip']), { method: 'notContains', attribute: 'labels', values: ['vip'] }],
    ['isNull("labels")', { method: 'isNull', attribute: 'labels' }],
    ['equal("impersonator", true)', { method: 'equal', attribute: 'impersonator', values: [true] }],
    ['isNull("accessedAt")', { method: 'isNull', attribute: 'accessedAt' }],
    ['greaterThan("accessedAt", "2024-01-01")', { method: 'greaterThan', attribute: 'accessedAt', values: ['2024-01-01T00:00:00.000+00:00'] }],
  ])('%s', (query, filter) => {
    expect(filtersOf(query)).toEqual([filter]);
  });

  it.each([
    ['equal("labels", ["vip"])', `${NOT_VALID}Cannot query equal on attribute "labels" because it is an array.`],
    ['notEqual("labels", ["vip"])', `${NOT_VALID}Cannot query notEqual on attribute "labels" because it is an array.`],
    ['startsWith("labels", "v")', `${NOT_VALID}Cannot query startsWith on attribute "labels" because it is an array.`],
    ['between("labels", "a", "b")', `${NOT_VALID}Cannot query between on attribute "labels" because it is an array.`],
    [json('regex', 'labels', ['v']), `${NOT_VALID}Cannot query regex on attribute "labels" because it is an array.`],
    ['contains("labels", [1])', `${NOT_VALID}Query type does not match expected: string`],
    ['contains("labels", [])', `${NOT_VALID}Contains queries require at least one value.`],
    ['equal("impersonator", "true")', `${NOT_VALID}Query type does not match expected: boolean`],
    ['equal("accessedAt", "later")', `${NOT_VALID}Query type does not match expected: datetime`],
    ['equal("labels.x", "v")', `${NOT_VALID}Cannot query nested attribute on: labels`],
  ])('%s → %s', (query, expected) => {
    expect(message([query])).toBe(expected);
  });

  it('orders and selects by them (labels sort by their JSON text, as Appwrite\'s MariaDB does)', () => {
    expect(validateUserQueries(['orderAsc("labels")', 'orderDesc("impersonator")', 'orderAsc("accessedAt")']).orders).toEqual([
      { attribute: 'labels', direction: 'asc' },
      { attribute: 'impersonator', direction: 'desc' },
      { attribute: 'accessedAt', direction: 'asc' },
    ]);
    expect(validateUserQueries(['select(["labels", "impersonator"])']).select).toEqual(['labels', 'impersonator']);
  });
});

describe('validateUserQueries — what no store can serve (400 general_query_invalid from the handler)', () => {
  const refusal = (...queries: string[]) => validateUserQueries(queries).cannotServe;

  it.each([
    [json('search', 'name', ['jo']), 'Searching by attribute "name" requires a fulltext index.'],
    [json('notSearch', 'email', ['jo']), 'Searching by attribute "email" requires a fulltext index.'],
    [json('exists', undefined, ['name', 'email']), 'Exists queries are not supported by this database'],
    [json('notExists', undefined, ['phone']), 'Exists queries are not supported by this database'],
    [json('regex', 'name', ['(?=a)']), 'Invalid regular expression "(?=a)": only (?:...) groups are supported'],
    [json('regex', 'name', ['a(']), 'Invalid regular expression "a(": missing )'],
    [json('regex', 'name', ['\\1']), 'Invalid regular expression "\\1": \\1 is not supported'],
    [json('regex', 'name', ['(a{1000}){1000}']), 'Invalid regular expression "(a{1000}){1000}": too large once its repeats are expanded (over 20000 states)'],
    [json('or', undefined, [{ method: 'equal', attribute: 'name', values: ['a'] }, { method: 'notSearch', attribute: 'name', values: ['b'] }]), 'Searching by attribute "name" requires a fulltext index.'],
  ])('%s → %s', (query, reason) => {
    expect(refusal(query)).toBe(reason);
  });

  it('the first reason is kept; later invalid queries are still the 400 of the parameter', () => {
    expect(refusal(json('exists', undefined, ['name']), json('search', 'name', ['x']))).toBe('Exists queries are not supported by this database');
    expect(message([json('exists', undefined, ['name']), 'equal("hash", "x")'])).toBe(`${NOT_VALID}Attribute not found in schema: hash`);
    // A fresh list starts without a refusal.
    expect(refusal('equal("name", "x")')).toBeUndefined();
  });

  it('exists checks the attribute names it is given', () => {
    expect(message([json('exists', undefined, [])])).toBe(`${NOT_VALID}Exists queries require at least one value.`);
    expect(message([json('exists', undefined, ['password'])])).toBe(`${NOT_VALID}Attribute not found in schema: password`);
    expect(message([json('notExists', undefined, [1])])).toBe(`${NOT_VALID}Attribute not found in schema: 1`);
    expect(message([json('exists', 'hash', ['name'])])).toBe(`${NOT_VALID}Attribute not found in schema: hash`);
  });

  it('assertServable answers 400 general_query_invalid with the reason', () => {
    const run = () => assertServable(validateUserQueries([json('exists', undefined, ['name'])]));
    expect(run).toThrow(AppwriteException);
    try {
      run();
    } catch (e) {
      expect([(e as AppwriteException).type, (e as AppwriteException).code, (e as AppwriteException).message]).toEqual([
        'general_query_invalid',
        400,
        'Exists queries are not supported by this database',
      ]);
    }
    expect(() => assertServable(validateUserQueries(['equal("name", "x")']))).not.toThrow();
  });
});

describe('validateUserQueries — orderRandom', () => {
  it('is an order without an attribute (one sent anyway is ignored)', () => {
    expect(validateUserQueries(['{"method":"orderRandom"}', 'orderAsc("name")'])).toEqual({
      ...base,
      orders: [
        { attribute: null, direction: 'random' },
        { attribute: 'name', direction: 'asc' },
      ],
    });
    expect(validateUserQueries(['{"method":"orderRandom","attribute":"nope"}']).orders).toEqual([{ attribute: null, direction: 'random' }]);
    expect(validateUserQueries(['orderRandom()']).orders).toEqual([{ attribute: null, direction: 'random' }]);
  });

  it('cannot be walked with a cursor', () => {
    expect(validateUserQueries(['{"method":"orderRandom"}', 'cursorAfter("u1")']).cannotServe).toBe(RANDOM_CURSOR_REFUSAL);
    expect(validateUserQueries(['{"method":"orderRandom"}', 'limit(5)', 'offset(5)']).cannotServe).toBeUndefined();
  });
});
