import type { RecordedEvent } from '../../../event-store/src/event-store.port';
import { isUserEventType, upcastUserEvent, UserEvent } from './user.events';

/** A stored event of a user stream as the domain sees it (upcast to today's schema), or null. */
export function toUserEvent(recorded: RecordedEvent): UserEvent | null {
  if (!isUserEventType(recorded.type)) return null;
  const data = upcastUserEvent(recorded.type, recorded.data, recorded.metadata.schemaVersion ?? 1);
  return { type: recorded.type, data, occurredAt: recorded.metadata.occurredAt } as UserEvent;
}
