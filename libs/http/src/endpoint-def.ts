import type { ParamDef } from '@lib/appwrite';

/**
 * One endpoint, declared once: the route, the auth scope, the ordered parameter rules and the
 * response. The controller, the validation and the OpenAPI document all read this same object.
 */
export interface EndpointDef {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Full path, Fastify/Nest style: `/v1/users/:userId`. */
  path: string;
  /** The API-key scope the route needs (`users.read`, `teams.write`, …), registered by its context. */
  scope: string;
  /** SDK method name (`users.create`), also the OpenAPI operationId. */
  sdkMethod: string;
  summary: string;
  /** What the OpenAPI document says of the route beyond its summary (routes of our own, not Appwrite's). */
  description?: string;
  params: ParamDef[];
  /**
   * Response status, the name of the response model (an OpenAPI schema its context registers),
   * and the headers the answer carries (name → description; the values come with the answer,
   * see AnswerWithHeaders).
   */
  success: { status: 200 | 201 | 204; model: string | null; headers?: Readonly<Record<string, string>> };
  /** OpenAPI tag (the Appwrite service: users, teams, …). */
  tag: string;
  /**
   * A body or an answer of JSON lines (`application/x-ndjson`, one JSON value per line) instead
   * of one JSON object: how large the body may be, and what OpenAPI says the lines are. GraphQL
   * has no field for such a route: a field's arguments and answer are single JSON values.
   */
  jsonLines?: { request?: { maxBytes: number; description: string }; response?: { description: string } };
}
