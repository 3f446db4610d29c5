import { parse } from 'graphql';
import { measureDocument } from './graphql-limits';

const LISTS = new Set(['usersList']);
const measure = (query: string, variables?: Record<string, unknown>) => measureDocument(parse(query), LISTS, variables);

describe('GraphQL abuse limits: depth', () => {
  it('counts the nesting of fields with sub-selections, root fields being 0', () => {
    expect(measure('{ usersGet(userId: "a") { _id } }').depth).toBe(0);
    expect(measure('{ usersList { total users { _id prefs { data } } } }').depth).toBe(2);
    expect(measure('{ a { b { c { d { e } } } } }').depth).toBe(3);
  });
  it('follows inline fragments and fragment spreads, and leaves introspection out', () => {
    expect(measure('{ usersList { ... on UserList { users { ...U } } } } fragment U on User { prefs { data } }').depth).toBe(2);
    expect(measure('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }').depth).toBe(0);
  });
});

describe('GraphQL abuse limits: complexity', () => {
  it('costs a field 1 plus its children, and a list route its children times its limit', () => {
    expect(measure('{ usersGet(userId: "a") { _id name } }').complexity).toBe(3);
    expect(measure('{ usersList { total users { _id name } } }').complexity).toBe((1 + 3) * 25);
    expect(measure('{ usersList(queries: ["limit(2)"]) { total } }').complexity).toBe(2);
    expect(measure('{ usersList(queries: ["{\\"method\\":\\"limit\\",\\"values\\":[4]}"]) { total } }').complexity).toBe(4);
    expect(measure('query($q: [String]) { usersList(queries: $q) { total } }', { q: ['limit(7)'] }).complexity).toBe(7);
  });
  it('counts every alias', () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: usersGet(userId: "x") { _id }`).join(' ');
    expect(measure(`{ ${aliases} }`).complexity).toBe(100);
  });
  it('measures a fragment bomb in linear time, and a fragment cycle as nothing', () => {
    const levels = 60;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on User { ...F${i + 1} ...F${i + 1} }`).join(' ') + ` fragment F${levels} on User { _id }`;
    const started = Date.now();
    const m = measure(`{ usersGet(userId: "x") { ...F0 } } ${fragments}`);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(m.complexity).toBe(2 ** levels + 1);
    expect(measure('{ usersGet(userId: "x") { ...A } } fragment A on User { ...B } fragment B on User { ...A }').complexity).toBe(1);
  });
});
