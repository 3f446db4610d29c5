/** Who a request is, once authenticated (an API key of a project today). */
export interface Principal {
  projectId: string;
  keyId: string;
  scopes: string[];
}

export interface Credentials {
  projectId: string | undefined;
  apiKey: string | undefined;
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
