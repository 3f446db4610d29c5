/**
 * The served document states the validation limits of the real endpoints, so schema-driven
 * clients and fuzzers send values that pass.
 */
import { buildOpenApi } from '@lib/http';
import { ALL_ENDPOINTS, ALL_RESPONSE_SCHEMAS, ALL_VERSIONED_RESOURCES } from './contexts';

type Schema = Record<string, unknown> & { required?: string[]; properties?: Record<string, Schema>; items?: Schema };
interface Operation {
  operationId: string;
  parameters: Array<{ name: string; in: string; required: boolean; schema: Schema; example?: unknown }>;
  requestBody?: { required: boolean; description?: string; content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}

const doc = buildOpenApi(ALL_ENDPOINTS, ALL_RESPONSE_SCHEMAS, '1.3.8') as unknown as { paths: Record<string, Record<string, Operation>> };
const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
const operation = (id: string) => operations.find((o) => o.operationId === id)!;
const body = (id: string) => operation(id).requestBody!.content['application/json'].schema;
const param = (id: string, name: string) => operation(id).parameters.find((p) => p.name === name)!;

const KEY_PATTERN = '^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,35})?$';

describe('GET /v1/openapi.json: validation limits', () => {
  it('users.create: userId, email, phone, password and name as their rules accept them', () => {
    const b = body('users.create');
    expect(b.required).toEqual(['userId']);
    expect(b.properties!.userId).toMatchObject({ type: 'string', maxLength: 36, pattern: '^(?:unique\\(\\)|[A-Za-z0-9][A-Za-z0-9._-]{0,35})?$', example: 'unique()' });
    expect(b.properties!.email).toMatchObject({ type: 'string', format: 'email', maxLength: 254 });
    expect(b.properties!.phone).toMatchObject({ type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$', maxLength: 16 });
    expect(b.properties!.password).toMatchObject({ type: 'string', minLength: 8 });
    expect(b.properties!.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 128 });
  });

  it('path IDs: non-empty Keys of at most 36 characters', () => {
    expect(param('users.get', 'userId')).toMatchObject({ in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 36, pattern: KEY_PATTERN } });
  });

  it('lists: search is Text(256)', () => {
    expect(param('users.list', 'search').schema).toMatchObject({ type: 'string', minLength: 1, maxLength: 256 });
    expect(param('users.list', 'queries')).toMatchObject({ in: 'query', required: false, style: 'form', explode: true, schema: { type: 'array', items: { type: 'string' } } });
  });

  it('arrays, integers, enums and objects', () => {
    expect(body('teams.createMembership').properties!.roles).toMatchObject({ type: 'array', maxItems: 100, items: { type: 'string', maxLength: 36, pattern: KEY_PATTERN } });
    expect(body('users.createToken').properties!.length).toMatchObject({ type: 'integer', minimum: 4, maximum: 128, default: 6 });
    expect(body('users.createJWT').properties!.duration).toMatchObject({ type: 'integer', minimum: 0, maximum: 3600 });
    expect(body('users.createScryptUser').properties!.passwordCpu).toMatchObject({ type: 'integer', format: 'int64' });
    expect(body('users.createSHAUser').properties!.passwordVersion).toMatchObject({ type: 'string', enum: expect.arrayContaining(['sha1', 'sha512/224', 'sha3-512']) });
    expect(body('users.updatePrefs').properties!.prefs).toMatchObject({ type: 'object', not: { required: ['0'] } });
    expect(body('users.updateStatus').properties!.status).toEqual(expect.objectContaining({ type: 'boolean' }));
  });

  it('every default and example is a value its rule accepts', () => {
    const offered = ALL_ENDPOINTS.flatMap((e) => {
      const op = operation(e.sdkMethod);
      return e.params.flatMap((p) => {
        const schema = p.in === 'body' ? op.requestBody!.content['application/json'].schema.properties![p.name] : op.parameters.find((x) => x.name === p.name)!.schema;
        const example = p.in === 'body' ? schema.example : op.parameters.find((x) => x.name === p.name)!.example;
        return [schema.default, example].filter((v) => v !== undefined).map((v) => ({ at: `${e.sdkMethod} ${p.name}`, v, ok: p.rule.check(v) }));
      });
    });
    expect(offered.length).toBeGreaterThan(5);
    expect(offered.filter((o) => !o.ok)).toEqual([]);
  });

  it('every array has items, and no required list is empty', () => {
    const schemas = operations.flatMap((o) => [...o.parameters.map((p) => p.schema), ...Object.values(o.requestBody?.content['application/json']?.schema.properties ?? {})]);
    expect(schemas.filter((s) => s.type === 'array' && !s.items)).toEqual([]);
    expect(operations.filter((o) => o.requestBody?.content['application/json']?.schema.required?.length === 0).map((o) => o.operationId)).toEqual([]);
  });

  it('bulk moves: the import takes JSON lines and answers a JSON model, the export answers JSON lines', () => {
    const importUsers = operation('users.importUsers');
    expect(Object.keys(importUsers.requestBody!.content)).toEqual(['application/x-ndjson']);
    expect(importUsers.requestBody).toMatchObject({ required: true, description: expect.stringContaining('10000 users') });
    expect(importUsers.responses['200'].content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/userImport' });
    const exportUsers = operation('users.exportUsers');
    expect(exportUsers.requestBody).toBeUndefined();
    expect(Object.keys(exportUsers.responses['200'].content!)).toEqual(['application/x-ndjson']);
    expect(exportUsers.responses['200'].description).toContain('"$position"');
    expect((doc as unknown as { paths: Record<string, Record<string, { 'x-appwrite': { scope: string } }>> }).paths['/v1/users/export'].get['x-appwrite'].scope).toBe('users.export');
  });

  it('describes the history, the time travel and the ETag of every answer that is one user', () => {
    const ops = doc.paths as unknown as Record<string, Record<string, { description?: string; parameters: Array<{ name: string; schema: Schema }>; responses: Record<string, { headers?: Record<string, unknown>; content?: unknown }> }>>;
    const history = ops['/v1/users/{userId}/events'].get;
    expect(history.description).toMatch(/oldest first/);
    expect(history.responses['200'].content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/userEventList' } } });
    const get = ops['/v1/users/{userId}'].get;
    expect(get.parameters.map((p) => [p.name, p.schema.type])).toEqual([['userId', 'string'], ['at', 'string'], ['revision', 'integer']]);
    expect(param('users.get', 'revision').schema).toMatchObject({ minimum: 0 });
    for (const e of ALL_ENDPOINTS.filter((x) => x.success.model === 'user')) {
      const answer = ops[e.path.replace(/:(\w+)/g, '{$1}')][e.method.toLowerCase()].responses[String(e.success.status)];
      expect([e.sdkMethod, Object.keys(answer.headers ?? {})]).toEqual([e.sdkMethod, e.method === 'GET' ? ['ETag'] : ['ETag', 'Idempotent-Replayed']]);
    }
  });

  it('names every model it refers to, and has every Users route of Appwrite 1.9.6', () => {
    const text = JSON.stringify(buildOpenApi(ALL_ENDPOINTS, ALL_RESPONSE_SCHEMAS, '1.9.6'));
    const refs = [...new Set([...text.matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]))];
    expect(refs.filter((r) => !(r in ALL_RESPONSE_SCHEMAS) && r !== 'error')).toEqual([]);
    const users = operations.map((o) => o.operationId).filter((id) => id.startsWith('users.'));
    // users-latest.md §1 and the 25 routes of 1.3 (hash imports included).
    expect(users).toEqual(expect.arrayContaining([
      'users.updateLabels', 'users.listIdentities', 'users.deleteIdentity', 'users.updateMfa', 'users.listMfaFactors', 'users.getMfaRecoveryCodes',
      'users.createMfaRecoveryCodes', 'users.updateMfaRecoveryCodes', 'users.deleteMfaAuthenticator', 'users.createSession', 'users.createToken',
      'users.listTargets', 'users.createTarget', 'users.getTarget', 'users.updateTarget', 'users.deleteTarget', 'users.createJWT', 'users.updateImpersonator',
      'users.listPasskeys', 'users.getPasskey', 'users.updatePasskey', 'users.deletePasskey', 'users.getMfaChallenge',
    ]));
    expect(users.length).toBeGreaterThanOrEqual(25 + 23);
  });
});

describe('GET /v1/openapi.json: safe concurrent edits and retries', () => {
  type Documented = { parameters: Array<{ name: string; in: string }>; responses: Record<string, { headers?: Record<string, unknown>; description: string }> };
  const served = buildOpenApi(ALL_ENDPOINTS, ALL_RESPONSE_SCHEMAS, '1.9.6', ALL_VERSIONED_RESOURCES) as unknown as { paths: Record<string, Record<string, Documented>> };
  const all = Object.entries(served.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  const headers = (op: Documented) => op.parameters.filter((p) => p.in === 'header').map((p) => p.name);

  it('every write takes Idempotency-Key and names its 409 and 422 answers and the Idempotent-Replayed header; reads do not', () => {
    const writes = all.filter((o) => o.method !== 'get');
    expect(writes.length).toBeGreaterThan(40);
    for (const { path, method, op } of writes) {
      expect([path, method, headers(op).includes('Idempotency-Key'), '409' in op.responses, '422' in op.responses]).toEqual([path, method, true, true, true]);
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'))![1];
      expect(success.headers).toHaveProperty('Idempotent-Replayed');
    }
    for (const { op } of all.filter((o) => o.method === 'get')) expect(headers(op)).not.toContain('Idempotency-Key');
    expect(all.find((o) => o.path === '/v1/graphql' && o.method === 'post')!.op.responses).toHaveProperty('422');
  });

  it('every write under /v1/users/{userId} takes If-Match and names its 412; other routes do not', () => {
    for (const { path, method, op } of all) {
      const underUser = method !== 'get' && path.startsWith('/v1/users/{userId}');
      expect([path, method, headers(op).includes('If-Match'), '412' in op.responses]).toEqual([path, method, underUser, underUser]);
    }
    expect(all.filter((o) => headers(o.op).includes('If-Match')).map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['patch /v1/users/{userId}/name', 'delete /v1/users/{userId}', 'put /v1/users/{userId}/labels', 'post /v1/users/{userId}/targets', 'patch /v1/users/{userId}/mfa']),
    );
  });
});
