import { AppwriteException } from '@lib/appwrite';
import { BodyAllowances, ErrorMapper, schema } from '@lib/http';
import { USERS_BODY_ALLOWANCES, USERS_RESPONSE_SCHEMAS } from '@lib/users';
import { LoginRefusedError } from './create-email-session/email-login';

/** A refused login carries Appwrite's error type (`user_invalid_credentials`, `user_blocked`); its cause is only logged. */
export const accountErrorMapper: ErrorMapper = (error) => (error instanceof LoginRefusedError ? new AppwriteException(error.type) : null);

const { obj } = schema;
const userProperties = (USERS_RESPONSE_SCHEMAS.user as { properties: Record<string, unknown> }).properties;

/** The Account model: the newest User model without password, hash and hashOptions, as an OpenAPI schema. */
export const ACCOUNT_RESPONSE_SCHEMAS: Record<string, unknown> = {
  account: obj(Object.fromEntries(Object.entries(userProperties).filter(([key]) => !['password', 'hash', 'hashOptions'].includes(key)))),
};

/** Body parameters of the Account routes: the same email and password as the Users API takes. */
export const ACCOUNT_BODY_ALLOWANCES: BodyAllowances = { email: USERS_BODY_ALLOWANCES.email, password: USERS_BODY_ALLOWANCES.password };
