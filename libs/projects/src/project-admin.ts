import { randomBytes, randomUUID } from 'node:crypto';
import { formatDate } from '@lib/appwrite';
import type { EventStore } from '@lib/event-store';
import { handleCommand, loadStream, systemContext } from '@lib/event-sourcing';
import { hashApiKeySecret } from './api-key-authenticator';
import { PROJECT, ProjectCommand, ProjectRuleError, projectStreamId } from './project.decider';

/**
 * The decider declined to create a key, so there is no new key: today only because a key with
 * the same secret is already active in the project (two keys with one secret would make a
 * request's key ambiguous). `activeKeyId` is that key.
 */
export class ApiKeyNotCreatedError extends ProjectRuleError {
  constructor(
    readonly projectId: string,
    readonly reason: 'secret_already_active',
    readonly activeKeyId: string | null,
  ) {
    super(`no key created in project ${projectId}: a key with the same secret is already active${activeKeyId ? ` (${activeKeyId})` : ''}`);
    this.name = 'ApiKeyNotCreatedError';
  }
}

/** Creates projects and API keys (start-up bootstrap and the keys CLI). */
export class ProjectAdmin {
  constructor(private readonly events: EventStore) {}

  /** Creates the project unless it exists; the log position of its creation, or null when it existed. */
  async ensureProject(projectId: string, name = projectId): Promise<string | null> {
    return this.run(projectId, { type: 'CreateProject', data: { projectId, name, at: formatDate(Date.now()) } });
  }

  async projectExists(projectId: string): Promise<boolean> {
    return (await this.load(projectId)).state.exists;
  }

  /**
   * Creates a key and returns its id, the secret (generated when not given: 256 hex characters,
   * like Appwrite's) and the log position of its creation. Throws ApiKeyNotCreatedError when the
   * decider declines (same secret already active), ProjectRuleError for an unknown project,
   * unknown scopes or a taken key id.
   */
  async createKey(
    projectId: string,
    options: { name: string; scopes: string[]; secret?: string; expire?: string | null; keyId?: string },
  ): Promise<{ keyId: string; secret: string; position: string }> {
    const secret = options.secret ?? randomBytes(128).toString('hex');
    const keyId = options.keyId ?? randomUUID().replace(/-/g, '').slice(0, 20);
    const secretHash = hashApiKeySecret(secret);
    const position = await this.run(projectId, {
      type: 'CreateApiKey',
      data: { keyId, name: options.name, secretHash, scopes: options.scopes, expire: options.expire ?? null, at: formatDate(Date.now()) },
    });
    if (position === null) {
      const { state } = await this.load(projectId);
      const active = Object.entries(state.keys).find(([, k]) => !k.revoked && k.secretHash === secretHash);
      throw new ApiKeyNotCreatedError(projectId, 'secret_already_active', active ? active[0] : null);
    }
    return { keyId, secret, position };
  }

  /**
   * The start-up bootstrap's idempotent variant: creates the key unless one with this secret is
   * already active. The log position of the creation, or null when the key was there.
   */
  async ensureKey(projectId: string, options: { name: string; scopes: string[]; secret: string }): Promise<string | null> {
    try {
      return (await this.createKey(projectId, options)).position;
    } catch (err) {
      if (err instanceof ApiKeyNotCreatedError) return null;
      throw err;
    }
  }

  async revokeKey(projectId: string, keyId: string): Promise<string | null> {
    return this.run(projectId, { type: 'RevokeApiKey', data: { keyId, at: formatDate(Date.now()) } });
  }

  /**
   * Turns the login re-hash of legacy password hashes on or off (on by default). The log position
   * of the change, or null when the project already had that setting; ProjectRuleError for an
   * unknown project.
   */
  async setLoginRehash(projectId: string, enabled: boolean): Promise<string | null> {
    return this.run(projectId, { type: 'SetLoginRehash', data: { enabled, at: formatDate(Date.now()) } });
  }

  /** The project's login re-hash setting as the log tells it (true when never set). */
  async loginRehash(projectId: string): Promise<boolean> {
    return (await this.load(projectId)).state.loginRehash ?? true;
  }

  private async load(projectId: string) {
    return loadStream(this.events, projectStreamId(projectId), PROJECT);
  }

  /** The decided events' log position, or null when the decider decided nothing. */
  private async run(projectId: string, command: ProjectCommand): Promise<string | null> {
    return (await handleCommand({ events: this.events }, PROJECT, projectStreamId(projectId), command, systemContext('admin'))).position;
  }
}
