import { randomBytes } from 'node:crypto';
import type { Clock } from '@lib/appwrite';
import type { EventStore } from '@lib/event-store';
import { recordedEvents } from '@lib/event-sourcing/testing';
import { JwtKey, verifyJwt } from '@lib/http';
import { expectNeedsExistingUser, isUserError, sessionCreated, sessionDeleted, T_WHEN, userCreated, userDeleted, userSpec } from '../../test/user-events';
import { foldUser, userStreamId } from '../user';
import type { UserEvent } from '../user.events';
import { CreateJwtCommand, CreateJwtHandler, decideJwtClaims, JwtRequest } from './create-jwt';

/** T_WHEN (2024-01-01T00:00:01Z) in seconds since the epoch. */
const NOW = 1_704_067_201;
const when = (request: Partial<JwtRequest> = {}) => ({ sessionId: '', duration: 900, ...request, at: T_WHEN });
const given = (events: UserEvent[]) => ({ when: (request: Partial<JwtRequest> = {}) => decideJwtClaims(when(request), foldUser(events)) });
/** The decision as a decider: it validates and records nothing. */
const decideNothing = (command: ReturnType<typeof when>, state: Parameters<typeof decideJwtClaims>[1]): UserEvent[] => (decideJwtClaims(command, state), []);
const spec = userSpec(decideNothing);
const USER_WITH_SESSIONS = [userCreated(), sessionCreated('s1'), sessionCreated('s2'), sessionCreated('s3'), sessionDeleted('s3')];

describe('Create JWT: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideNothing, when()));

  it('records nothing', () => spec.given(USER_WITH_SESSIONS).when(when({ sessionId: 'recent' })).then([]));

  it('names no session by default', () => expect(given(USER_WITH_SESSIONS).when()).toEqual({ userId: 'u1', sessionId: '', exp: NOW + 900 }));

  it('names the newest live session for `recent`, none when the user has none', () => {
    expect(given(USER_WITH_SESSIONS).when({ sessionId: 'recent' }).sessionId).toBe('s2');
    expect(given([userCreated()]).when({ sessionId: 'recent' }).sessionId).toBe('');
  });

  it('names the session asked for when it is the user’s and live', () => expect(given(USER_WITH_SESSIONS).when({ sessionId: 's1' }).sessionId).toBe('s1'));

  it('refuses an unknown, deleted or previous-incarnation session', () => {
    spec.given(USER_WITH_SESSIONS).when(when({ sessionId: 'nope' })).thenThrows(isUserError('user_session_not_found'));
    spec.given(USER_WITH_SESSIONS).when(when({ sessionId: 's3' })).thenThrows(isUserError('user_session_not_found'));
    spec.given([userCreated(), sessionCreated('s1'), userDeleted(), userCreated()]).when(when({ sessionId: 's1' })).thenThrows(isUserError('user_session_not_found'));
  });

  it('expires `duration` seconds from now (0: at once)', () => {
    expect(given([userCreated()]).when({ duration: 3600 }).exp).toBe(NOW + 3600);
    expect(given([userCreated()]).when({ duration: 0 }).exp).toBe(NOW);
  });
});

describe('Create JWT: handler', () => {
  const key: JwtKey = { secret: randomBytes(32) };
  const clock = { now: () => T_WHEN } as Clock;
  const record = recordedEvents();
  const stream = userStreamId('p1', 'u1');
  const history = USER_WITH_SESSIONS.map((e) => record(stream, e.type, e.data as Record<string, unknown>, { occurredAt: e.occurredAt }));
  const events = { readStream: async (id: string) => (id === stream ? history : []), onStreamRedacted: () => undefined } as unknown as EventStore;
  const handler = new CreateJwtHandler({ events }, clock, key);
  const ctx = { projectId: 'p1', actor: { type: 'apiKey' as const, id: 'k' }, requestId: 'r', ip: '', userAgent: '' };

  it('signs claims that verify with the server key, and with no other key', async () => {
    const { jwt } = await handler.execute(new CreateJwtCommand(ctx, 'u1', { sessionId: 'recent', duration: 900 }));
    expect(jwt.split('.')).toHaveLength(3);
    expect(JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString())).toEqual({ userId: 'u1', sessionId: 's2', exp: NOW + 900 });
    expect(verifyJwt(jwt, key.secret, NOW)).toEqual({ userId: 'u1', sessionId: 's2', exp: NOW + 900 });
    expect(verifyJwt(jwt, randomBytes(32), NOW)).toBeNull();
    expect(verifyJwt(jwt, key.secret, NOW + 900)).toBeNull();
  });

  it('answers user_not_found for a user without a stream', async () => {
    const failure = await handler.execute(new CreateJwtCommand(ctx, 'ghost', { sessionId: '', duration: 900 })).catch((e: unknown) => e);
    expect(isUserError('user_not_found')(failure)).toBe(true);
  });
});
