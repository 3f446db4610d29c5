import type { PersonalDataEventStore } from '@lib/personal-data';

/** The event log was written before personal-data sealing: this version must not run on it as it is. */
export class UnsealedLogError extends Error {
  constructor(readonly eventId: string, readonly position: string) {
    super(
      `The event log was written by a version from before personal-data sealing: its personal fields are stored in clear (event ${eventId}, ` +
        `at position ${position}, is the first that holds any), so erasure cannot reach them, and its email, phone and push-token reservations have names ` +
        'this version does not look for, so two users could end up with one email. Stop every process of the old version, copy the log into a new one ' +
        'with `npm run migrate-log` (SOURCE_DATA_DIR or SOURCE_EVENTSTORE_CONNECTION_STRING: the old log; the usual settings: the new one), then start on the new log. ' +
        'UNSEALED_LOG_CHECK=off starts on the old log anyway.',
    );
    this.name = 'UnsealedLogError';
  }
}

/**
 * Refuses a log from before sealing (UnsealedLogError), at the start of every process that serves
 * or projects it. Reads the stored log only up to its first event with personal data (see
 * sealingOfLog): a handful of events on a log of this version, whatever its size.
 */
export async function refuseUnsealedLog(events: PersonalDataEventStore): Promise<void> {
  const found = await events.storedSealing();
  if (found.sealing === 'unsealed') throw new UnsealedLogError(found.event!.id, found.event!.position);
}
