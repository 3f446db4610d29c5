import { randomBytes, randomUUID } from 'node:crypto';
import type { EventStore } from '../../event-store/src/event-store.port';
import { WrongExpectedRevisionError } from '../../event-store/src/event-store.port';
import { EventWriter } from '../../users/src/application/event-writer';
import { projectStreamId } from '../../users/src/shared/stream-names';
import { formatDate } from '../../appwrite/src/dates';
import { hashApiKeySecret } from './api-key-authenticator';
import { ProjectEvent, projectDecider, ProjectCommand } from './project.decider';

const SYSTEM = { actor: { type: 'system' as const, id: 'admin' }, requestId: 'admin', ip: '', userAgent: '' };

/** Creates projects and API keys (start-up bootstrap and the keys CLI). */
export class ProjectAdmin {
  private readonly writer: EventWriter;
  constructor(events: EventStore) {
    this.writer = new EventWriter(events);
  }

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
    const streamId = projectStreamId(projectId);
    for (let attempt = 0; attempt < 10; attempt++) {
      const { state, expected } = await this.writer.load(streamId, projectDecider.initialState(), projectDecider.evolve, (r) => ({
        type: r.type,
        data: r.data,
        occurredAt: r.metadata.occurredAt,
      }) as ProjectEvent);
      const events = projectDecider.decide(command, state);
      if (events.length === 0) return null;
      try {
        return (await this.writer.append(streamId, events, expected, { ...SYSTEM }, 1)).position;
      } catch (err) {
        if (!(err instanceof WrongExpectedRevisionError)) throw err;
      }
    }
    throw new Error('project command: too much contention');
  }
}
