import type { ParamDef } from '@lib/appwrite';
import type { EndpointDef } from './endpoint';
import { VersionedResource, versionedResourceOf } from './safe-writes';
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

const errorAnswer = (description: string) => ({ description, content: { 'application/json': { schema: ref('error') } } });

/** Every write takes an idempotency key (see README "Safe concurrent edits and retries"). */
const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the request safe to retry: the same key with the same request within 24 hours gets the first answer again (with `Idempotent-Replayed: true`) and writes nothing. Keys are per project; use a random one (a UUID) per request.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' },
};
const IDEMPOTENCY_ANSWERS = {
  '409': errorAnswer('`idempotency_key_in_use`: a request with the same key is still running; or `idempotency_answer_lost`: it was carried out but its answer was lost in a crash'),
  '422': errorAnswer('`idempotency_key_mismatch`: the key was used for another request'),
};
const REPLAYED_HEADER = { 'Idempotent-Replayed': { description: '`true` when this is the first answer to the same request with the same Idempotency-Key, given again', schema: { type: 'string', enum: ['true'] } } };

/** A write on a versioned resource takes its version (the ETag of its answers). */
const IF_MATCH_PARAMETER = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'Writes only if the resource is still at this version: its ETag (`"3"`, also `W/"3"`, a list of them, or `*` for any). Otherwise 412 and nothing is written.',
  schema: { type: 'string' },
};

/** The success answer's headers: those the endpoint declares (an ETag), and on writes Idempotent-Replayed. */
function responseHeaders(e: EndpointDef, writes: boolean) {
  const declared = Object.fromEntries(Object.entries(e.success.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: 'string' } }]));
  const headers = { ...declared, ...(writes ? REPLAYED_HEADER : {}) };
  return Object.keys(headers).length ? { headers } : {};
}

/** The OpenAPI 3 document, built from the same endpoint declarations that drive routing and validation. */
export function buildOpenApi(endpoints: EndpointDef[], schemas: Record<string, unknown>, version: string, versionedResources: readonly VersionedResource[] = []) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const path = e.path.replace(/:(\w+)/g, '{$1}');
    const bodyParams = e.params.filter((p) => p.in === 'body');
    const writes = e.method !== 'GET';
    const versioned = versionedResourceOf(e, versionedResources) !== undefined;
    const operation: Record<string, unknown> = {
      operationId: e.sdkMethod,
      summary: e.summary,
      ...(e.description ? { description: e.description } : {}),
      tags: [e.tag],
      security: [{ Project: [], Key: [] }],
      'x-appwrite': { scope: e.scope, method: e.sdkMethod.split('.')[1] },
      parameters: [...e.params.filter((p) => p.in !== 'body').map(parameter), ...(writes ? [IDEMPOTENCY_KEY_PARAMETER] : []), ...(versioned ? [IF_MATCH_PARAMETER] : [])],
      responses: {
        [String(e.success.status)]: e.jsonLines?.response
          ? { description: e.jsonLines.response.description, content: { [JSON_LINES_TYPE]: { schema: { type: 'string' } } }, ...responseHeaders(e, writes) }
          : {
              ...(e.success.model ? { description: e.summary, content: { 'application/json': { schema: ref(e.success.model) } } } : { description: 'No content' }),
              ...responseHeaders(e, writes),
            },
        ...(writes ? IDEMPOTENCY_ANSWERS : {}),
        ...(versioned ? { '412': errorAnswer('`user_version_mismatch`: the resource is no longer at the version given in If-Match; nothing was written') } : {}),
        default: errorAnswer('Error'),
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
