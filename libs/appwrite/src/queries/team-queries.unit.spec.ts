import { AppwriteException } from '../errors/appwrite-exception';
import { validateParams } from '../validation/params';
import { ArrayList, Url } from '../validation/list-rules';
import { Key } from '../validation/rules';
import { MembershipQueries, TeamQueries, validateMembershipQueries, validateTeamQueries } from './team-queries';

const messageOf = (run: () => unknown): string => {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(AppwriteException);
    return (e as AppwriteException).message;
  }
  throw new Error('expected a failure');
};
const NOT_VALID = 'Invalid queries: Query not valid: ';

describe('List Teams queries', () => {
  it('knows name, total and the base attributes, typed', () => {
    expect(validateTeamQueries(['equal("name", "VIP")', 'greaterThan("total", 2)', 'orderDesc("$createdAt")', 'limit(5)', 'cursorAfter("t1")'])).toEqual({
      filters: [
        { method: 'equal', attribute: 'name', values: ['VIP'] },
        { method: 'greaterThan', attribute: 'total', values: [2] },
      ],
      orders: [{ attribute: '$createdAt', direction: 'desc' }],
      limit: 5,
      offset: 0,
      cursor: { direction: 'after', id: 't1' },
    });
    expect(validateTeamQueries([JSON.stringify({ method: 'between', attribute: 'total', values: [1, 3] })]).filters).toEqual([{ method: 'between', attribute: 'total', values: [1, 3] }]);
    expect(validateTeamQueries(['lessThan("$updatedAt", "2024-01-01")']).filters[0]).toEqual({ method: 'lessThan', attribute: '$updatedAt', values: ['2024-01-01T00:00:00.000+00:00'] });
  });

  it.each([
    [['equal("total", ["1"])'], `${NOT_VALID}Query type does not match expected: integer`],
    [['equal("total", [1.5])'], `${NOT_VALID}Query type does not match expected: integer`],
    [['equal("name", [1])'], `${NOT_VALID}Query type does not match expected: string`],
    [['equal("prefs", ["x"])'], `${NOT_VALID}Attribute not found in schema: prefs`],
    [['select(["search"])'], `${NOT_VALID}Attribute not found in schema: search`],
    [['contains("total", [1])'], `${NOT_VALID}Cannot query contains on attribute "total" because it is not an array or string.`],
    [['startsWith("total", [1])'], `${NOT_VALID}Cannot query startsWith on attribute "total" because it is not a string.`],
    [['limit(-1)'], `${NOT_VALID}Invalid limit: Value must be a valid range between 0 and 9,223,372,036,854,775,808`],
    [['foo("x")'], 'Invalid queries: Query method not valid: foo'],
  ])('%j → %s', (queries, message) => expect(messageOf(() => validateTeamQueries(queries))).toBe(message));

  it('takes the 1.8 methods too; a search on an attribute is left for the handler to refuse', () => {
    expect(validateTeamQueries(['{"method":"notBetween","attribute":"total","values":[1,3]}', '{"method":"orderRandom"}'])).toMatchObject({
      filters: [{ method: 'notBetween', attribute: 'total', values: [1, 3] }],
      orders: [{ attribute: null, direction: 'random' }],
    });
    expect(validateTeamQueries(['search("name", "x")']).cannotServe).toBe('Searching by attribute "name" requires a fulltext index.');
    expect(messageOf(() => validateTeamQueries(['{"method":"notStartsWith","attribute":"total","values":[1]}']))).toBe(`${NOT_VALID}Cannot query notStartsWith on attribute "total" because it is not a string.`);
    expect(messageOf(() => validateTeamQueries(['{"method":"regex","attribute":"total","values":["1"]}']))).toBe(`${NOT_VALID}Cannot query regex on attribute "total" because it is not a string.`);
  });
});

describe('List Team Memberships queries', () => {
  it('knows userId, teamId, invited, joined, confirm and the base attributes', () => {
    expect(validateMembershipQueries(['equal("userId", "u1")', 'equal("confirm", true)', 'isNull("joined")', 'orderAsc("invited")']).filters).toEqual([
      { method: 'equal', attribute: 'userId', values: ['u1'] },
      { method: 'equal', attribute: 'confirm', values: [true] },
      { method: 'isNull', attribute: 'joined' },
    ]);
    expect(messageOf(() => validateMembershipQueries(['equal("roles", ["owner"])']))).toBe(`${NOT_VALID}Attribute not found in schema: roles`);
    expect(messageOf(() => validateMembershipQueries(['equal("confirm", ["true"])']))).toBe(`${NOT_VALID}Query type does not match expected: boolean`);
    expect(messageOf(() => validateMembershipQueries(['equal("name", ["x"])']))).toBe(`${NOT_VALID}Attribute not found in schema: name`);
  });

  it('reports query errors in parameter order as rules', () => {
    const params = [
      { name: 'queries', in: 'query' as const, required: false, default: [], rule: MembershipQueries, openapi: { type: 'array' as const, description: '' } },
      { name: 'other', in: 'query' as const, required: true, rule: TeamQueries, openapi: { type: 'array' as const, description: '' } },
    ];
    expect(messageOf(() => validateParams(params, { path: {}, body: {}, query: { 'queries[]': ['limit(x)'] } }))).toBe(`Invalid queries: ${'Query not valid: Invalid limit: Value must be a valid range between 0 and 9,223,372,036,854,775,808'}`);
    expect(validateParams(params, { path: {}, body: {}, query: { 'queries[]': ['limit(2)'], 'other[]': ['equal("total", 0)'] } })).toMatchObject({ queries: { limit: 2 }, other: { filters: [{ attribute: 'total', values: [0] }] } });
  });
});

describe('ArrayList and Url rules', () => {
  const roles = ArrayList(Key, 100);
  it('takes arrays of valid elements up to the maximum, with Utopia\'s description', () => {
    expect(roles.check(['owner', 'a.b-c'])).toBe(true);
    expect(roles.check([])).toBe(true);
    expect(roles.check(['_bad'])).toBe(false);
    expect(roles.check('owner')).toBe(false);
    expect(roles.check({ 0: 'owner' })).toBe(false);
    expect(roles.check(Array.from({ length: 101 }, () => 'x'))).toBe(false);
    expect(roles.description).toBe("Value must a valid array no longer than 100 items and Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char");
  });
  it('takes absolute URLs only', () => {
    expect(Url.check('https://example.com/join?x=1')).toBe(true);
    expect(Url.check('http://localhost:3000')).toBe(true);
    for (const bad of ['example.com', '/relative', 'https://', 'https://exa mple.com', 'https://é.com', 5]) expect([bad, Url.check(bad)]).toEqual([bad, false]);
  });
});
