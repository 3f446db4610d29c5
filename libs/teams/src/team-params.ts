import { ArrayList, Rules } from '@lib/appwrite';
import { bodyParam, EndpointDef, pathParam } from '@lib/http';

export const teamIdPath = pathParam('teamId', Rules.UID, 'string', 'Team ID.');
export const membershipIdPath = pathParam('membershipId', Rules.UID, 'string', 'Membership ID.');
export const teamNameBody = (description: string) => bodyParam('name', Rules.Text(128), 'string', description, { required: true, example: '[NAME]' });
/** Appwrite's ArrayList(Key, APP_LIMIT_ARRAY_PARAMS_SIZE). */
export const rolesBody = (description: string, options: { required: boolean; default?: string[] }) =>
  bodyParam('roles', ArrayList(Rules.Key, 100), 'array', description, { ...options, items: { type: 'string' } });

type Route = Omit<EndpointDef, 'scope' | 'tag' | 'method'>;

/** A GET route of the Teams API (scope `teams.read`). */
export const teamsRead = (def: Route): EndpointDef => ({ method: 'GET', scope: 'teams.read', tag: 'teams', ...def });
/** Any other route of the Teams API (scope `teams.write`). */
export const teamsWrite = (method: Exclude<EndpointDef['method'], 'GET'>, def: Route): EndpointDef => ({ method, scope: 'teams.write', tag: 'teams', ...def });
