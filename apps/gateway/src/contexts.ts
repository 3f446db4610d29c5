import { ACCOUNT_CONTEXT } from '@lib/account';
import type { HttpContext } from '@lib/http';
import { TEAMS_CONTEXT } from '@lib/teams';
import { USERS_CONTEXT } from '@lib/users';

/** Every context the gateway serves, one line each: routes, OpenAPI, body limits and error mapping read this list. */
export const CONTEXTS: HttpContext[] = [USERS_CONTEXT, TEAMS_CONTEXT, ACCOUNT_CONTEXT];

export const ALL_ENDPOINTS = CONTEXTS.flatMap((c) => c.endpoints);
export const ALL_RESPONSE_SCHEMAS = Object.assign({}, ...CONTEXTS.map((c) => c.schemas)) as Record<string, unknown>;
export const ALL_BODY_ALLOWANCES = Object.assign({}, ...CONTEXTS.map((c) => c.bodyAllowances));
