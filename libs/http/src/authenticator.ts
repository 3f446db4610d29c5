/**
 * Who a request is, once authenticated, as Appwrite's roles have it: an API key of the project
 * (`applications`), a user with a session or JWT (`users`), or nobody (`guests`).
 */
export type Principal =
  | { kind: 'key'; projectId: string; keyId: string; scopes: readonly string[] }
  | { kind: 'user'; projectId: string; userId: string; sessionId: string; via: 'session' | 'jwt'; scopes: readonly string[] }
  | { kind: 'guest'; projectId: string; scopes: readonly string[] };

export interface Credentials {
  projectId: string | undefined;
  apiKey: string | undefined;
  /** The session as the client holds it: the `a_session_<project>` cookie or `X-Appwrite-Session` (base64 JSON {id, secret}). */
  session: string | undefined;
  /** `X-Appwrite-JWT`. */
  jwt: string | undefined;
  /** The host name the client addressed (Appwrite names it in scope errors). */
  hostname: string;
}

/**
 * The authentication port: turns a request's credentials into a principal holding `scope`, or
 * throws Appwrite's error. The projects context implements it; this library knows no keys.
 */
export abstract class Authenticator {
  abstract authenticate(credentials: Credentials, scope: string): Promise<Principal>;
}

/** The user a session or JWT belongs to, when it is valid (live session, user active or not: the caller decides). */
export interface ResolvedUser {
  userId: string;
  sessionId: string;
  /** For error messages such as "<email> (role: users) missing scope". */
  email: string;
  /** The user is blocked (status false): refused with `user_blocked` once the scope is checked. */
  blocked?: boolean;
}

/**
 * Resolves a session secret or a JWT to its user. The account context implements it; without
 * one, sessions and JWTs authenticate nobody. A credential that is present but not valid throws
 * Appwrite's error (`user_jwt_invalid`, `general_unauthorized_scope`).
 */
export abstract class SessionResolver {
  abstract resolve(projectId: string, credentials: Pick<Credentials, 'session' | 'jwt'>): Promise<ResolvedUser | null>;
}
