import { isUserError, sessionCreated, sessionDeleted, T_WHEN, userCreated, userDeleted, userSpec } from '@lib/users/testing';
import type { Principal } from '@lib/http';
import { decideDeleteAccountSession, resolveSessionId } from './delete-session';

const spec = userSpec(decideDeleteAccountSession);
const user = (via: 'session' | 'jwt', sessionId = 's1'): Principal => ({ kind: 'user', projectId: 'p', userId: 'u1', sessionId, via, scopes: [] });

describe('delete an account session (decide)', () => {
  it('deletes a live session of the user', () =>
    spec.given([userCreated(), sessionCreated('s1')]).when({ sessionId: 's1', at: T_WHEN }).then([{ type: 'SessionDeleted', occurredAt: T_WHEN, data: { sessionId: 's1' } }]));

  it('answers user_session_not_found for a deleted, unknown or unnamed session, or a gone user', () => {
    spec.given([userCreated(), sessionCreated('s1'), sessionDeleted('s1')]).when({ sessionId: 's1', at: T_WHEN }).thenThrows(isUserError('user_session_not_found'));
    spec.given([userCreated()]).when({ sessionId: 'other', at: T_WHEN }).thenThrows(isUserError('user_session_not_found'));
    spec.given([userCreated(), sessionCreated('s1')]).when({ sessionId: null, at: T_WHEN }).thenThrows(isUserError('user_session_not_found'));
    spec.given([userCreated(), sessionCreated('s1'), userDeleted()]).when({ sessionId: 's1', at: T_WHEN }).thenThrows(isUserError('user_session_not_found'));
  });
});

describe('the session `current` names', () => {
  it('is the session that authenticated the request', () => expect(resolveSessionId('current', user('session'))).toBe('s1'));
  it('is none for a JWT (it has no secret), a key or a guest', () => {
    expect(resolveSessionId('current', user('jwt'))).toBeNull();
    expect(resolveSessionId('current', { kind: 'guest', projectId: 'p', scopes: [] })).toBeNull();
    expect(resolveSessionId('current', undefined)).toBeNull();
  });
  it('leaves any other id as it is', () => expect(resolveSessionId('s9', user('session'))).toBe('s9'));
});
