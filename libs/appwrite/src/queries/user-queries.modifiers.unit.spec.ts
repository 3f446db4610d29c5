import { base, message, RANGE, UID_TEXT } from '@lib/appwrite/testing';
import { validateUserQueries } from './user-queries';

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
