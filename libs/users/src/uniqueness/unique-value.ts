import { createHash, createHmac } from 'node:crypto';
import { Aggregate, Decider, EventSchema, streamName } from '@lib/event-sourcing';

/**
 * A claim on a unique value (an email or a phone inside a project), one stream per value:
 * uniqueness is a reservation, the value's stream claimed with an expected revision (only one
 * racer can win) together with the user's write. Where the event store appends to several streams
 * atomically (SQLite) both are one commit. EventStoreDB cannot, so there the claim comes first and
 * the user after; a crash between the two leaves a claim whose owner does not hold the value, and
 * such a claim is taken over once its lease has run out, so nothing stays locked for ever.
 */
export type UniqueValueEvent =
  | { type: 'UniqueValueClaimed'; data: { owner: string; claimedAt: string }; occurredAt: string }
  | { type: 'UniqueValueReleased'; data: { owner: string }; occurredAt: string };

/**
 * What must be unique in a project: users' emails and phones, target ids, and target identifiers
 * (an email or sms target's identifier shares the user email's or phone's kind, so one address
 * is held once, whether as a user's email or as a target; push tokens have their own).
 */
export type UniqueKind = 'email' | 'phone' | 'target' | 'push';

/**
 * A value's stream is named by its SHA-256, which neither shows the value nor depends on its
 * characters; an address (email, phone, push token: a person's) by an HMAC of that under the
 * project's names key (see ReservationNames), so the log does not let anyone confirm a guessed
 * one either (a phone number is quickly guessed from a plain hash). Target ids are ids, like the
 * user ids in user stream names. Keying the hash, not the value, lets a copy of an older log
 * rename its address streams without knowing the addresses.
 */
export const uniqueValueStreamId = (projectId: string, kind: UniqueKind, value: string, projectNamesKey: Buffer) =>
  uniqueDigestStreamId(projectId, kind, uniqueValueDigest(value), projectNamesKey);

/** The SHA-256 of a unique value (hex): the name part of its stream before names were keyed. */
export const uniqueValueDigest = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A value's stream from its digest alone: how a copy of an older log renames a stream. */
export const uniqueDigestStreamId = (projectId: string, kind: UniqueKind, digest: string, projectNamesKey: Buffer) =>
  streamName('unique', projectId, kind, kind === 'target' ? digest : createHmac('sha256', projectNamesKey).update(digest).digest('hex'));

export interface UniqueValueState {
  owner: string | null;
  claimedAt: string | null;
}

export type UniqueValueCommand =
  | {
      type: 'ClaimUniqueValue';
      data: {
        owner: string;
        at: string;
        /** Whether the current owner's user record really holds the value (read by the handler). */
        currentOwnerHoldsValue: boolean;
        leaseMs: number;
      };
    }
  | { type: 'ReleaseUniqueValue'; data: { owner: string; at: string } };

export class UniqueValueTakenError extends Error {
  constructor(
    readonly owner: string,
    /** Which kind of value is taken, once known (the claim's decider only sees its stream). */
    readonly kind?: UniqueKind,
  ) {
    super('unique value already claimed');
    this.name = 'UniqueValueTakenError';
  }
}

export const uniqueValueDecider: Decider<UniqueValueCommand, UniqueValueEvent, UniqueValueState> = {
  initialState: () => ({ owner: null, claimedAt: null }),
  decide(command, state) {
    if (command.type === 'ReleaseUniqueValue') {
      // Only the owner releases: a late release must not free a value someone else took over.
      return state.owner === command.data.owner ? [{ type: 'UniqueValueReleased', data: { owner: command.data.owner }, occurredAt: command.data.at }] : [];
    }
    const { owner, at, currentOwnerHoldsValue, leaseMs } = command.data;
    if (state.owner === owner) return [];
    if (state.owner !== null) {
      const leaseRunning = Date.parse(at) - Date.parse(state.claimedAt!) < leaseMs;
      if (currentOwnerHoldsValue || leaseRunning) throw new UniqueValueTakenError(state.owner);
    }
    return [{ type: 'UniqueValueClaimed', data: { owner, claimedAt: at }, occurredAt: at }];
  },
  evolve(state, event) {
    switch (event.type) {
      case 'UniqueValueClaimed':
        return { owner: event.data.owner, claimedAt: event.data.claimedAt };
      case 'UniqueValueReleased':
        return state.owner === event.data.owner ? { owner: null, claimedAt: null } : state;
    }
  },
};

export const UNIQUE_VALUE_SCHEMA: EventSchema<UniqueValueEvent> = { types: ['UniqueValueClaimed', 'UniqueValueReleased'], schemaVersion: 1 };
export const UNIQUE_VALUE: Aggregate<UniqueValueCommand, UniqueValueEvent, UniqueValueState> = { decider: uniqueValueDecider, schema: UNIQUE_VALUE_SCHEMA };
