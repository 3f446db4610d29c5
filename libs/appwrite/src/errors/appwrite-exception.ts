/**
 * Appwrite's error model: every failure the API reports carries a machine-readable `type`, an HTTP
 * `code` and a human-readable `message` (users-api.md §1.1, §6).
 */

/** Appwrite's server version; callers pass their configured value to `toErrorBody`. */
export const DEFAULT_APPWRITE_VERSION = '1.3.8';

interface ErrorTypeInfo {
  readonly code: number;
  readonly message: string;
}

/**
 * Every error type this service can emit, with its HTTP status and default message. Types whose
 * message is *custom* in the spec (argument/cursor/scope errors) still get Appwrite's own default
 * text, so that a bare `new AppwriteException(type)` never produces an empty message.
 */
export const ERROR_TYPES = {
  general_argument_invalid: {
    code: 400,
    message: 'The request contains one or more invalid arguments. Please refer to the endpoint documentation.',
  },
  general_cursor_not_found: {
    code: 400,
    message: 'The cursor is invalid. This can happen if the item represented by the cursor has been deleted.',
  },
  general_query_invalid: {
    code: 400,
    message: "The query's syntax is invalid. Please check the query and try again.",
  },
  general_unauthorized_scope: {
    code: 401,
    message: 'The current user or API key does not have the required scopes to access the requested resource.',
  },
  project_key_expired: {
    code: 401,
    message: 'The project key has expired. Please generate a new key using the Appwrite console.',
  },
  // 403 since Appwrite 1.9.0; older formats get 401 and the older text (formats/error-formats.ts).
  user_blocked: { code: 403, message: 'The current user has been blocked.' },
  user_invalid_credentials: { code: 401, message: 'Invalid credentials. Please check the email and password.' },
  user_jwt_invalid: {
    code: 401,
    message: 'The JWT token is invalid. Please check the value of the X-Appwrite-JWT header to ensure the correct token is being used.',
  },
  project_not_found: {
    code: 404,
    message:
      'Project with the requested ID could not be found. Please check the value of the X-Appwrite-Project header to ensure the correct project ID is being used.',
  },
  general_route_not_found: { code: 404, message: 'Not Found' },
  user_not_found: { code: 404, message: 'User with the requested ID could not be found.' },
  user_session_not_found: { code: 404, message: 'The current user session could not be found.' },
  user_target_not_found: { code: 404, message: 'The target could not be found.' },
  user_identity_not_found: { code: 404, message: 'The identity could not be found. Please sign in with OAuth provider to create identity first.' },
  user_recovery_codes_not_found: { code: 404, message: 'Recovery codes could not be found on the current user.' },
  user_authenticator_not_found: { code: 404, message: 'Authenticator could not be found on the current user.' },
  user_passkey_not_found: { code: 404, message: 'Passkey with the requested ID could not be found on the current user.' },
  // Not an Appwrite type: nothing here issues MFA challenges, so a lookup is a plain 404 of its own.
  user_challenge_not_found: { code: 404, message: 'The MFA challenge with the requested ID could not be found.' },
  provider_not_found: { code: 404, message: 'Provider with the requested ID could not be found.' },
  user_target_already_exists: { code: 409, message: 'A target with the same ID already exists.' },
  user_recovery_codes_already_exists: {
    code: 409,
    message: 'The current user already generated recovery codes and they can only be read once for security reasons.',
  },
  graphql_no_query: { code: 400, message: 'Param "query" is not optional.' },
  graphql_too_many_queries: { code: 400, message: 'Too many queries.' },
  graphql_method_unsupported: { code: 405, message: 'GET requests only support GraphQL query operations.' },
  general_invalid_email: { code: 400, message: 'Value must be a valid email address.' },
  general_invalid_phone: { code: 400, message: "Value must be a valid phone number. Format this number with a leading '+' and a country code, e.g., +16175551212." },
  user_already_exists: {
    code: 409,
    message: 'A user with the same id, email, or phone already exists in your project.',
  },
  user_email_already_exists: {
    code: 409,
    message: 'A user with the same email already exists in the current project.',
  },
  user_phone_already_exists: {
    code: 409,
    message: 'A user with the same phone number already exists in the current project.',
  },
  password_recently_used: { code: 409, message: 'The password was recently used' },
  team_not_found: { code: 404, message: 'Team with the requested ID could not be found.' },
  team_already_exists: { code: 409, message: 'Team with requested ID already exists. Please choose a different ID and try again.' },
  team_invite_already_exists: { code: 409, message: 'User has already been invited or is already a member of this team' },
  team_invite_not_found: { code: 404, message: 'The requested team invitation could not be found.' },
  team_membership_mismatch: { code: 404, message: 'The membership ID does not belong to the team ID.' },
  membership_not_found: { code: 404, message: 'Membership with the requested ID could not be found.' },
  // Not Appwrite types: safe concurrent edits (If-Match) and idempotent retries (Idempotency-Key) are our own.
  user_version_mismatch: {
    code: 412,
    message: 'The user has changed since the version given in the If-Match header. Please get the user again and retry with its current ETag.',
  },
  idempotency_key_in_use: {
    code: 409,
    message: 'A request with the same idempotency key is still being processed. Please try again after some time.',
  },
  idempotency_key_mismatch: {
    code: 422,
    message: 'The idempotency key was already used for a different request. Please use a new idempotency key for a new request.',
  },
  idempotency_answer_lost: {
    code: 409,
    message: 'The request with this idempotency key was carried out, but the server stopped before its answer could be kept. Please read the resource to see the result.',
  },
  general_rate_limit_exceeded: {
    code: 429,
    message: 'Rate limit for the current endpoint has been exceeded. Please try again after some time.',
  },
  general_unknown: { code: 500, message: 'Server Error' },
  general_service_unavailable: {
    code: 503,
    message: 'The service is unavailable. Please try again later.',
  },
} as const satisfies Record<string, ErrorTypeInfo>;

