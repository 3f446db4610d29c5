import type { ParamDef } from '@lib/appwrite';
import type { EndpointDef } from '@lib/http';
import { userSuccess } from './user-answer';
import { userIdPath } from './user-params';

/** The PATCH routes share their shape: the user in the path, one required body param. */
export const userPatchEndpoint = (path: string, sdkMethod: string, summary: string, param: ParamDef, model: 'user' | 'preferences' = 'user'): EndpointDef => ({
  method: 'PATCH',
  path: `/v1/users/:userId${path}`,
  scope: 'users.write',
  tag: 'users',
  sdkMethod,
  summary,
  params: [userIdPath, { ...param, required: true }],
  success: model === 'user' ? userSuccess(200) : { status: 200, model },
});
