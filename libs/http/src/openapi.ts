import type { ParamDef } from '@lib/appwrite';
import type { EndpointDef } from './endpoint';
import { JSON_LINES_TYPE } from './json-lines';

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

/**
 * A default is advertised only when the rule would accept it if sent: `name` falls back to '' when
 * absent, yet an explicit '' fails Text(128), and a schema whose default breaks its own
 * minLength is flagged by OpenAPI linters and misleads generators.
 */
function sendableDefault(p: ParamDef): { default?: unknown } {
  return p.default !== undefined && p.default !== null && p.rule.check(p.default) ? { default: p.default } : {};
}

/** The parameter's type, the limits its rule states, and its default: one schema for query, path and body alike. */
function paramSchema(p: ParamDef): Record<string, unknown> {
  const { items: ruleItems, ...limits } = p.rule.schema ?? {};
  const items = p.openapi.items || ruleItems ? { ...p.openapi.items, ...ruleItems } : undefined;
  const schema: Record<string, unknown> = { type: p.openapi.type, ...limits, ...(items ? { items } : {}), ...sendableDefault(p) };
  // An empty segment never reaches the route, whatever the rule would say of ''.
  if (p.in === 'path' && p.openapi.type === 'string') schema.minLength = Math.max(1, limits.minLength ?? 0);
  return schema;
}

const example = (p: ParamDef) => (p.openapi.example !== undefined ? { example: p.openapi.example } : {});

function parameter(p: ParamDef) {
  return {
    name: p.name,
    in: p.in,
    required: p.required,
    description: p.openapi.description,
    schema: paramSchema(p),
    ...example(p),
    ...(p.openapi.type === 'array' ? { style: 'form', explode: true } : {}),
  };
}

/**
 * An explicit null counts as absent for an optional parameter (validateParams), so it is a valid
 * value; an enum must list it too, or validators refuse it before reading `nullable`.
 */
function bodyProperty(p: ParamDef) {
  const schema = paramSchema(p);
  if (!p.required) {
    schema.nullable = true;
    if (Array.isArray(schema.enum)) schema.enum = [...schema.enum, null];
  }
  return { ...schema, description: p.openapi.description, ...example(p) };
}

function requestBody(bodyParams: ParamDef[]) {
  const required = bodyParams.filter((p) => p.required).map((p) => p.name);
  return {
    required: required.length > 0,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          // OpenAPI 3.0 (JSON Schema draft 4) refuses an empty `required` list.
          ...(required.length ? { required } : {}),
          properties: Object.fromEntries(bodyParams.map((p) => [p.name, bodyProperty(p)])),
        },
      },
    },
  };
}

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
      parameters: e.params.filter((p) => p.in !== 'body').map(parameter),
      responses: {
        [String(e.success.status)]: e.jsonLines?.response
          ? { description: e.jsonLines.response.description, content: { [JSON_LINES_TYPE]: { schema: { type: 'string' } } } }
          : e.success.model
            ? { description: e.summary, content: { 'application/json': { schema: ref(e.success.model) } } }
            : { description: 'No content' },
        default: { description: 'Error', content: { 'application/json': { schema: ref('error') } } },
      },
    };
    if (bodyParams.length) operation.requestBody = requestBody(bodyParams);
    if (e.jsonLines?.request) operation.requestBody = { required: true, description: e.jsonLines.request.description, content: { [JSON_LINES_TYPE]: { schema: { type: 'string' } } } };
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
