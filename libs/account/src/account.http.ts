import { AppwriteException } from '@lib/appwrite';
import { BodyAllowances, ErrorMapper, schema } from '@lib/http';
import { USERS_BODY_ALLOWANCES } from '@lib/users';
import { LoginRefusedError } from './create-email-session/email-login';

/** A refused login carries Appwrite's error type (`user_invalid_credentials`, `user_blocked`); its cause is only logged. */
export const accountErrorMapper: ErrorMapper = (error) => (error instanceof LoginRefusedError ? new AppwriteException(error.type) : null);

const { str, date, bool, obj } = schema;

/** The Account model (Appwrite 1.3: the User model without password, hash and hashOptions), as an OpenAPI schema. */
export const ACCOUNT_RESPONSE_SCHEMAS: Record<string, unknown> = {
  account: obj({
    $id: str, $createdAt: date, $updatedAt: date, name: str, registration: date, status: bool, passwordUpdate: date,
    email: str, phone: str, emailVerification: bool, phoneVerification: bool, prefs: { type: 'object' },
  }),
};

/** Body parameters of the Account routes: the same email and password as the Users API takes. */
export const ACCOUNT_BODY_ALLOWANCES: BodyAllowances = { email: USERS_BODY_ALLOWANCES.email, password: USERS_BODY_ALLOWANCES.password };
