import type { RecordedEvent } from '../../../event-store/src/event-store.port';
import type { Projection } from '../../../projections/src/projection';
import type { ReadModelChange } from '../../../read-store/src/read-store.port';
import { clientDetails } from '../../../client-info/src';
import { UserEventType } from '../domain/user.events';
import { parseUserStreamId } from '../shared/stream-names';

/** Which events Appwrite 1.3.8 records in the target user's own audit log, and under which name. */
export const AUDITED_EVENTS: Partial<Record<UserEventType, string>> = {
  UserStatusChanged: 'user.update',
  UserNameChanged: 'user.update',
  UserPasswordChanged: 'user.update',
  UserEmailChanged: 'user.update',
  UserEmailVerificationChanged: 'verification.update',
};

/**
 * The audit log of each user. Rows are kept when the user is deleted (as Appwrite keeps them);
 * each row carries its log position, so a user re-created under the same id only sees the
 * rows written after its own creation.
 */
export const logsProjection: Projection = {
  name: 'logs',
  project(recorded: RecordedEvent): ReadModelChange[] {
    const key = parseUserStreamId(recorded.streamId);
    const auditEvent = AUDITED_EVENTS[recorded.type as UserEventType];
    if (!key || !auditEvent) return [];
    const { ip, userAgent, occurredAt } = recorded.metadata;
    return [
      {
        kind: 'log.append',
        log: {
          projectId: key.projectId,
          userId: key.userId,
          sequence: Number(recorded.position),
          id: recorded.id,
          event: auditEvent,
          userEmail: '',
          userName: '',
          mode: '',
          ip,
          time: occurredAt,
          ...clientDetails(userAgent, ip),
        },
      },
    ];
  },
};
