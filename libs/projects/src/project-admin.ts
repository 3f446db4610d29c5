import { randomBytes, randomUUID } from 'node:crypto';
import { formatDate } from '@lib/appwrite';
import type { EventStore } from '@lib/event-store';
import { handleCommand, systemContext } from '@lib/event-sourcing';
import { hashApiKeySecret } from './api-key-authenticator';
import { PROJECT, ProjectCommand, projectStreamId } from './project.decider';

/** Creates projects and API keys (start-up bootstrap and the keys CLI). */
export class ProjectAdmin {
  constructor(private readonly events: EventStore) {}

  async ensureProject(projectId: string, name = projectId): Promise<string | null> {
    return this.run(projectId, { type: 'CreateProject', data: { projectId, name, at: formatDate(Date.now()) } });
  }

  /** Returns the secret (generated when not given: 256 hex characters, like Appwrite's) and the log position. */
  async createKey(
    projectId: string,
    options: { name: string; scopes: string[]; secret?: string; expire?: string | null; keyId?: string },
  ): Promise<{ keyId: string; secret: string; position: string | null }> {
    const secret = options.secret ?? randomBytes(128).toString('hex');
    const keyId = options.keyId ?? randomUUID().replace(/-/g, '').slice(0, 20);
    const position = await this.run(projectId, {
      type: 'CreateApiKey',
      data: { keyId, name: options.name, secretHash: hashApiKeySecret(secret), scopes: options.scopes, expire: options.expire ?? null, at: formatDate(Date.now()) },
    });
    return { keyId, secret, position };
  }

  async revokeKey(projectId: string, keyId: string): Promise<string | null> {
    return this.run(projectId, { type: 'RevokeApiKey', data: { keyId, at: formatDate(Date.now()) } });
  }

  private async run(projectId: string, command: ProjectCommand): Promise<string | null> {
    return (await handleCommand({ events: this.events }, PROJECT, projectStreamId(projectId), command, systemContext('admin'))).position;
  }
}
