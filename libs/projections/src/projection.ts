import type { RecordedEvent } from '../../event-store/src/event-store.port';
import type { ReadModelChange } from '../../read-store/src/read-store.port';

/**
 * A projection is a pure function of one event: the read-model changes it implies. The runner
 * stores them together with the event's stream revision (idempotence) and the log position
 * (checkpoint), so replaying any part of the log twice changes nothing.
 */
export interface Projection {
  readonly name: string;
  project(event: RecordedEvent): ReadModelChange[];
}
