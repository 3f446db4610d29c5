import type { RecordedEvent } from '@lib/event-store';
import { toDomainEvent } from '@lib/event-sourcing';
import { evolveUser, initialUserState, UserFields } from '../user';
import { USER_EVENT_SCHEMA, UserEvent } from '../user.events';

/** A moment of a user's stream: after the event of a revision, or at a date (Appwrite's format). */
export type UserMoment = { revision: number } | { at: string };

export interface UserAsOf {
  user: UserFields;
  /** The revision of the last event folded in: the version the user was at. */
  revision: number;
}

/**
 * The user as the events of its stream up to `moment` made it, or null when it did not exist
 * then (before its creation, after its deletion, at a revision the stream has not reached).
 * Folded with the aggregate's own evolve, whose record effects (userRecordEffect) are also what
 * the user-directory projection writes into a user's row: one mapping of events to a user. A date
 * takes the longest prefix of the stream whose events occurred at or before it, so the answer is
 * always a state the stream really passed through.
 */
export function userAsOf(recorded: readonly RecordedEvent[], moment: UserMoment): UserAsOf | null {
  if ('revision' in moment && (recorded.length === 0 || moment.revision > recorded[recorded.length - 1].revision)) return null;
  const until = Date.parse('at' in moment ? moment.at : '');
  const included = (r: RecordedEvent) => ('revision' in moment ? r.revision <= moment.revision : Date.parse(r.metadata.occurredAt) <= until);
  let state = initialUserState();
  let revision = -1;
  for (const r of recorded) {
    if (!included(r)) break;
    const event = toDomainEvent<UserEvent>(USER_EVENT_SCHEMA, r);
    if (event) state = evolveUser(state, event);
    revision = r.revision;
  }
  return state.lifecycle === 'active' && state.user ? { user: state.user, revision } : null;
}
