import { startTestGateway, TestGateway } from '../support/test-gateway';
import { startTestStack, TestStack } from '../support/test-stack';

/** POST /v1/graphql, /v1/graphql/mutation and GET /v1/graphql over raw HTTP (graphql.md §1, §2, §4). */
let gw: TestStack;
beforeAll(async () => {
  gw = await startTestStack();
  expect((await gw.http('POST', '/v1/users', { userId: 'gq-ann', email: 'ann@graphql.io', password: 'password-123', name: 'Ann' })).status).toBe(201);
});
afterAll(() => gw?.close());

const post = (body: unknown, headers: Record<string, string> = {}, path = '/v1/graphql') => gw.http('POST', path, body, headers);
const GET_ANN = '{ usersGet(userId: "gq-ann") { _id name email prefs { data } } }';
const ANN = { _id: 'gq-ann', name: 'Ann', email: 'ann@graphql.io', prefs: { data: '{}' } };

describe('GraphQL request forms', () => {
  it('takes JSON, the SDKs wrapping, application/graphql, and the mutation path', async () => {
    expect((await post({ query: GET_ANN })).body).toEqual({ data: { usersGet: ANN } });
    expect((await post({ query: { query: GET_ANN } }, { 'x-sdk-graphql': 'true' })).body).toEqual({ data: { usersGet: ANN } });
    const raw = await post(GET_ANN, { 'content-type': 'application/graphql' });
    expect([raw.status, raw.body]).toEqual([200, { data: { usersGet: ANN } }]);
    const renamed = await post({ query: 'mutation($id: String!, $name: String!) { usersUpdateName(userId: $id, name: $name) { name } }', variables: { id: 'gq-ann', name: 'Ann B' } }, {}, '/v1/graphql/mutation');
    expect(renamed.body).toEqual({ data: { usersUpdateName: { name: 'Ann B' } } });
    await post({ query: 'mutation { usersUpdateName(userId: "gq-ann", name: "Ann") { name } }' });
  });

  it('answers a batch as an array in order, and prefs given as an object or as JSON text', async () => {
    const batch = await post([
      { query: 'mutation($p: Assoc!) { usersUpdatePrefs(userId: "gq-ann", prefs: $p) { data } }', variables: { p: { key: 'value' } } },
      { query: '{ usersGetPrefs(userId: "gq-ann") { data } }' },
      { query: 'mutation { usersUpdatePrefs(userId: "gq-ann", prefs: "{}") { data } }' },
    ]);
    expect(batch.body).toEqual([{ data: { usersUpdatePrefs: { data: '{"key":"value"}' } } }, { data: { usersGetPrefs: { data: '{"key":"value"}' } } }, { data: { usersUpdatePrefs: { data: '{}' } } }]);
  });

  it('serves queries over GET, and refuses a mutation there with 405 and Allow: POST', async () => {
    const got = await gw.http('GET', `/v1/graphql?query=${encodeURIComponent('query($id: String!) { usersGet(userId: $id) { _id } }')}&variables=${encodeURIComponent('{"id":"gq-ann"}')}`);
    expect(got.body).toEqual({ data: { usersGet: { _id: 'gq-ann' } } });
    const refused = await gw.http('GET', `/v1/graphql?query=${encodeURIComponent('mutation { usersDelete(userId: "gq-ann") { status } }')}`);
    expect([refused.status, refused.body.type, refused.headers.get('allow')]).toEqual([405, 'graphql_method_unsupported', 'POST']);
  });

  it('answers a missing query and a too large batch with Appwrite\'s envelope', async () => {
    for (const body of [undefined, {}, [], [{ operationName: 'x' }]]) {
      const res = await post(body);
      expect([res.status, res.body.type, res.body.message]).toEqual([400, 'graphql_no_query', 'Param "query" is not optional.']);
    }
    const many = await post(Array.from({ length: 11 }, () => ({ query: GET_ANN })));
    expect([many.status, many.body.type, many.body.message]).toEqual([400, 'graphql_too_many_queries', 'Too many queries.']);
  });
});

