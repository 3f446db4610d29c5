import { RecordedEvent } from '../../../event-store/src/event-store.port';
import { userStreamId } from '../shared/stream-names';
import { logsProjection } from './logs.projection';
import { sessionsProjection } from './sessions.projection';
import { usersProjection } from './users.projection';

const T0 = '2024-01-01T00:00:00.000+00:00';
const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36';
let position = 100;
const recorded = (type: string, data: Record<string, unknown>, streamId = userStreamId('p1', 'u1')): RecordedEvent => ({
  id: `e${position}`,
  type,
  streamId,
  revision: position,
  position: String(++position),
  data,
  metadata: { eventId: `e${position}`, occurredAt: T0, schemaVersion: 1, actor: { type: 'apiKey', id: 'k' }, requestId: 'r', ip: '8.8.8.8', userAgent: CHROME_MAC },
});
const created = () =>
  recorded('UserCreated', { userId: 'u1', name: 'Ann', email: 'a@x.io', phone: null, password: null, hash: 'argon2', hashOptions: { type: 'argon2' } });

describe('users projection', () => {
  it('puts the created user with its insertion sequence', () => {
    const e = created();
    expect(usersProjection.project(e)).toEqual([
      {
        kind: 'user.put',
        user: expect.objectContaining({ projectId: 'p1', id: 'u1', sequence: Number(e.position), createdAt: T0, registration: T0, passwordUpdate: null, status: true, prefs: {} }),
      },
    ]);
  });
  it('patches changed fields with updatedAt, and email changes reset verification', () => {
    expect(usersProjection.project(recorded('UserEmailChanged', { email: 'b@x.io' }))).toEqual([
      { kind: 'user.patch', projectId: 'p1', userId: 'u1', patch: { email: 'b@x.io', emailVerification: false, updatedAt: T0 } },
    ]);
  });
  it('deletes on UserDeleted and ignores sessions and foreign streams', () => {
    expect(usersProjection.project(recorded('UserDeleted', {}))).toEqual([{ kind: 'user.delete', projectId: 'p1', userId: 'u1' }]);
    expect(usersProjection.project(recorded('SessionDeleted', { sessionId: 's' }))).toEqual([]);
    expect(usersProjection.project(recorded('UniqueValueClaimed', { owner: 'u1' }, 'unique-p1:email:abc'))).toEqual([]);
  });
});

describe('sessions projection', () => {
  it('stores a session with client details parsed from the user agent', () => {
    const [change] = sessionsProjection.project(
      recorded('SessionCreated', { sessionId: 's1', provider: 'email', providerUid: 'a@x.io', providerAccessToken: '', providerAccessTokenExpiry: null, providerRefreshToken: '', expire: null, ip: '8.8.8.8', userAgent: CHROME_MAC }),
    );
    expect(change).toMatchObject({ kind: 'session.put', session: { id: 's1', userId: 'u1', osCode: 'MAC', clientName: 'Chrome', countryCode: 'us', createdAt: T0 } });
  });
  it('removes one session, or all of a deleted user', () => {
    expect(sessionsProjection.project(recorded('SessionDeleted', { sessionId: 's1' }))).toEqual([{ kind: 'session.delete', projectId: 'p1', userId: 'u1', sessionId: 's1' }]);
    expect(sessionsProjection.project(recorded('UserDeleted', {}))).toEqual([{ kind: 'session.deleteAllOfUser', projectId: 'p1', userId: 'u1' }]);
  });
});

describe('logs projection', () => {
  it('records exactly the calls Appwrite 1.3.8 audits in the user log', () => {
    const audited = (type: string, data: Record<string, unknown>) => logsProjection.project(recorded(type, data)).map((c) => (c.kind === 'log.append' ? c.log.event : c.kind));
    expect(audited('UserNameChanged', { name: 'x' })).toEqual(['user.update']);
    expect(audited('UserStatusChanged', { status: false })).toEqual(['user.update']);
    expect(audited('UserPasswordChanged', { password: 'h', hash: 'argon2', hashOptions: {} })).toEqual(['user.update']);
    expect(audited('UserEmailChanged', { email: 'b@x.io' })).toEqual(['user.update']);
    expect(audited('UserEmailVerificationChanged', { emailVerification: true })).toEqual(['verification.update']);
    for (const [type, data] of [
      ['UserCreated', created().data],
      ['UserPhoneChanged', { phone: '+1234' }],
      ['UserPhoneVerificationChanged', { phoneVerification: true }],
      ['UserPrefsReplaced', { prefs: {} }],
      ['SessionDeleted', { sessionId: 's' }],
      ['UserDeleted', {}],
    ] as const) {
      expect(audited(type, data as Record<string, unknown>)).toEqual([]);
    }
  });
  it('keys the record by the event id and position, with ip, time and client details from the metadata', () => {
    const e = recorded('UserNameChanged', { name: 'x' });
    expect(logsProjection.project(e)[0]).toMatchObject({ kind: 'log.append', log: { id: e.id, sequence: Number(e.position), ip: '8.8.8.8', time: T0, clientName: 'Chrome', countryCode: 'us' } });
  });
});
