import { AppwriteException, Client, ID, Query, Users } from 'node-appwrite-latest';
import { startTestStack, TEST_KEY, TEST_PROJECT, TestStack } from '../support/test-stack';

/** The newest node-appwrite: JSON query syntax, `queries[0]=` encoding, object-style parameters. */
let gw: TestStack;
let users: Users;
beforeAll(async () => {
  gw = await startTestStack();
  users = new Users(new Client().setEndpoint(gw.endpoint).setProject(TEST_PROJECT).setKey(TEST_KEY));
});
afterAll(() => gw.close());

describe('newest node-appwrite against the gateway', () => {
  it('creates, reads, filters with JSON queries, updates and deletes', async () => {
    const ann = await users.create({ userId: ID.unique(), email: 'Ann@Latest.io', password: 'password-123', name: 'Ann' });
    expect(ann.email).toBe('ann@latest.io');
    await users.create('bob-latest', 'bob@latest.io', '+15551110000', undefined, 'Bob');
    await users.createBcryptUser({ userId: 'carl-latest', email: 'carl@latest.io', password: '$2a$12$3f2ZaARQ1AmhtQWx2nmQpuXcWfTj1YV2/Hl54e8uKxIzJe3IfwLiu', name: 'Carl' });
    expect((await users.get({ userId: 'bob-latest' })).phone).toBe('+15551110000');

    const latest = Query.endsWith('email', '@latest.io');
    const all = await users.list({ queries: [latest, Query.orderDesc('name')] });
    expect(all.total).toBe(3);
    expect(all.users.map((u) => u.name)).toEqual(['Carl', 'Bob', 'Ann']);
    const either = await users.list([latest, Query.or([Query.equal('name', 'ann'), Query.contains('email', 'carl')])]);
    expect(either.users.map((u) => u.name).sort()).toEqual(['Ann', 'Carl']);
    const selected = await users.list([latest, Query.select(['name']), Query.limit(1)]);
    expect(selected.users[0]).toMatchObject({ name: 'Ann', email: '' });
    expect((await users.list([latest, Query.isNotNull('phone')])).users.map((u) => u.$id)).toEqual(['bob-latest']);
    expect((await users.list({ search: 'carl' })).users.map((u) => u.$id)).toContain('carl-latest');

    expect((await users.updateStatus({ userId: 'bob-latest', status: false })).status).toBe(false);
    expect(await users.updatePrefs({ userId: 'bob-latest', prefs: { lang: 'fr' } })).toEqual({ lang: 'fr' });
    await users.delete({ userId: 'bob-latest' });
    try {
      await users.get('bob-latest');
      throw new Error('expected 404');
    } catch (err) {
      expect(err).toBeInstanceOf(AppwriteException);
      expect([(err as AppwriteException).code, (err as AppwriteException).type]).toEqual([404, 'user_not_found']);
    }
  });

  it('reports query errors with Appwrite types', async () => {
    try {
      await users.list([Query.equal('status', 'true')]);
      throw new Error('expected 400');
    } catch (err) {
      expect([(err as AppwriteException).code, (err as AppwriteException).type, (err as AppwriteException).message]).toEqual([
        400,
        'general_argument_invalid',
        'Invalid queries: Query not valid: Query type does not match expected: boolean',
      ]);
    }
  });
});
