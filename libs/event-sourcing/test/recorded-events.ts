import type { EventMetadata, RecordedEvent } from '@lib/event-store';

export const T0 = '2024-01-01T00:00:00.000+00:00';
export const T1 = '2024-01-01T00:00:01.000+00:00';

/**
 * Builds recorded events as an event store would deliver them: consecutive revisions per
 * stream, increasing global positions (opaque strings) and fixed-width sort keys.
 */
export function recordedEvents(start = 1) {
  let position = start;
  const revisions = new Map<string, number>();
  return (streamId: string, type: string, data: Record<string, unknown>, metadata: Partial<EventMetadata> = {}): RecordedEvent => {
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    const at = position++;
    const id = `e${at}`;
    return {
      id,
      type,
      streamId,
      revision,
      position: `P${at}`,
      sortKey: String(at).padStart(40, '0'),
      data,
      metadata: { eventId: id, occurredAt: T0, schemaVersion: 1, actor: { type: 'apiKey', id: 'k' }, requestId: 'r', ip: '8.8.8.8', userAgent: '', ...metadata },
    };
  };
}
