import type { Decider } from '@lib/event-sourcing';

/**
 * Given-when-then for deciders: `spec.given(events).when(command).then(events)` or
 * `.thenThrows(matcher)`, so each rule reads as one sentence.
 */
export function deciderSpec<C, E, S>(decider: Decider<C, E, S>) {
  return {
    given(events: E[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: C) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: E[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows(matcher: (err: unknown) => boolean) {
              let thrown: unknown = undefined;
              try {
                run();
              } catch (err) {
                thrown = err;
              }
              expect(thrown).toBeDefined();
              expect(matcher(thrown)).toBe(true);
            },
          };
        },
      };
    },
  };
}
