import { ArrayList, Rules } from '@lib/appwrite';
import type { EndpointDef } from './endpoint-def';
import { buildOpenApi } from './openapi';
import { bodyParam, pathParam, queryParam } from './param-builders';

const endpoint = (over: Partial<EndpointDef>): EndpointDef => ({
  method: 'POST',
  path: '/v1/things/:thingId',
  scope: 'things.write',
  sdkMethod: 'things.create',
  summary: 'Create Thing',
  params: [],
  success: { status: 201, model: 'thing' },
  tag: 'things',
  ...over,
});

type Operation = {
  description?: string;
  responses: Record<string, { description: string; headers?: Record<string, { description: string; schema: Record<string, unknown> }> }>;
  parameters: Array<{ name: string; required: boolean; schema: Record<string, unknown>; example?: unknown }>;
  requestBody?: { required: boolean; content: { 'application/json': { schema: { required?: string[]; properties: Record<string, Record<string, unknown>> } } } };
};

const operationOf = (e: EndpointDef): Operation => {
  const doc = buildOpenApi([e], {}, '1.3.8') as unknown as { paths: Record<string, Record<string, Operation>> };
  return doc.paths[e.path.replace(/:(\w+)/g, '{$1}')][e.method.toLowerCase()];
};

describe('buildOpenApi parameter schemas', () => {
  it('merges the rule fragment into path, query and body schemas alike', () => {
    const op = operationOf(
      endpoint({
        params: [
          pathParam('thingId', Rules.UID, 'string', 'Thing ID.'),
          queryParam('search', Rules.Text(256), 'string', 'Search.'),
          bodyParam('name', Rules.Text(128), 'string', 'Name.', { required: true, example: '[NAME]' }),
        ],
      }),
    );
    expect(op.parameters.find((p) => p.name === 'search')!.schema).toEqual({ type: 'string', minLength: 1, maxLength: 256 });
    expect(op.requestBody!.content['application/json'].schema.properties.name).toEqual({ type: 'string', minLength: 1, maxLength: 128, description: 'Name.', example: '[NAME]' });
  });

  it('keeps path segments non-empty though the UID rule accepts ""', () => {
    const op = operationOf(endpoint({ params: [pathParam('thingId', Rules.UID, 'string', 'Thing ID.')] }));
    expect(op.parameters[0]).toMatchObject({ required: true, schema: { type: 'string', minLength: 1, maxLength: 36, pattern: Rules.UID.schema!.pattern } });
  });

  it('gives array items both the declared type and the element rule', () => {
    const op = operationOf(endpoint({ params: [bodyParam('roles', ArrayList(Rules.Key, 100), 'array', 'Roles.', { required: true, items: { type: 'string' } })] }));
    expect(op.requestBody!.content['application/json'].schema.properties.roles).toEqual({
      type: 'array',
      maxItems: 100,
      items: { type: 'string', maxLength: 36, pattern: Rules.Key.schema!.pattern },
      description: 'Roles.',
    });
  });

  it('advertises a default only when the rule would accept it sent', () => {
    const op = operationOf(
      endpoint({
        params: [
          bodyParam('length', Rules.Range(4, 128), 'integer', 'Length.', { default: 6 }),
          bodyParam('name', Rules.Text(128), 'string', 'Name.', { default: '' }),
          bodyParam('sessionId', Rules.UID, 'string', 'Session.', { default: '' }),
          bodyParam('email', Rules.Email, 'string', 'Email.', { default: null }),
          bodyParam('roles', ArrayList(Rules.Key), 'array', 'Roles.', { default: [], items: { type: 'string' } }),
        ],
      }),
    );
    const properties = op.requestBody!.content['application/json'].schema.properties;
    expect(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, v.default]))).toEqual({ length: 6, name: undefined, sessionId: '', email: undefined, roles: [] });
    expect(properties.length).toMatchObject({ type: 'integer', minimum: 4, maximum: 128 });
  });

  it('lists required body properties, and leaves out an empty list', () => {
    const some = operationOf(endpoint({ params: [bodyParam('a', Rules.Key, 'string', 'A.', { required: true }), bodyParam('b', Rules.Key, 'string', 'B.')] }));
    expect(some.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { required: ['a'] } } } });
    const none = operationOf(endpoint({ params: [bodyParam('b', Rules.Key, 'string', 'B.')] }));
    expect(none.requestBody!.required).toBe(false);
    expect(none.requestBody!.content['application/json'].schema).not.toHaveProperty('required');
  });

  it('lets optional body properties be null, which counts as absent', () => {
    const op = operationOf(
      endpoint({
        params: [
          bodyParam('name', Rules.Text(128), 'string', 'Name.', { required: true }),
          bodyParam('phone', Rules.Phone, 'string', 'Phone.', { default: null }),
          bodyParam('version', Rules.WhiteList(['sha1', 'sha256']), 'string', 'Version.', { default: '' }),
        ],
      }),
    );
    const properties = op.requestBody!.content['application/json'].schema.properties;
    expect([properties.name.nullable, properties.phone.nullable]).toEqual([undefined, true]);
    expect(properties.version).toMatchObject({ nullable: true, enum: ['sha1', 'sha256', null] });
  });

  it('states only the type of a rule without a fragment', () => {
    const op = operationOf(endpoint({ params: [bodyParam('status', Rules.BooleanLoose, 'boolean', 'Status.', { required: true })] }));
    expect(op.requestBody!.content['application/json'].schema.properties.status).toEqual({ type: 'boolean', description: 'Status.' });
  });
});

describe('buildOpenApi responses', () => {
  it('describes the headers an answer declares, and the route beyond its summary', () => {
    const op = operationOf(endpoint({ method: 'GET', description: 'Why and how.', success: { status: 200, model: 'thing', headers: { ETag: 'The version shown.' } } }));
    expect(op.description).toBe('Why and how.');
    expect(op.responses['200'].headers).toEqual({ ETag: { description: 'The version shown.', schema: { type: 'string' } } });
  });

  it('adds Idempotent-Replayed to the declared headers of a write', () => {
    const op = operationOf(endpoint({ success: { status: 201, model: 'thing', headers: { ETag: 'The version shown.' } } }));
    expect(Object.keys(op.responses['201'].headers ?? {})).toEqual(['ETag', 'Idempotent-Replayed']);
  });

  it('states no headers, and no description, where none are declared', () => {
    const op = operationOf(endpoint({ method: 'GET', success: { status: 204, model: null } }));
    expect(op).not.toHaveProperty('description');
    expect(op.responses['204']).toEqual({ description: 'No content' });
  });
});
