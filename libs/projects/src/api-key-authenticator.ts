import { createHash, timingSafeEqual } from 'node:crypto';
import { AppwriteException } from '@lib/appwrite';
import { Authenticator, Credentials, Principal } from '@lib/http';
import { AccessDirectory } from './access.read-model';

/** Scopes every Appwrite API key has on top of its own. */
const IMPLICIT_SCOPES = ['health.read', 'graphql'];

export const hashApiKeySecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/**
 * Appwrite's API-key checks, in Appwrite's order (users-api.md §2): unknown project, expired key,
 * no/unknown key, missing scope. Secrets are compared by their SHA-256 in constant time.
 */
export class ApiKeyAuthenticator extends Authenticator {
  constructor(private readonly access: AccessDirectory, private readonly now: () => number = Date.now) {
    super();
  }

  async authenticate({ projectId, apiKey: secret, hostname }: Credentials, scope: string): Promise<Principal> {
    const guests = () => new AppwriteException('general_unauthorized_scope', `User (role: guests) missing scope (${scope})`);
    if (!projectId) throw guests();
    const project = await this.access.getProject(projectId);
    if (!project) throw new AppwriteException('project_not_found');
    if (!secret) throw guests();
    const presented = Buffer.from(hashApiKeySecret(secret), 'hex');
    const keys = await this.access.listApiKeys(projectId);
    let match: (typeof keys)[number] | undefined;
    for (const key of keys) {
      // Every key is compared (no early exit), so timing does not tell which one matched.
      const equal = timingSafeEqual(presented, Buffer.from(key.secretHash, 'hex'));
      if (equal && !key.revoked) match = key;
    }
    if (!match) throw guests();
    if (match.expire && Date.parse(match.expire) < this.now()) throw new AppwriteException('project_key_expired');
    const scopes = [...match.scopes, ...IMPLICIT_SCOPES];
    if (!scopes.includes(scope)) {
      throw new AppwriteException(
        'general_unauthorized_scope',
        `app.${projectId}@service.${hostname} (role: applications) missing scope (${scope})`,
      );
    }
    return { projectId, keyId: match.id, scopes };
  }
}
