import { Client as Client9, Graphql as Graphql9 } from 'node-appwrite';
import { Client as ClientLatest, Graphql as GraphqlLatest } from 'node-appwrite-latest';
import {
  expectedGraphqlResult,
  fillExample,
  inRunOrder,
  readSeedExamples,
  restCallOf,
  RestCall,
  SeedExample,
  seedValues,
  SeedValues,
  userIdFor,
} from '../support/graphql-seed';
import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';

/**
 * Every GraphQL example of the reference page (graphql.md, issue 9), filled in and run verbatim
 * through node-appwrite 9.0.0's and the newest node-appwrite's Graphql service, each answer
 * compared with the REST answer to the same call, read in the response format the same SDK asks for.
 */
const EXAMPLES = inRunOrder(readSeedExamples());

let gw: TestStack;
beforeAll(async () => {
  gw = await startTestStack();
});
afterAll(() => gw?.close());

type Answer = { data?: Record<string, unknown> | null; errors?: unknown[] };

interface Generation {
  label: string;
  /** Prefix of the run's ids; phone numbers must differ too (they are unique per project). */
  prefix: string;
  phone: string;
  connect(endpoint: string): { responseFormat: string; run(operation: 'query' | 'mutation', query: string): Promise<Answer> };
}

/** The response format an SDK client asks for, so that the REST side is read in the same one. */
const responseFormatOf = (client: object): string => (client as { headers: Record<string, string> }).headers['X-Appwrite-Response-Format'];

const GENERATIONS: Generation[] = [
  {
    label: 'node-appwrite 9.0.0',
    prefix: 'v9',
    phone: '+12065550109',
    connect(endpoint) {
      const client = new Client9().setEndpoint(endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY);
      const graphql = new Graphql9(client);
      // 9.x takes the operation object itself and sends it as `{ query: <operation> }`.
      return { responseFormat: responseFormatOf(client), run: (op, query) => (op === 'query' ? graphql.query({ query }) : graphql.mutation({ query })) };
    },
  },
  {
    label: 'node-appwrite 27.1.0',
    prefix: 'v27',
    phone: '+12065550127',
    connect(endpoint) {
      const client = new ClientLatest().setEndpoint(endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY);
      const graphql = new GraphqlLatest(client);
      // 27.x takes named parameters, `query` being the operation object: `{ query }` alone would be
      // read as those parameters and send the bare document string.
      const run = async (op: 'query' | 'mutation', query: string) =>
        (await (op === 'query' ? graphql.query({ query: { query } }) : graphql.mutation({ query: { query } }))) as Answer;
      return { responseFormat: responseFormatOf(client), run };
    },
  },
  {
    label: 'node-appwrite 27.1.0 called as { query } (the bare document)',
    prefix: 'v27s',
    phone: '+12065550128',
    connect(endpoint) {
      const client = new ClientLatest().setEndpoint(endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY);
      const graphql = new GraphqlLatest(client);
      // The call the README and 9.x code carried over make: 27.x then sends `{ query: "<document>" }`,
      // which the service takes as the operation's text.
      const run = async (op: 'query' | 'mutation', query: string) => (await (op === 'query' ? graphql.query({ query }) : graphql.mutation({ query }))) as Answer;
      return { responseFormat: responseFormatOf(client), run };
    },
  },
];

describe('the seed page', () => {
  it('has 25 GraphQL examples, one per Users endpoint, each followed by its REST request', () => {
    expect(EXAMPLES).toHaveLength(25);
    expect(new Set(EXAMPLES.map((e) => e.field)).size).toBe(25);
  });

  it('every example root field is in the served schema, queries under Query and mutations under Mutation', async () => {
    const res = await gw.http('POST', '/v1/graphql', { query: '{ __schema { queryType { fields { name } } mutationType { fields { name } } } }' });
    expect(res.status).toBe(200);
    const names = (type: { fields: { name: string }[] } | null) => (type?.fields ?? []).map((f) => f.name);
    const schema = res.body?.data?.__schema;
    const served = { query: names(schema?.queryType), mutation: names(schema?.mutationType) };
    const missing = EXAMPLES.filter((e) => !served[e.operation].includes(e.field)).map((e) => `${e.operation} ${e.field}`);
    expect(missing).toEqual([]);
  });
});

