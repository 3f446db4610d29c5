/** The Account context: email/password sessions, the current account, and session/JWT authentication. */
export { AccountModule, ACCOUNT_ENDPOINTS, ACCOUNT_SLICES } from './account.module';
export { accountErrorMapper, ACCOUNT_BODY_ALLOWANCES, ACCOUNT_RESPONSE_SCHEMAS } from './account.http';
export { AccountSessionResolver } from './account-session-resolver';
export { encodeSession, decodeSession, hashSessionSecret } from './session-secret';
export { sessionCookieName } from './session-cookies';
export { LOGIN_ABUSE_LIMIT, LOGIN_ABUSE_WINDOW_SECONDS } from './login-rate-limit';
export { SESSION_LENGTH_SECONDS } from './create-email-session/email-login';

import type { HttpContext } from '@lib/http';
import { accountErrorMapper, ACCOUNT_BODY_ALLOWANCES, ACCOUNT_RESPONSE_SCHEMAS } from './account.http';
import { ACCOUNT_ENDPOINTS, AccountModule } from './account.module';

/** The Account context as the gateway mounts it. */
export const ACCOUNT_CONTEXT: HttpContext = { name: 'account', module: AccountModule, endpoints: ACCOUNT_ENDPOINTS, schemas: ACCOUNT_RESPONSE_SCHEMAS, bodyAllowances: ACCOUNT_BODY_ALLOWANCES, errorMapper: accountErrorMapper };
