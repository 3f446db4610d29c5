import { expectNeedsExistingUser, sessionCreated, sessionDeleted, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideDeleteSessions } from './delete-sessions';

const spec = userSpec(decideDeleteSessions);

describe('Delete sessions: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideDeleteSessions, { at: T_WHEN }));

  it('deletes all sessions, one event each, in creation order', () =>
    spec.given([userCreated(), sessionCreated('s1'), sessionCreated('s2')]).when({ at: T_WHEN }).then([
      { type: 'SessionDeleted', occurredAt: T_WHEN, data: { sessionId: 's1' } },
      { type: 'SessionDeleted', occurredAt: T_WHEN, data: { sessionId: 's2' } },
    ]));

  it('deletes only the sessions still live', () =>
    spec.given([userCreated(), sessionCreated('s1'), sessionCreated('s2'), sessionDeleted('s1')]).when({ at: T_WHEN }).then([{ type: 'SessionDeleted', occurredAt: T_WHEN, data: { sessionId: 's2' } }]));

  it('decides nothing when there are none', () => spec.given([userCreated()]).when({ at: T_WHEN }).then([]));
});
