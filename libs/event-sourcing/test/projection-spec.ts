import type { RecordedEvent } from '@lib/event-store';

interface ProjectionLike<Change> {
  project(event: RecordedEvent): Change[];
}

/** Given-when-then for projections: given these recorded events, then these read-model changes. */
export function projectionSpec<Change>(projection: ProjectionLike<Change>) {
  return {
    given(...events: RecordedEvent[]) {
      const changes = () => events.flatMap((e) => projection.project(e));
      return {
        then(expected: Change[]) {
          expect(changes()).toEqual(expected);
        },
        thenMatch(expected: unknown[]) {
          expect(changes()).toMatchObject(expected);
        },
        changes,
      };
    },
  };
}
