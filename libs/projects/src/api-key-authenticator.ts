import { hash, timingSafeEqual } from 'node:crypto';
import { AppwriteException } from '@lib/appwrite';
import { Authenticator, Credentials, Principal, SessionResolver } from '@lib/http';
import { AccessDirectory, ApiKeyRecord } from './access.read-model';

/** Scopes every Appwrite API key has on top of its own. */
const IMPLICIT_KEY_SCOPES = ['health.read', 'graphql'];

/** Appwrite's role scopes (app/config/roles.php, 1.3) for the routes this service has. */
export const GUEST_SCOPES = ['global', 'public', 'home', 'graphql', 'sessions.write', 'locale.read', 'avatars.read'];
export const USER_SCOPES = ['global', 'public', 'home', 'graphql', 'sessions.write', 'account', 'teams.read', 'teams.write', 'locale.read', 'avatars.read'];

/** Each stored key's hash as bytes, decoded once (the records are the access read model's copies). */
const hashBytes = new WeakMap<ApiKeyRecord, Buffer>();
function storedHash(key: ApiKeyRecord): Buffer {
  let bytes = hashBytes.get(key);
  if (!bytes) hashBytes.set(key, (bytes = Buffer.from(key.secretHash, 'hex')));
  return bytes;
}

/** Each stored key's scopes with the implicit ones, made once per record, not on every request. */
const grantedScopes = new WeakMap<ApiKeyRecord, readonly string[]>();
function scopesOf(key: ApiKeyRecord): readonly string[] {
  let scopes = grantedScopes.get(key);
  if (!scopes) grantedScopes.set(key, (scopes = Object.freeze([...key.scopes, ...IMPLICIT_KEY_SCOPES])));
  return scopes;
}

export const hashApiKeySecret = (secret: string): string => hash('sha256', secret, 'hex');

/**
 * Appwrite's request authentication, in Appwrite's order (users-api.md §2): unknown project,
 * then the role — an API key (`applications`; expired keys refused), else a session or JWT
 * (`users`, resolved by the account context), else `guests` — then the route's scope. Key
 * secrets are compared by their SHA-256 in constant time.
 */
export class ApiKeyAuthenticator extends Authenticator {
  constructor(
    private readonly access: AccessDirectory,
    private readonly sessions: SessionResolver | null = null,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async authenticate(credentials: Credentials, scope: string): Promise<Principal> {
    const { projectId, apiKey, hostname } = credentials;
    const missing = (who: string) => new AppwriteException('general_unauthorized_scope', `${who} missing scope (${scope})`);
    if (!projectId) throw missing('User (role: guests)');
    const project = await this.access.getProject(projectId);
    if (!project) throw new AppwriteException('project_not_found');

    const key = apiKey ? await this.matchKey(projectId, apiKey) : null;
    if (key) {
      if (key.expire && Date.parse(key.expire) < this.now()) throw new AppwriteException('project_key_expired');
      const scopes = scopesOf(key);
      if (!scopes.includes(scope)) throw missing(`app.${projectId}@service.${hostname} (role: applications)`);
      return { kind: 'key', projectId, keyId: key.id, scopes };
    }
    const user = !apiKey && this.sessions && (credentials.session || credentials.jwt) ? await this.sessions.resolve(projectId, credentials) : null;
    if (user) {
      if (!USER_SCOPES.includes(scope)) throw missing(`${user.email || 'User'} (role: users)`);
      if (user.blocked) throw new AppwriteException('user_blocked');
      return { kind: 'user', projectId, userId: user.userId, sessionId: user.sessionId, via: credentials.jwt && !credentials.session ? 'jwt' : 'session', scopes: USER_SCOPES };
    }
    if (!GUEST_SCOPES.includes(scope)) throw missing('User (role: guests)');
    return { kind: 'guest', projectId, scopes: GUEST_SCOPES };
  }

  /** Every key is compared (no early exit), so timing does not tell which one matched. */
  private async matchKey(projectId: string, secret: string) {
    // One-shot and straight to bytes: this runs on every request with a key.
    const presented = hash('sha256', secret, 'buffer');
    let match: ApiKeyRecord | undefined;
    for (const key of await this.access.listApiKeys(projectId)) {
      const equal = timingSafeEqual(presented, storedHash(key));
      if (equal && !key.revoked) match = key;
    }
    return match ?? null;
  }
}
