import type { RecordedEvent } from '@lib/event-store';
import { toDomainEvent } from '@lib/event-sourcing';
import type { Projection } from '@lib/read-models';
import { parseUserStreamId, userRecordEffect } from '../user';
import { USER_EVENT_SCHEMA, UserEvent } from '../user.events';
import type { UserDirectoryChange } from './user-directory.port';

/**
 * One row per live user, derived with the same effect function as the aggregate. Every event of
 * the stream moves the row's `revision`, also those that change nothing else (sessions, tokens,
 * recovery codes), so that the row always names the stream's current revision.
 */
export const userDirectoryProjection: Projection<UserDirectoryChange> = {
  name: 'users',
  project(recorded: RecordedEvent): UserDirectoryChange[] {
    const key = parseUserStreamId(recorded.streamId);
    const event = key && toDomainEvent<UserEvent>(USER_EVENT_SCHEMA, recorded);
    if (!key || !event) return [];
    const { revision } = recorded;
    const effect = userRecordEffect(event);
    switch (effect.kind) {
      case 'created':
        return [{ kind: 'put', user: { projectId: key.projectId, sequence: recorded.sortKey, revision, ...effect.user } }];
      case 'patched':
        return [{ kind: 'patch', projectId: key.projectId, userId: key.userId, patch: { ...effect.fields, revision } }];
      case 'targets':
        return [{ kind: 'patch', projectId: key.projectId, userId: key.userId, patch: { revision }, targets: effect.change }];
      case 'deleted':
        return [{ kind: 'delete', projectId: key.projectId, userId: key.userId }];
      case 'erased':
      case 'none':
        return [{ kind: 'patch', projectId: key.projectId, userId: key.userId, patch: { revision } }];
    }
  },
};
