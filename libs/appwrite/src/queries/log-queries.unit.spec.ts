import { AppwriteException } from '../errors/appwrite-exception';
import { LogQueries, validateLogQueries } from './log-queries';

function message(queries: unknown): string {
  try {
    validateLogQueries(queries);
  } catch (e) {
    expect(e).toBeInstanceOf(AppwriteException);
    expect((e as AppwriteException).type).toBe('general_argument_invalid');
    expect((e as AppwriteException).code).toBe(400);
    return (e as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(queries)} to fail`);
}

const RANGE = 'Value must be a valid range between 0 and 9,223,372,036,854,775,808';

describe('validateLogQueries', () => {
  it('defaults to limit 5000, offset 0', () => {
    expect(validateLogQueries(undefined)).toEqual({ limit: 5000, offset: 0 });
    expect(validateLogQueries([])).toEqual({ limit: 5000, offset: 0 });
  });

  it('reads limit and offset in both syntaxes, numeric strings included', () => {
    expect(validateLogQueries(['limit(10)', 'offset(5)'])).toEqual({ limit: 10, offset: 5 });
    expect(validateLogQueries(['limit("10")', 'offset("0")'])).toEqual({ limit: 10, offset: 0 });
    expect(validateLogQueries(['{"method":"limit","values":[3]}', '{"method":"offset","values":[2]}'])).toEqual({ limit: 3, offset: 2 });
    expect(validateLogQueries(['limit(0)'])).toEqual({ limit: 0, offset: 0 });
    expect(validateLogQueries('limit(7)')).toEqual({ limit: 7, offset: 0 });
  });

  it('first limit / offset wins, later ones are validated', () => {
    expect(validateLogQueries(['limit(1)', 'limit(2)', 'offset(3)', 'offset(4)'])).toEqual({ limit: 1, offset: 3 });
    expect(message(['limit(1)', 'limit(-2)'])).toBe(`Invalid queries: Query not valid: Invalid limit: ${RANGE}`);
  });

  // queries.md §8, List User Logs table.
  it.each([
    ['limit(-1)', `Invalid queries: Query not valid: Invalid limit: ${RANGE}`],
    ['offset(-1)', `Invalid queries: Query not valid: Invalid offset: ${RANGE}`],
    ['equal("$id", "asdf")', 'Invalid queries: Query method not valid: equal'],
    ['orderAsc("$id")', 'Invalid queries: Query method not valid: orderAsc'],
    ['cursorAfter("x")', 'Invalid queries: Query method not valid: cursorAfter'],
    ['cursorAsc("$id")', 'Invalid queries: Query method not valid: cursorAsc'],
  ])('%s', (q, expected) => {
    expect(message([q])).toBe(expected);
  });

  it.each([
    ['limit(1.5)', 'limit'],
    ['limit()', 'limit'],
    ['limit("x")', 'limit'],
    ['offset(2.5)', 'offset'],
    ['{"method":"offset","values":[-1]}', 'offset'],
  ])('rejects %s', (q, name) => {
    expect(message([q])).toBe(`Invalid queries: Query not valid: Invalid ${name}: ${RANGE}`);
  });

  it('rejects every other method, in either syntax', () => {
    expect(message(['select(["event"])'])).toBe('Invalid queries: Query method not valid: select');
    expect(message(['{"method":"equal","attribute":"event","values":["x"]}'])).toBe('Invalid queries: Query method not valid: equal');
    expect(message(['{"method":"or","values":[]}'])).toBe('Invalid queries: Query method not valid: or');
    expect(message(['{"method":"notContains"}'])).toBe('Invalid queries: Query method not valid: notContains');
    expect(message(['foo()'])).toBe('Invalid queries: Query method not valid: foo');
  });

  it('reports syntax errors and limits like List Users', () => {
    expect(message(['limit 5'])).toBe('Invalid queries: Invalid query: limit 5');
    expect(message(['{bad'])).toBe('Invalid queries: Invalid query: {bad');
    expect(message(Array(101).fill('limit(1)'))).toBe('Invalid queries: Too many queries (max 100)');
    expect(message(['limit(1)' + ' '.repeat(4096)])).toBe('Invalid queries: Query too long (max 4096 chars)');
    expect(message([3])).toBe('Invalid queries: Invalid query: 3');
    expect(message({})).toBe('Invalid queries: Queries must be an array');
  });
});

describe('LogQueries rule', () => {
  it('checks and explains', () => {
    expect(LogQueries.check(['limit(1)'])).toBe(true);
    expect(LogQueries.check(['equal("a", "b")'])).toBe(false);
    expect(LogQueries.explain!(['equal("a", "b")'])).toBe('Query method not valid: equal');
    expect(LogQueries.coerce!('limit(1)')).toEqual({ limit: 1, offset: 0 });
  });
});
