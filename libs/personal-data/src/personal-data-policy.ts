/**
 * Which stored events hold whose personal data: a context declares it for its streams (the Users
 * context for `user-…`), the event store decorator seals and opens accordingly.
 */
export interface PersonalDataPolicy {
  /** The data-key subject (the person) of a stream's events; null when the stream holds no one's personal data. */
  subjectOf(streamId: string): string | null;
  /**
   * The personal fields of an event type's data (top-level keys). The metadata's `ip` and
   * `userAgent` of a subject's events are personal too, always.
   */
  fieldsOf(type: string): readonly string[];
  /**
   * The event that records a subject's erasure: it holds no personal data and is never sealed;
   * reading one drops every copy of the subject's keys from the reading process's memory.
   */
  isErasure(type: string): boolean;
}

/** What a reader gets for a field whose key was destroyed. */
export const ERASED = '[erased]';
