import type { EndpointDef } from '../../http/src/endpoint';
import * as Create from './create-user/create-user.endpoints';
import { DELETE_USER } from './delete-user/delete-user';
import { LIST_USERS } from './list-users/list-users.controller';
import { DELETE_USER_SESSION, DELETE_USER_SESSIONS, LIST_USER_SESSIONS } from './sessions/sessions';
import * as Update from './update-user/update-user.controller';
import { GET_USER, GET_USER_PREFS, LIST_USER_LOGS, LIST_USER_MEMBERSHIPS } from './user-details/user-details.controller';

/** The 25 endpoints of the Users API, in the order of Appwrite's reference page. */
export const USERS_ENDPOINTS: EndpointDef[] = [
  Create.CREATE_USER,
  Create.CREATE_BCRYPT_USER,
  Create.CREATE_MD5_USER,
  Create.CREATE_ARGON2_USER,
  Create.CREATE_SHA_USER,
  Create.CREATE_PHPASS_USER,
  Create.CREATE_SCRYPT_USER,
  Create.CREATE_SCRYPT_MODIFIED_USER,
  LIST_USERS,
  GET_USER,
  GET_USER_PREFS,
  LIST_USER_SESSIONS,
  LIST_USER_MEMBERSHIPS,
  LIST_USER_LOGS,
  Update.UPDATE_STATUS,
  Update.UPDATE_PHONE_VERIFICATION,
  Update.UPDATE_NAME,
  Update.UPDATE_PASSWORD,
  Update.UPDATE_EMAIL,
  Update.UPDATE_PHONE,
  Update.UPDATE_EMAIL_VERIFICATION,
  Update.UPDATE_PREFS,
  DELETE_USER_SESSION,
  DELETE_USER_SESSIONS,
  DELETE_USER,
];
