import type { RecordedEvent } from '../../../event-store/src/event-store.port';
import type { Projection } from '../../../projections/src/projection';
import type { ReadModelChange } from '../../../read-store/src/read-store.port';
import { toUserEvent } from '../domain/recorded-user-event';
import { userRecordEffect } from '../domain/user.decider';
import { parseUserStreamId } from '../shared/stream-names';

/** The users table: one row per live user, derived with the same effect function as the aggregate. */
export const usersProjection: Projection = {
  name: 'users',
  project(recorded: RecordedEvent): ReadModelChange[] {
    const key = parseUserStreamId(recorded.streamId);
    const event = key && toUserEvent(recorded);
    if (!key || !event) return [];
    const effect = userRecordEffect(event);
    switch (effect.kind) {
      case 'created':
        return [{ kind: 'user.put', user: { projectId: key.projectId, sequence: Number(recorded.position), ...effect.user } }];
      case 'patched':
        return [{ kind: 'user.patch', projectId: key.projectId, userId: key.userId, patch: effect.fields }];
      case 'deleted':
        return [{ kind: 'user.delete', projectId: key.projectId, userId: key.userId }];
      case 'none':
        return [];
    }
  },
};
