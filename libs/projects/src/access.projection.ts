import type { RecordedEvent } from '../../event-store/src/event-store.port';
import type { Projection } from '../../projections/src/projection';
import type { ReadModelChange } from '../../read-store/src/read-store.port';
import { parseProjectStreamId } from '../../users/src/shared/stream-names';
import type { ProjectEvent } from './project.decider';

/** Projects and their keys, as the auth guard reads them. */
export const accessProjection: Projection = {
  name: 'access',
  project(recorded: RecordedEvent): ReadModelChange[] {
    const projectId = parseProjectStreamId(recorded.streamId);
    if (!projectId) return [];
    const event = { type: recorded.type, data: recorded.data, occurredAt: recorded.metadata.occurredAt } as ProjectEvent;
    switch (event.type) {
      case 'ProjectCreated':
        return [{ kind: 'project.put', project: { id: projectId, name: event.data.name, createdAt: event.occurredAt } }];
      case 'ApiKeyCreated':
        return [
          {
            kind: 'apiKey.put',
            apiKey: { projectId, id: event.data.keyId, name: event.data.name, secretHash: event.data.secretHash, scopes: event.data.scopes, expire: event.data.expire, createdAt: event.occurredAt, revoked: false },
          },
        ];
      case 'ApiKeyRevoked':
        return [{ kind: 'apiKey.revoke', projectId, keyId: event.data.keyId }];
      default:
        return [];
    }
  },
};
