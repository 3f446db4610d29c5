import type { RecordedEvent } from '../../../event-store/src/event-store.port';
import type { Projection } from '../../../projections/src/projection';
import type { ReadModelChange } from '../../../read-store/src/read-store.port';
import { clientDetails } from '../../../client-info/src';
import { toUserEvent } from '../domain/recorded-user-event';
import { parseUserStreamId } from '../shared/stream-names';

/** Sessions per user; client fields are parsed once here rather than on every listing. */
export const sessionsProjection: Projection = {
  name: 'sessions',
  project(recorded: RecordedEvent): ReadModelChange[] {
    const key = parseUserStreamId(recorded.streamId);
    const event = key && toUserEvent(recorded);
    if (!key || !event) return [];
    const { projectId, userId } = key;
    switch (event.type) {
      case 'SessionCreated': {
        const { sessionId, userAgent, ip, ...details } = event.data;
        return [
          {
            kind: 'session.put',
            session: { projectId, userId, id: sessionId, createdAt: event.occurredAt, ip, ...details, ...clientDetails(userAgent, ip) },
          },
        ];
      }
      case 'SessionDeleted':
        return [{ kind: 'session.delete', projectId, userId, sessionId: event.data.sessionId }];
      case 'UserDeleted':
        return [{ kind: 'session.deleteAllOfUser', projectId, userId }];
      default:
        return [];
    }
  },
};
