import type { EndpointDef } from './endpoint';

/** Short forms for the response schemas each context registers. */
export const schema = {
  str: { type: 'string' },
  date: { type: 'string', description: 'ISO 8601 date, e.g. 2023-05-09T05:19:31.112+00:00, or "" when unset' },
  bool: { type: 'boolean' },
  int: { type: 'integer' },
  obj: (properties: Record<string, unknown>) => ({ type: 'object', required: Object.keys(properties), properties }),
  strings: (...names: string[]) => Object.fromEntries(names.map((n) => [n, { type: 'string' }])),
  list: (key: string, item: string) => ({
    type: 'object',
    required: ['total', key],
    properties: { total: { type: 'integer' }, [key]: { type: 'array', items: { $ref: `#/components/schemas/${item}` } } },
  }),
};

const ERROR_SCHEMA = schema.obj({ message: schema.str, code: schema.int, type: schema.str, version: schema.str });

const ref = (model: string) => ({ $ref: `#/components/schemas/${model}` });

/** The OpenAPI 3 document, built from the same endpoint declarations that drive routing and validation. */
export function buildOpenApi(endpoints: EndpointDef[], schemas: Record<string, unknown>, version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const path = e.path.replace(/:(\w+)/g, '{$1}');
    const bodyParams = e.params.filter((p) => p.in === 'body');
    const operation: Record<string, unknown> = {
      operationId: e.sdkMethod,
      summary: e.summary,
      tags: [e.tag],
      security: [{ Project: [], Key: [] }],
      'x-appwrite': { scope: e.scope, method: e.sdkMethod.split('.')[1] },
      parameters: e.params
        .filter((p) => p.in !== 'body')
        .map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required,
          description: p.openapi.description,
          schema: { type: p.openapi.type, ...(p.openapi.items ? { items: p.openapi.items } : {}), ...(p.default !== undefined && p.default !== null && p.openapi.type !== 'array' ? { default: p.default } : {}) },
          ...(p.openapi.type === 'array' ? { style: 'form', explode: true } : {}),
        })),
      responses: {
        [String(e.success.status)]: e.success.model
          ? { description: e.summary, content: { 'application/json': { schema: ref(e.success.model) } } }
          : { description: 'No content' },
        default: { description: 'Error', content: { 'application/json': { schema: ref('error') } } },
      },
    };
    if (bodyParams.length) {
      operation.requestBody = {
        required: bodyParams.some((p) => p.required),
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: bodyParams.filter((p) => p.required).map((p) => p.name),
              properties: Object.fromEntries(
                bodyParams.map((p) => [p.name, { type: p.openapi.type, description: p.openapi.description, ...(p.openapi.example !== undefined ? { example: p.openapi.example } : {}) }]),
              ),
            },
          },
        },
      };
    }
    (paths[path] ??= {})[e.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Users API (Appwrite-compatible)', version, description: 'Event-sourced re-implementation of the Appwrite Users API.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { ...schemas, error: ERROR_SCHEMA },
      securitySchemes: {
        Project: { type: 'apiKey', name: 'X-Appwrite-Project', in: 'header' },
        Key: { type: 'apiKey', name: 'X-Appwrite-Key', in: 'header' },
      },
    },
  };
}