describe.each(GENERATIONS)('every seed example through $label equals REST', (generation) => {
  const values: SeedValues = seedValues(generation.prefix, generation.phone);
  /** The twin of the run's user: delete examples are compared with the same call on it over REST. */
  const twin: SeedValues = { ...values, userId: `${generation.prefix}-twin` };
  let sdk: ReturnType<Generation['connect']>;
  let prepared: Promise<void> | undefined;

  beforeAll(() => {
    sdk = generation.connect(gw.endpoint);
  });

  const rest = (call: RestCall) => gw.http(call.method, call.path, call.body, { 'x-appwrite-response-format': sdk.responseFormat });
  const get = (path: string) => rest({ method: 'GET', path });

  /**
   * What the read, update and delete examples need, made over REST once the creates have run:
   * the run's user (made here only if usersCreate failed, so later examples fail for their own
   * reasons), its twin, sessions to delete, and a team membership for usersListMemberships.
   */
  const prepare = () =>
    (prepared ??= (async () => {
      const ok = async (call: RestCall) => {
        const res = await gw.http(call.method, call.path, call.body);
        if (res.status >= 300) throw new Error(`setup ${call.method} ${call.path}: ${res.status} ${res.text}`);
        return res.body;
      };
      if ((await gw.http('GET', `/v1/users/${values.userId}`)).status === 404) await ok({ method: 'POST', path: '/v1/users', body: { userId: values.userId } });
      await ok({ method: 'POST', path: '/v1/users', body: { userId: twin.userId } });
      const newSession = async (userId: string) => (await ok({ method: 'POST', path: `/v1/users/${userId}/sessions` })).$id as string;
      values.sessionId = await newSession(values.userId);
      await newSession(values.userId); // left for usersDeleteSessions
      twin.sessionId = await newSession(twin.userId);
      await newSession(twin.userId);
      const teamId = `${generation.prefix}-team`;
      await ok({ method: 'POST', path: '/v1/teams', body: { teamId, name: 'Seed team' } });
      for (const userId of [values.userId, twin.userId]) {
        await ok({ method: 'POST', path: `/v1/teams/${teamId}/memberships`, body: { userId, roles: ['member'], url: 'https://example.com/join' } });
      }
    })());

  /** The state an update leaves, read over REST: the prefs for usersUpdatePrefs, else the user. */
  const stateAfter = (example: SeedExample) => get(example.rest.path.endsWith('/prefs') ? `/v1/users/${values.userId}/prefs` : `/v1/users/${values.userId}`);

  /** A repeated update stamps `_updatedAt` anew; every other field must be what GraphQL gave. */
  const withoutUpdatedAt = (result: unknown): unknown => {
    const { data, ...others } = result as Answer; // `errors` may hold matchers: kept as they are
    if (!data) return result;
    const fields = Object.entries(data).map(([key, value]) => {
      if (!value || typeof value !== 'object') return [key, value];
      const { _updatedAt, ...kept } = value as Record<string, unknown>;
      return [key, kept];
    });
    return { ...others, data: Object.fromEntries(fields) };
  };

  /** After a delete example: what it removed is gone over REST too. */
  async function expectDeleted(field: string) {
    if (field === 'usersDeleteSession') {
      const sessions = (await get(`/v1/users/${values.userId}/sessions`)).body.sessions as { $id: string }[];
      expect(sessions.map((s) => s.$id)).not.toContain(values.sessionId);
    } else if (field === 'usersDeleteSessions') {
      expect((await get(`/v1/users/${values.userId}/sessions`)).body.total).toBe(0);
    } else {
      expect((await get(`/v1/users/${values.userId}`)).body?.type).toBe('user_not_found');
    }
  }

  it.each(EXAMPLES)('$field (seed line $line)', async (example) => {
    if (!example.field.startsWith('usersCreate')) await prepare();
    const document = fillExample(example, values);
    const answer = await sdk.run(example.operation, document);

    if (example.field.startsWith('usersCreate')) {
      // Ids and dates differ between two creations: the created user is what REST then reads.
      expect(answer).toEqual(expectedGraphqlResult(document, await get(`/v1/users/${userIdFor(example.field, values)}`)));
    } else if (example.operation === 'query') {
      expect(answer).toEqual(expectedGraphqlResult(document, await rest(restCallOf(example, document))));
    } else if (example.field.startsWith('usersUpdate')) {
      if (!answer.errors) expect(answer).toEqual(expectedGraphqlResult(document, await stateAfter(example)));
      // The same call again over REST: the same answer (or the same refusal), but for the new stamp.
      const again = await rest(restCallOf(example, document));
      expect(withoutUpdatedAt(answer)).toEqual(withoutUpdatedAt(expectedGraphqlResult(document, again)));
    } else {
      // A delete cannot run twice on one target: REST runs the same call on the twin user.
      const onTwin = await rest(restCallOf(example, fillExample(example, twin)));
      expect(answer).toEqual(expectedGraphqlResult(document, onTwin));
      await expectDeleted(example.field);
    }
  });
});
