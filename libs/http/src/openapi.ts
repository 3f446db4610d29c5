import type { EndpointDef, ResponseModelName } from './endpoint';

const str = { type: 'string' };
const date = { type: 'string', description: 'ISO 8601 date, e.g. 2023-05-09T05:19:31.112+00:00, or "" when unset' };
const bool = { type: 'boolean' };
const obj = (properties: Record<string, unknown>) => ({ type: 'object', required: Object.keys(properties), properties });
const strings = (...names: string[]) => Object.fromEntries(names.map((n) => [n, str]));

const SCHEMAS: Record<string, unknown> = {
  user: obj({
    $id: str, $createdAt: date, $updatedAt: date, name: str,
    password: { type: 'string', nullable: true }, hash: str, hashOptions: { type: 'object' },
    registration: date, status: bool, passwordUpdate: date, email: str, phone: str,
    emailVerification: bool, phoneVerification: bool, prefs: { type: 'object' },
  }),
  preferences: { type: 'object', additionalProperties: true },
  session: obj({
    $id: str, $createdAt: date, userId: str, expire: date, provider: str, providerUid: str, providerAccessToken: str,
    providerAccessTokenExpiry: date, providerRefreshToken: str, ip: str,
    ...strings('osCode', 'osName', 'osVersion', 'clientType', 'clientCode', 'clientName', 'clientVersion', 'clientEngine', 'clientEngineVersion', 'deviceName', 'deviceBrand', 'deviceModel', 'countryCode', 'countryName'),
    current: bool,
  }),
  membership: obj({
    $id: str, $createdAt: date, $updatedAt: date, userId: str, userName: str, userEmail: str, teamId: str, teamName: str,
    invited: date, joined: date, confirm: bool, roles: { type: 'array', items: str },
  }),
  log: obj({
    ...strings('event', 'userId', 'userEmail', 'userName', 'mode', 'ip'), time: date,
    ...strings('osCode', 'osName', 'osVersion', 'clientType', 'clientCode', 'clientName', 'clientVersion', 'clientEngine', 'clientEngineVersion', 'deviceName', 'deviceBrand', 'deviceModel', 'countryCode', 'countryName'),
  }),
  error: obj({ message: str, code: { type: 'integer' }, type: str, version: str }),
};
const list = (key: string, item: string) => obj({ total: { type: 'integer' }, [key]: { type: 'array', items: { $ref: `#/components/schemas/${item}` } } });
Object.assign(SCHEMAS, {
  userList: list('users', 'user'),
  sessionList: list('sessions', 'session'),
  membershipList: list('memberships', 'membership'),
  logList: list('logs', 'log'),
});

const ref = (model: ResponseModelName | 'error') => ({ $ref: `#/components/schemas/${model}` });

/** The OpenAPI 3 document, built from the same endpoint declarations that drive routing and validation. */
export function buildOpenApi(endpoints: EndpointDef[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const path = e.path.replace(/:(\w+)/g, '{$1}');
    const bodyParams = e.params.filter((p) => p.in === 'body');
    const operation: Record<string, unknown> = {
      operationId: e.sdkMethod,
      summary: e.summary,
      tags: ['users'],
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
      schemas: SCHEMAS,
      securitySchemes: {
        Project: { type: 'apiKey', name: 'X-Appwrite-Project', in: 'header' },
        Key: { type: 'apiKey', name: 'X-Appwrite-Key', in: 'header' },
      },
    },
  };
}
