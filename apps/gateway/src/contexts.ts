import { ACCOUNT_CONTEXT } from '@lib/account';
import { GRAPHQL_BODY_ALLOWANCES, GRAPHQL_ENDPOINTS, GraphqlLimits, GraphqlModule } from '@lib/graphql';
import type { HttpContext } from '@lib/http';
import { TEAMS_CONTEXT } from '@lib/teams';
import { USERS_CONTEXT } from '@lib/users';

/** Every context the gateway serves, one line each: routes, OpenAPI, body limits and error mapping read this list. */
export const CONTEXTS: HttpContext[] = [USERS_CONTEXT, TEAMS_CONTEXT, ACCOUNT_CONTEXT];

const REST_ENDPOINTS = CONTEXTS.flatMap((c) => c.endpoints);
const REST_RESPONSE_SCHEMAS = Object.assign({}, ...CONTEXTS.map((c) => c.schemas)) as Record<string, unknown>;

export const ALL_ENDPOINTS = [...REST_ENDPOINTS, ...GRAPHQL_ENDPOINTS];
export const ALL_RESPONSE_SCHEMAS: Record<string, unknown> = { ...REST_RESPONSE_SCHEMAS, any: { type: 'object', additionalProperties: true } };
export const ALL_BODY_ALLOWANCES = Object.assign({}, ...CONTEXTS.map((c) => c.bodyAllowances), GRAPHQL_BODY_ALLOWANCES);
/** The resources whose writes honour If-Match, of every context. */
export const ALL_VERSIONED_RESOURCES = CONTEXTS.flatMap((c) => c.versionedResources ?? []);

/** GraphQL over every REST route of every context: a route added to a context is a GraphQL field too. */
export const graphqlModule = (limits: GraphqlLimits) => GraphqlModule.register({ routes: REST_ENDPOINTS, models: REST_RESPONSE_SCHEMAS, limits });
