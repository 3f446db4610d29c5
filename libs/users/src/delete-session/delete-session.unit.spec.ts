import { expectNeedsExistingUser, isUserError, sessionCreated, sessionDeleted, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideDeleteSession } from './delete-session';

const spec = userSpec(decideDeleteSession);

describe('Delete session: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideDeleteSession, { sessionId: 's1', at: T_WHEN }));

  it('deletes a session of the user', () =>
    spec.given([userCreated(), sessionCreated('s1'), sessionCreated('s2')]).when({ sessionId: 's1', at: T_WHEN }).then([{ type: 'SessionDeleted', occurredAt: T_WHEN, data: { sessionId: 's1' } }]));

  it('refuses an unknown or already deleted session', () => {
    spec.given([userCreated()]).when({ sessionId: 's1', at: T_WHEN }).thenThrows(isUserError('user_session_not_found'));
    spec.given([userCreated(), sessionCreated('s1'), sessionDeleted('s1')]).when({ sessionId: 's1', at: T_WHEN }).thenThrows(isUserError('user_session_not_found'));
  });
});
