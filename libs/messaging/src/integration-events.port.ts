import type { CloudEventMessage } from './cloud-events';

export type { CloudEventMessage } from './cloud-events';

/**
 * Where integration events go. Adapters: kafka-integration-events.adapter.ts (the `users.events`
 * topic) and jsonl-integration-events.adapter.ts (embedded: a JSON-lines file).
 * An abstract class rather than an interface so that it is also a NestJS injection token.
 */
export abstract class IntegrationEventsPort {
  /** Where the messages go (topic, file): names the publisher's checkpoint, `publisher:<destination>`. */
  abstract readonly destination: string;
  /**
   * Publishes the messages in the given order and resolves once all of them are durably accepted.
   * Rejects when any of them may not have been (the caller publishes them again: at least once).
   */
  abstract publish(events: CloudEventMessage[]): Promise<void>;
  abstract close(): Promise<void>;
}
