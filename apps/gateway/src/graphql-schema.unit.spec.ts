import { graphql, GraphQLNonNull, GraphQLObjectType, GraphQLUnionType } from 'graphql';
import { buildGraphqlSchema, graphqlFieldName, GRAPHQL_ENDPOINTS, isGraphqlField } from '@lib/graphql';
import type { EndpointDef } from '@lib/http';
import { ALL_ENDPOINTS, ALL_RESPONSE_SCHEMAS } from './contexts';

/** The GraphQL schema the gateway serves, generated from every REST route's declaration (graphql.md §3). */
const ROUTES = ALL_ENDPOINTS.filter((e) => !GRAPHQL_ENDPOINTS.includes(e));
/** Routes of JSON lines (bulk import and export) are left out on purpose (isGraphqlField). */
const REST = ROUTES.filter(isGraphqlField);
const calls: Array<{ route: string; args: Record<string, unknown> }> = [];
const answers: Record<string, unknown> = {};
const schema = buildGraphqlSchema(REST, ALL_RESPONSE_SCHEMAS, async (route: EndpointDef, args) => {
  calls.push({ route: route.sdkMethod, args });
  return answers[route.sdkMethod];
});
const query = schema.getQueryType()!.getFields();
const mutation = schema.getMutationType()!.getFields();

describe('the generated GraphQL schema', () => {
  it('has a field for every REST route: GET routes in Query, the others in Mutation', () => {
    const missing = REST.filter((r) => !(graphqlFieldName(r) in (r.method === 'GET' ? query : mutation))).map((r) => r.sdkMethod);
    expect(missing).toEqual([]);
    expect(Object.keys(query).length + Object.keys(mutation).length).toBe(new Set(REST.map(graphqlFieldName)).size);
  });

  it('has no field for the routes of JSON lines: a file of users is no argument, a stream no selection', () => {
    expect(ROUTES.filter((r) => !isGraphqlField(r)).map((r) => r.sdkMethod)).toEqual(['users.importUsers', 'users.exportUsers']);
    const all = buildGraphqlSchema(ROUTES, ALL_RESPONSE_SCHEMAS, async () => null);
    expect(Object.keys({ ...all.getQueryType()!.getFields(), ...all.getMutationType()!.getFields() }).filter((f) => /^users(Import|Export)Users$/.test(f))).toEqual([]);
  });

  it('names fields after the SDK method, as the seed spells them', () => {
    for (const name of ['usersCreate', 'usersCreateMD5User', 'usersCreatePHPassUser', 'usersCreateSHAUser', 'usersDeleteSessions', 'usersUpdatePhoneVerification', 'teamsCreate', 'accountCreateEmailSession']) {
      expect([name, name in query || name in mutation]).toEqual([name, true]);
    }
    expect(['usersList', 'usersGet', 'usersGetPrefs', 'usersListLogs', 'usersListMemberships'].every((n) => n in query)).toBe(true);
  });

  it('types arguments from the route params: required ones non-null, prefs an Assoc, queries [String]', () => {
    const create = mutation.usersCreate.args;
    expect(create.find((a) => a.name === 'userId')!.type).toBeInstanceOf(GraphQLNonNull);
    expect(String(create.find((a) => a.name === 'email')!.type)).toBe('String');
    expect(String(mutation.usersUpdatePrefs.args.find((a) => a.name === 'prefs')!.type)).toBe('Assoc!');
    expect(String(query.usersList.args.find((a) => a.name === 'queries')!.type)).toBe('[String]');
    expect(String(mutation.usersUpdateStatus.args.find((a) => a.name === 'status')!.type)).toBe('Boolean!');
    expect(String(mutation.usersCreateToken.args.find((a) => a.name === 'length')!.type)).toBe('Int');
  });

  it('types outputs from the response models: `_` for `$`, a union for hashOptions, data for Preferences, status for 204s', () => {
    const user = schema.getType('User') as GraphQLObjectType;
    expect(Object.keys(user.getFields())).toEqual(expect.arrayContaining(['_id', '_createdAt', '_updatedAt', 'name', 'labels', 'targets', 'prefs', 'hashOptions']));
    const hashOptions = user.getFields().hashOptions.type as GraphQLUnionType;
    expect(hashOptions.getTypes().map((t) => t.name).sort()).toEqual(['AlgoArgon2', 'AlgoBcrypt', 'AlgoMd5', 'AlgoPhpass', 'AlgoScrypt', 'AlgoScryptModified', 'AlgoSha']);
    expect(String(query.usersGetPrefs.type)).toBe('Preferences');
    expect(Object.keys((schema.getType('Preferences') as GraphQLObjectType).getFields())).toEqual(['data']);
    expect(String(mutation.usersDelete.type)).toBe('None');
    expect(String(query.usersList.type)).toBe('UserList');
  });

  it('has the history and the time travel of a user: usersListEvents, and usersGet at a moment', () => {
    expect(query.usersListEvents.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(['userId: String!', 'queries: [String]', 'total: Boolean']);
    expect(String(query.usersListEvents.type)).toBe('UserEventList');
    const event = schema.getType('UserEvent') as GraphQLObjectType;
    expect(Object.fromEntries(Object.entries(event.getFields()).map(([name, f]) => [name, String(f.type)]))).toEqual({
      _id: 'String', type: 'String', revision: 'Int', position: 'String', occurredAt: 'String', schemaVersion: 'Int', actor: 'UserEventActor', requestId: 'String', ip: 'String', userAgent: 'String', data: 'Json',
    });
    expect(query.usersGet.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(['userId: String!', 'at: String', 'revision: Int']);
  });

  it('runs the route with the arguments and maps its answer', async () => {
    answers['users.get'] = { $id: 'u1', name: 'Ann', prefs: { theme: 'dark' }, hashOptions: { type: 'scryptMod', salt: 's', saltSeparator: 'x', signerKey: 'k' } };
    const result = await graphql({
      schema,
      source: '{ usersGet(userId: "u1") { _id name prefs { data } hashOptions { __typename ... on AlgoScryptModified { signerKey } } } }',
    });
    expect(result).toEqual({ data: { usersGet: { _id: 'u1', name: 'Ann', prefs: { data: '{"theme":"dark"}' }, hashOptions: { __typename: 'AlgoScryptModified', signerKey: 'k' } } } });
    expect(calls.at(-1)).toEqual({ route: 'users.get', args: { userId: 'u1' } });
    const prefs = await graphql({ schema, source: 'mutation { usersUpdatePrefs(userId: "u1", prefs: "{\\"a\\":1}") { data } }' });
    expect(calls.at(-1)).toEqual({ route: 'users.updatePrefs', args: { userId: 'u1', prefs: { a: 1 } } });
    expect(prefs.errors).toBeUndefined();
    expect((await graphql({ schema, source: 'mutation { usersDelete(userId: "u1") { status } }' })).data).toEqual({ usersDelete: { status: 'OK' } });
  });
});
