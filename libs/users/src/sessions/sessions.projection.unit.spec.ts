import { projectionSpec, recordedEvents, T0 } from '@lib/event-sourcing/testing';
import { userStreamId } from '../user';
import { sessionsProjection } from './sessions.read-model';

const U1 = userStreamId('p1', 'u1');
const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36';
const sessionCreated = {
  sessionId: 's1',
  provider: 'email',
  providerUid: 'a@x.io',
  providerAccessToken: '',
  providerAccessTokenExpiry: null,
  providerRefreshToken: '',
  expire: null,
  ip: '8.8.8.8',
  userAgent: CHROME_MAC,
};

describe('sessions projection', () => {
  const spec = projectionSpec(sessionsProjection);

  it('is the `sessions` projection', () => {
    expect(sessionsProjection.name).toBe('sessions');
  });

  it('stores a session with client details parsed from the user agent, and the country of its ip', () => {
    spec.given(recordedEvents()(U1, 'SessionCreated', sessionCreated)).thenMatch([
      {
        kind: 'put',
        session: {
          projectId: 'p1',
          userId: 'u1',
          id: 's1',
          createdAt: T0,
          expire: null,
          provider: 'email',
          providerUid: 'a@x.io',
          ip: '8.8.8.8',
          osCode: 'MAC',
          clientType: 'browser',
          clientName: 'Chrome',
          countryCode: 'us',
        },
      },
    ]);
    const [change] = spec.given(recordedEvents()(U1, 'SessionCreated', sessionCreated)).changes();
    // The raw user agent is parsed once, here; it is not kept.
    expect(change.kind === 'put' && 'userAgent' in change.session).toBe(false);
    expect(change.kind === 'put' && 'sessionId' in change.session).toBe(false);
  });

  it('uses the session\'s own ip, not the request\'s', () => {
    const [change] = spec.given(recordedEvents()(U1, 'SessionCreated', { ...sessionCreated, ip: '127.0.0.1' }, { ip: '8.8.8.8' })).changes();
    expect(change).toMatchObject({ kind: 'put', session: { ip: '127.0.0.1', countryCode: '--' } });
  });

  it('removes one session, or all of a deleted user', () => {
    const event = recordedEvents();
    spec.given(event(U1, 'SessionDeleted', { sessionId: 's1' })).then([{ kind: 'delete', projectId: 'p1', userId: 'u1', sessionId: 's1' }]);
    spec.given(event(U1, 'UserDeleted', {})).then([{ kind: 'deleteAllOfUser', projectId: 'p1', userId: 'u1' }]);
  });

  it('ignores every other user event and foreign streams', () => {
    const event = recordedEvents();
    spec
      .given(
        event(U1, 'UserCreated', { userId: 'u1', name: 'Ann', email: null, phone: null, password: null, hash: 'argon2', hashOptions: {} }),
        event(U1, 'UserNameChanged', { name: 'x' }),
        event(U1, 'UserPrefsReplaced', { prefs: {} }),
        event('project-p1', 'SessionCreated', sessionCreated),
        event('unique-p1:email:abc', 'SessionDeleted', { sessionId: 's1' }),
      )
      .then([]);
  });
});
