import { EventStore, RecentCache } from '@lib/event-store';

/**
 * Streams whose state each event store's process remembers: a few hundred bytes to a few KB
 * each (a user with its targets), a few MB in all, and every recently active user is a hit.
 */
const STATES = 8192;

/**
 * What a state is a fold of: the aggregates that share these (every use case of one aggregate,
 * each with its own `decide`) share its states.
 */
export interface StateFold {
  evolve: unknown;
  initialState: unknown;
  schema: unknown;
}

/** A stream's state as of a revision, and the fold it came from. */
export interface KnownState {
  fold: StateFold;
  state: unknown;
  revision: number;
}

/** The fold an aggregate's states come from. */
export const foldOf = (aggregate: { decider: { evolve: unknown; initialState: unknown }; schema: unknown }): StateFold => ({
  evolve: aggregate.decider.evolve,
  initialState: aggregate.decider.initialState,
  schema: aggregate.schema,
});

/** Whether a state remembered from one fold is one of another: same evolve, same initial state, same schema (so the same upcasters). */
export const sameFold = (a: StateFold, b: StateFold): boolean => a.evolve === b.evolve && a.initialState === b.initialState && a.schema === b.schema;

const byStore = new WeakMap<EventStore, RecentCache<string, KnownState>>();

/**
 * The states this process last loaded or wrote, per event store and stream: a load reads only
 * the events after the known revision (usually none) instead of the whole stream, decoding and
 * opening each again. A cache and never a source: every load still asks the log for what came
 * after, so another process's appends are always folded in, and an append still expects the
 * revision the state is of. States are frozen (deeply) when remembered, so no caller can change
 * what the next command on the stream is decided on.
 */
export function knownStates(events: EventStore): RecentCache<string, KnownState> {
  let states = byStore.get(events);
  if (states === undefined) {
    const created = new RecentCache<string, KnownState>(STATES);
    // An erased person's state holds what the erasure took: it goes with it, in every process.
    events.onStreamRedacted((streamId) => created.delete(streamId));
    byStore.set(events, (states = created));
  }
  return states;
}

export function rememberState(events: EventStore, streamId: string, fold: StateFold, state: unknown, revision: number): void {
  knownStates(events).set(streamId, { fold, state: deepFreeze(state), revision });
}

/** Freezes the value and everything it holds; parts already frozen (shared with an earlier state) are not walked again. */
function deepFreeze<T>(value: T): T {
  // A typed array or Buffer cannot be frozen (Object.freeze throws on one with elements).
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
