import type { EventStore } from '@lib/event-store';

/** How far a follower of the log (a projection, the downstream publisher) is behind its head. */
export interface CheckpointLag {
  /** Events in the log after the checkpoint, counted up to CHECKPOINT_LAG_COUNT_LIMIT. */
  events: number;
  /** Age of the oldest of them (its `occurredAt`), 0 when there is none: how late the follower is. */
  seconds: number;
}

/**
 * Positions are opaque (EventStoreDB's are byte offsets), so the events behind are counted by
 * reading them; beyond this many the count stops, and the age still tells how far behind.
 */
export const CHECKPOINT_LAG_COUNT_LIMIT = 1000;

export async function checkpointLag(events: EventStore, checkpoint: string | null, now: number = Date.now()): Promise<CheckpointLag> {
  const behind = await events.readAll(checkpoint, CHECKPOINT_LAG_COUNT_LIMIT);
  if (behind.length === 0) return { events: 0, seconds: 0 };
  return { events: behind.length, seconds: Math.max(0, (now - Date.parse(behind[0].metadata.occurredAt)) / 1000) };
}
