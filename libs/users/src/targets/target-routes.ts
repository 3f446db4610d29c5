import { Rules } from '@lib/appwrite';
import { bodyParam, EndpointDef, pathParam } from '@lib/http';
import { userIdPath } from '../user-params';

/** The user's targets: `/v1/users/:userId/targets[/:targetId]` (Appwrite 1.5 messaging targets). */
export const targetIdPath = pathParam('targetId', Rules.UID, 'string', 'Target ID.');
export const identifierBody = (required: boolean) =>
  bodyParam('identifier', Rules.Text(255), 'string', 'The target identifier (token, email, phone etc.)', { required, ...(required ? {} : { default: '' }) });
export const providerIdBody = bodyParam('providerId', Rules.UID, 'string', 'Provider ID. Message will be sent to this target from the specified provider ID. If no provider ID is set the first setup provider will be used.', { default: '' });
export const targetNameBody = bodyParam('name', Rules.Text(128), 'string', 'Target name. Max length: 128 chars. For example: My Awesome App Galaxy S23.', { default: '' });

export const targetRoute = (method: EndpointDef['method'], withId: boolean, sdkMethod: string, summary: string, params: EndpointDef['params'], success: EndpointDef['success']): EndpointDef => ({
  method,
  path: withId ? '/v1/users/:userId/targets/:targetId' : '/v1/users/:userId/targets',
  scope: method === 'GET' ? 'users.read' : 'users.write',
  tag: 'users',
  sdkMethod,
  summary,
  params: [userIdPath, ...(withId ? [targetIdPath] : []), ...params],
  success,
});
