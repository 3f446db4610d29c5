import type { RecordedEvent } from '@lib/event-store';
import { versionOf } from '@lib/event-sourcing';
import { publicEventData } from '../user-event-public-data';
import { USER_EVENT_SCHEMA, UserEvent } from '../user.events';

/**
 * One event of a user's history (our model, `userEvent`): where it sits in the log, who caused
 * it from where, and the public view of its data, as read today (upcast: `schemaVersion` is the
 * version of `data` as shown).
 */
export function toUserEventModel(recorded: RecordedEvent, event: UserEvent) {
  const meta = recorded.metadata;
  return {
    $id: recorded.id,
    type: event.type,
    revision: recorded.revision,
    position: recorded.position,
    occurredAt: event.occurredAt,
    schemaVersion: versionOf(USER_EVENT_SCHEMA, event.type),
    actor: { type: meta.actor?.type ?? 'system', id: meta.actor?.id ?? '' },
    requestId: meta.requestId ?? '',
    ip: meta.ip ?? '',
    userAgent: meta.userAgent ?? '',
    data: publicEventData(event),
  };
}
export type UserEventModel = ReturnType<typeof toUserEventModel>;
