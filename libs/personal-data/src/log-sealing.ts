import type { EventStore, RecordedEvent } from '@lib/event-store';
import type { PersonalDataPolicy } from './personal-data-policy';

/**
 * How a stored log keeps personal data, told by its first event that holds any: `sealed` (this
 * version wrote it), `unsealed` (a version from before sealing did: plaintext, and reservation
 * streams under their old names), `none` (no event holds personal data yet: a new log).
 */
export type LogSealing = 'sealed' | 'unsealed' | 'none';

export interface LogSealingFinding {
  sealing: LogSealing;
  /** The event that told (absent for `none`). */
  event?: { id: string; streamId: string; position: string };
  /** Events read to tell. */
  eventsRead: number;
}

/** Events read at a time: the first person's events come within the first few of any log. */
const BATCH = 64;

/**
 * Whether a stored event holds, in clear, personal values this version seals: a person's event
 * with a personal field of its type set, or a request's ip or user agent. A sealed one holds none
 * (they are in `metadata.sealed`), and so does an erasure.
 */
export function holdsUnsealedPersonalData(event: Pick<RecordedEvent, 'streamId' | 'type' | 'data' | 'metadata'>, policy: PersonalDataPolicy): boolean {
  if (event.metadata.sealed || policy.isErasure(event.type) || policy.subjectOf(event.streamId) === null) return false;
  if (event.metadata.ip || event.metadata.userAgent) return true;
  return policy.fieldsOf(event.type).some((field) => {
    const value = event.data[field];
    return value !== undefined && value !== null && value !== '';
  });
}

/**
 * Reads the stored log (not through the seal) from its start up to its first event that holds
 * personal data, and says how that one keeps it. A log is sealed from its first person on or not
 * at all (the versions before sealing sealed nothing), so this one event tells: on a log of this
 * version that is one of its first few events, whatever the log's size. A log without any person
 * is read whole (it is as small as that suggests).
 */
export async function sealingOfLog(log: EventStore, policy: PersonalDataPolicy): Promise<LogSealingFinding> {
  let after: string | null = null;
  let eventsRead = 0;
  for (;;) {
    const batch = await log.readAll(after, BATCH);
    for (const event of batch) {
      eventsRead++;
      const sealed = event.metadata.sealed !== undefined;
      if (sealed || holdsUnsealedPersonalData(event, policy)) {
        return { sealing: sealed ? 'sealed' : 'unsealed', event: { id: event.id, streamId: event.streamId, position: event.position }, eventsRead };
      }
    }
    if (batch.length < BATCH) return { sealing: 'none', eventsRead };
    after = batch[batch.length - 1].position;
  }
}