export type ErrorType = keyof typeof ERROR_TYPES;

/**
 * Statuses Appwrite passes through unchanged; anything else is disguised as a 500 (§1.1). 422 is
 * ours (idempotency_key_mismatch): Appwrite sends none.
 */
export const PASSTHROUGH_ERROR_CODES: ReadonlySet<number> = new Set([
  400, 401, 402, 403, 404, 405, 409, 412, 416, 422, 429, 501, 503,
]);

export class AppwriteException extends Error {
  readonly type: ErrorType;
  readonly code: number;

  /** Seconds after which a retry may succeed (503s): sent as `Retry-After`. */
  retryAfterSeconds?: number;

  constructor(type: ErrorType, message?: string) {
    // Guard against a type smuggled in through `as` casts or plain JS callers: an unknown type
    // must still yield a well-formed (500) error rather than a crash inside the error path.
    const info: ErrorTypeInfo | undefined = Object.prototype.hasOwnProperty.call(ERROR_TYPES, type)
      ? ERROR_TYPES[type]
      : undefined;
    super(message ?? info?.message ?? ERROR_TYPES.general_unknown.message);
    this.name = 'AppwriteException';
    this.type = info ? type : 'general_unknown';
    this.code = info ? info.code : ERROR_TYPES.general_unknown.code;
  }
}

export function isAppwriteException(err: unknown): err is AppwriteException {
  return err instanceof AppwriteException;
}

/** The JSON error envelope; key order matters for byte-level comparisons (§1.1). */
export interface ErrorBody {
  message: string;
  code: number;
  type: string;
  version: string;
}

/**
 * Builds the response body for any thrown value. Unexpected errors (and Appwrite errors with a
 * status outside the pass-through list) are reported as a generic 500 so internal details never
 * leak to clients.
 */
export function toErrorBody(err: unknown, version: string): ErrorBody {
  if (err instanceof AppwriteException && PASSTHROUGH_ERROR_CODES.has(err.code)) {
    return { message: err.message, code: err.code, type: err.type, version };
  }
  return {
    message: ERROR_TYPES.general_unknown.message,
    code: ERROR_TYPES.general_unknown.code,
    type: 'general_unknown',
    version,
  };
}
