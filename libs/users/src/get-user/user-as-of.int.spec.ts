import type { RecordedEvent } from '@lib/event-store';
import { describeWithMongo, OpenReadModels, openReadModel, sqliteReadModelsForTests } from '@lib/read-models/testing';
import { refOf, userHistory } from '@lib/users/testing';
import { parseUserStreamId } from '../user';
import { USER_DIRECTORY } from '../user-directory/user-directory.read-model';
import { toUserModel } from '../user-directory/user.model';
import { userAsOf } from './user-as-of';

/*
 * One mapping of events to a user: after every event of a seeded history (creations, changes,
 * deletions, re-creations of 25 ids), the user folded as of that event's revision answers the
 * same User model, byte for byte, and the same revision as the user-directory row the projection
 * wrote, on each adapter. So GET user and its time travel cannot tell apart what they show.
 */
function describeAsOfAgreesWithDirectory(name: string, open: OpenReadModels) {
  it(`${name}: after every event, the as-of user is the directory's user`, async () => {
    const { store, queries: directory } = await openReadModel(open, USER_DIRECTORY);
    try {
      const streams = new Map<string, RecordedEvent[]>();
      for (const event of userHistory('asof', 11, 400)) {
        await store.apply('users', refOf(event), USER_DIRECTORY.projection.project(event));
        const stream = [...(streams.get(event.streamId) ?? []), event];
        streams.set(event.streamId, stream);
        const { projectId, userId } = parseUserStreamId(event.streamId)!;
        const row = await directory.get(projectId, userId);
        const asOf = userAsOf(stream, { revision: event.revision });
        expect([event.id, asOf === null]).toEqual([event.id, row === null]);
        if (row && asOf) {
          expect([event.id, JSON.stringify(toUserModel(asOf.user)), asOf.revision]).toEqual([event.id, JSON.stringify(toUserModel(row)), row.revision]);
        }
      }
    } finally {
      await store.close();
    }
  });
}

describe('time travel and the user directory', () => {
  describeAsOfAgreesWithDirectory('sqlite', sqliteReadModelsForTests());
});

describeWithMongo('time travel and the user directory on MongoDB', (server) => {
  describeAsOfAgreesWithDirectory('mongodb', server.open);
});
