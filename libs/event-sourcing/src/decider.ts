/**
 * The decider pattern: every business rule of an aggregate as two pure functions and an
 * initial state. `decide` returns the events a command causes (or throws a domain error);
 * `evolve` folds one event into the state. No I/O, no clock: time arrives inside commands.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** A domain event as deciders see it: its type, its data and when it happened. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  occurredAt: string;
}

export const fold = <E, S>(decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>, events: E[], state: S = decider.initialState()): S =>
  events.reduce(decider.evolve, state);