describe('GraphQL errors', () => {
  it('turns a route error into a field error with Appwrite\'s message, HTTP 200, other fields kept', async () => {
    const res = await post({ query: '{ usersGet(userId: "nobody") { _id } ann: usersGet(userId: "gq-ann") { _id } }' });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ usersGet: null, ann: { _id: 'gq-ann' } });
    expect(res.body.errors).toEqual([expect.objectContaining({ message: 'User with the requested ID could not be found.', path: ['usersGet'], locations: [{ line: 1, column: 3 }] })]);
  });

  it('validates the route params as REST does, and the document against the schema (no data)', async () => {
    const invalid = await post({ query: 'mutation { usersCreate(userId: "bad id!") { _id } }' });
    expect(invalid.body.errors[0].message).toMatch(/^Invalid userId: /);
    const unknown = await post({ query: '{ usersGet(userId: "gq-ann") { nope } }' });
    expect(unknown.body).toEqual({ errors: [expect.objectContaining({ message: expect.stringMatching(/^Cannot query field "nope" on type "User"\./) })] });
    const syntax = await post({ query: '{ usersGet(' });
    expect(syntax.body.errors[0].message).toMatch(/^Syntax Error/);
  });

  it('checks the key\'s scopes per field, with the REST message', async () => {
    const reader = await gw.createKey({ name: 'gq-reader', scopes: ['users.read'] });
    const res = await post({ query: 'mutation { usersDelete(userId: "gq-ann") { status } }' }, { 'x-appwrite-key': reader.secret });
    expect(res.body.errors[0].message).toBe(`app.e2e-project@service.127.0.0.1 (role: applications) missing scope (users.write)`);
    const writer = await gw.createKey({ name: 'gq-writer', scopes: ['users.write'] });
    const read = await post({ query: GET_ANN }, { 'x-appwrite-key': writer.secret });
    expect(read.body.errors[0].message).toMatch(/missing scope \(users\.read\)$/);
  });
});

describe('GraphQL limits: a hostile document is refused at once, never stalls the service', () => {
  it('refuses depth and complexity over the limits with Appwrite\'s messages', async () => {
    const fits = await post({ query: '{ usersList { users { targets { _id } prefs { data } hashOptions { ... on AlgoArgon2 { type } } } } }' });
    expect(fits.body.errors).toBeUndefined();
    // (total 1 + users (1 + 6 fields)) × limit.
    expect((await post({ query: '{ usersList(queries: ["limit(100)"]) { total users { _id name email phone status labels } } }' })).body.errors).toBeUndefined();
    const heavy = await post({ query: '{ usersList(queries: ["limit(200)"]) { total users { _id name email phone status labels } } }' });
    expect(heavy.body).toEqual({ errors: [expect.objectContaining({ message: 'Max query complexity should be 1000 but got 1600.' })] });
  });

  it('survives deep nesting, thousands of aliases, fragment cycles and fragment bombs', async () => {
    const nested = `{ usersList { users { targets ${'{ _id '.repeat(3000)}${'}'.repeat(3000)} } } }`;
    const n = await post({ query: nested });
    expect([n.status, n.body.errors[0].message]).toEqual([200, 'Syntax Error: Document nests deeper than 128 levels. Parsing aborted.']);
    const long = await post({ query: `{ ${'usersGet(userId: "gq-ann") { _id } '.repeat(2000)} }` });
    expect(long.body.errors[0].message).toMatch(/^Syntax Error: Document contains more th(at|an) 10000 tokens/);
    const aliases = await post({ query: `{ ${Array.from({ length: 600 }, (_, i) => `a${i}: usersGet(userId: "gq-ann") { _id }`).join(' ')} }` });
    expect(aliases.body).toEqual({ errors: [expect.objectContaining({ message: 'Max query complexity should be 1000 but got 1200.' })] });
    const cycle = await post({ query: '{ usersGet(userId: "gq-ann") { ...A } } fragment A on User { ...B } fragment B on User { ...A }' });
    expect(cycle.body.errors[0].message).toBe('Cannot spread fragment "A" within itself via "B".');
    const bomb = Array.from({ length: 40 }, (_, i) => `fragment F${i} on User { ...F${i + 1} ...F${i + 1} }`).join(' ') + ' fragment F40 on User { _id }';
    const exploded = await post({ query: `{ usersGet(userId: "gq-ann") { ...F0 } } ${bomb}` });
    expect(exploded.body.errors[0].message).toBe(`Max query complexity should be 1000 but got ${2 ** 40 + 1}.`);
    expect((await post({ query: GET_ANN })).body).toEqual({ data: { usersGet: ANN } });
  });
});

describe('GraphQL introspection', () => {
  let closed: TestGateway;
  beforeAll(async () => {
    closed = await startTestGateway({ env: { GRAPHQL_INTROSPECTION: 'off', GRAPHQL_MAX_DEPTH: '1' } });
  });
  afterAll(() => closed?.close());

  it('is on by default, and off by configuration', async () => {
    const schema = await post({ query: '{ __schema { queryType { name } } }' });
    expect(schema.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const off = await closed.http('POST', '/v1/graphql', { query: '{ __schema { queryType { name } } }' });
    expect(off.body.errors[0].message).toMatch(/introspection/i);
    const depth = await closed.http('POST', '/v1/graphql', { query: '{ usersList { users { prefs { data } } } }' });
    expect(depth.body.errors[0].message).toBe('Max query depth should be 1 but got 2.');
  });
});
