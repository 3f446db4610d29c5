import { Decider } from '../shared/decider';

/**
 * A claim on a unique value (an email or a phone inside a project), one stream per value.
 * EventStoreDB cannot append to two streams atomically, so uniqueness is a reservation:
 * claim the value's stream with an expected revision (only one racer can win), then write the
 * user. A crash between the two leaves a claim whose owner does not hold the value; such a
 * claim is taken over once its lease has run out, so nothing stays locked for ever.
 */
export type UniqueValueEvent =
  | { type: 'UniqueValueClaimed'; data: { owner: string; claimedAt: string } }
  | { type: 'UniqueValueReleased'; data: { owner: string } };

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
  | { type: 'ReleaseUniqueValue'; data: { owner: string } };

export class UniqueValueTakenError extends Error {
  constructor(readonly owner: string) {
    super('unique value already claimed');
    this.name = 'UniqueValueTakenError';
  }
}

export const uniqueValueDecider: Decider<UniqueValueCommand, UniqueValueEvent, UniqueValueState> = {
  initialState: () => ({ owner: null, claimedAt: null }),
  decide(command, state) {
    if (command.type === 'ReleaseUniqueValue') {
      // Only the owner releases: a late release must not free a value someone else took over.
      return state.owner === command.data.owner ? [{ type: 'UniqueValueReleased', data: { owner: command.data.owner } }] : [];
    }
    const { owner, at, currentOwnerHoldsValue, leaseMs } = command.data;
    if (state.owner === owner) return [];
    if (state.owner !== null) {
      const leaseRunning = Date.parse(at) - Date.parse(state.claimedAt!) < leaseMs;
      if (currentOwnerHoldsValue || leaseRunning) throw new UniqueValueTakenError(state.owner);
    }
    return [{ type: 'UniqueValueClaimed', data: { owner, claimedAt: at } }];
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
