import { CHROME_MAC_CLIENT } from '@lib/client-info/testing';
import { projectionSpec, recordedEvents, T1 } from '@lib/event-sourcing/testing';
import type { EventActor } from '@lib/event-store';
import { userStreamId } from '../user';
import { USER_EVENT_TYPES } from '../user.events';
import { AUDITED_EVENTS, auditEventName, NOT_AUDITED } from './audit-events';
import { LogChange, logsProjection } from './logs.read-model';

const U1 = userStreamId('p1', 'u1');
const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36';
const created = { userId: 'u1', name: 'Ann', email: 'a@x.io', phone: null, password: null, hash: 'argon2', hashOptions: { type: 'argon2' } };
const session = { sessionId: 's', provider: 'email', providerUid: 'a@x.io', providerAccessToken: '', providerAccessTokenExpiry: null, providerRefreshToken: '', expire: null, ip: '', userAgent: '' };

/** One event of each type a user stream can hold, with the audit name it must be logged under. */
const EXPECTED: Array<[type: string, data: Record<string, unknown>, event: string]> = [
  ['UserCreated', created, 'user.create'],
  ['UserNameChanged', { name: 'x' }, 'user.update'],
  ['UserEmailChanged', { email: 'b@x.io' }, 'user.update'],
  ['UserPhoneChanged', { phone: '+1234' }, 'user.update'],
  ['UserPasswordChanged', { password: 'h', hash: 'argon2', hashOptions: {} }, 'user.update'],
  ['UserStatusChanged', { status: false }, 'user.update'],
  ['UserEmailVerificationChanged', { emailVerification: true }, 'verification.update'],
  ['UserPhoneVerificationChanged', { phoneVerification: true }, 'verification.update'],
  ['UserPrefsReplaced', { prefs: {} }, 'user.update'],
  ['SessionCreated', session, 'session.create'],
  ['SessionDeleted', { sessionId: 's' }, 'session.delete'],
  ['TokenCreated', { tokenId: 't', secretHash: 'ab', expire: T1 }, 'tokens.create'],
  ['UserPasswordRehashed', { password: 'h', hash: 'argon2', hashOptions: {} }, 'password.rehash'],
  ['UserDeleted', {}, 'user.delete'],
  ['UserLabelsReplaced', { labels: ['vip'] }, 'user.update'],
  ['UserMfaChanged', { mfa: true }, 'user.update'],
  ['UserImpersonatorChanged', { impersonator: true }, 'user.update'],
  ['UserEmailRemoved', {}, 'user.update'],
  ['UserPhoneRemoved', {}, 'user.update'],
  ['MfaRecoveryCodesIssued', { codes: { alg: 'A256GCM', iv: '', data: '', tag: '' }, regenerated: false }, 'user.update'],
];

describe('logs projection', () => {
  const spec = projectionSpec(logsProjection);
  const changesOf = (type: string, data: Record<string, unknown>, actor?: EventActor) =>
    spec.given(recordedEvents()(U1, type, data, actor ? { actor } : {})).changes();
  const appended = (changes: LogChange[]) => changes.flatMap((c) => (c.kind === 'append' ? [c.log] : []));

  it('logs no target event and no access (Appwrite keeps those out of a user\'s log)', () => {
    const target = { targetId: 't', providerType: 'email', identifier: 'a@x.io', providerId: null, name: null };
    for (const [type, data] of [['TargetCreated', target], ['TargetUpdated', target], ['TargetDeleted', { targetId: 't' }], ['UserAccessed', {}]] as const) {
      expect([type, appended(changesOf(type, data))]).toEqual([type, []]);
    }
  });

  it('drops the whole log of an erased user, and writes no row of its own for the erasure', () => {
    expect(changesOf('UserErased', {})).toEqual([{ kind: 'erase', projectId: 'p1', userId: 'u1' }]);
  });

  it('is the `logs` projection', () => {
    expect(logsProjection.name).toBe('logs');
  });

  it('logs every change to a user, under Appwrite’s audit names (and password.rehash of our own)', () => {
    for (const [type, data, event] of EXPECTED) {
      expect([type, appended(changesOf(type, data)).map((l) => l.event)]).toEqual([type, [event]]);
    }
    expect(Object.fromEntries(Object.entries(AUDITED_EVENTS).sort())).toEqual(Object.fromEntries(EXPECTED.map(([type, , event]) => [type, event]).sort()));
  });

  it('has an audit name for every type of the user event union, but for those it lists as not audited', () => {
    const missing = USER_EVENT_TYPES.filter((type) => auditEventName(type) === null && !NOT_AUDITED.has(type));
    expect(missing).toEqual([]);
    expect([...NOT_AUDITED].filter((type) => auditEventName(type) !== null)).toEqual([]);
  });

  it('logs nothing for types it does not know, inherited names or foreign streams', () => {
    for (const type of ['UserSomethingElse', 'toString', '__proto__', 'constructor']) expect(changesOf(type, {})).toEqual([]);
    const event = recordedEvents();
    spec.given(event('project-p1', 'UserNameChanged', { name: 'x' }), event('unique-p1:email:abc', 'UserEmailChanged', { email: 'x' })).then([]);
  });

  it('remembers the actor’s name and email as of each event, and forgets a deleted user after its last record', () => {
    const kinds = (type: string, data: Record<string, unknown>) => changesOf(type, data).map((c) => (c.kind === 'append' ? 'append' : c));
    expect(kinds('UserCreated', created)).toEqual([{ kind: 'identity', projectId: 'p1', userId: 'u1', name: 'Ann', email: 'a@x.io' }, 'append']);
    expect(kinds('UserCreated', { ...created, name: '', email: null })).toEqual([{ kind: 'identity', projectId: 'p1', userId: 'u1', name: '', email: '' }, 'append']);
    expect(kinds('UserNameChanged', { name: 'Bea' })).toEqual([{ kind: 'identity', projectId: 'p1', userId: 'u1', name: 'Bea' }, 'append']);
    expect(kinds('UserEmailChanged', { email: 'b@x.io' })).toEqual([{ kind: 'identity', projectId: 'p1', userId: 'u1', email: 'b@x.io' }, 'append']);
    expect(kinds('UserDeleted', {})).toEqual(['append', { kind: 'forget', projectId: 'p1', userId: 'u1' }]);
    expect(kinds('UserPhoneChanged', { phone: '+1234' })).toEqual(['append']);
  });

  it('records the actor: API key → no user, mode admin; a user → that user, mode user; a guest → the user it logs in', () => {
    const actorOf = (actor: EventActor | undefined, type = 'UserNameChanged', data: Record<string, unknown> = { name: 'x' }) =>
      appended(changesOf(type, data, actor)).map((l) => [l.actorId, l.mode]);
    expect(actorOf({ type: 'apiKey', id: 'key-1' })).toEqual([['', 'admin']]);
    expect(actorOf({ type: 'user', id: 'u1' })).toEqual([['u1', 'user']]);
    expect(actorOf({ type: 'user', id: 'u9' })).toEqual([['u9', 'user']]);
    expect(actorOf({ type: 'system', id: 'guest' }, 'SessionCreated', session)).toEqual([['u1', 'user']]);
    expect(actorOf({ type: 'system', id: 'admin' })).toEqual([['', '']]);
    const noActor = recordedEvents()(U1, 'UserNameChanged', { name: 'x' });
    delete (noActor.metadata as { actor?: EventActor }).actor;
    expect(appended(spec.given(noActor).changes()).map((l) => [l.actorId, l.mode])).toEqual([['', '']]);
  });

  it('keys the record by the event id and sort key, with ip, time and client details from the metadata', () => {
    const e = recordedEvents(41)(U1, 'UserStatusChanged', { status: false }, { ip: '8.8.8.8', userAgent: CHROME_MAC, occurredAt: T1 });
    spec.given(e).then([
      {
        kind: 'append',
        log: {
          projectId: 'p1',
          userId: 'u1',
          sequence: e.sortKey,
          id: e.id,
          event: 'user.update',
          actorId: '',
          mode: 'admin',
          ip: '8.8.8.8',
          time: T1,
          ...CHROME_MAC_CLIENT,
          countryCode: 'us',
        },
      },
    ]);
    expect(e.sortKey).toBe('41'.padStart(40, '0'));
  });

  it('gives each event the client details of its own request, when consecutive events come from different clients', () => {
    const event = recordedEvents(50);
    const fromChrome = (ip: string) => event(U1, 'UserStatusChanged', { status: false }, { ip, userAgent: CHROME_MAC, occurredAt: T1 });
    const fromCurl = (ip: string) => event(U1, 'UserStatusChanged', { status: true }, { ip, userAgent: 'curl/8.4.0', occurredAt: T1 });
    const logs = appended(spec.given(fromChrome('8.8.8.8'), fromChrome('8.8.8.8'), fromCurl('8.8.8.8'), fromCurl('127.0.0.1'), fromChrome('127.0.0.1')).changes());
    expect(logs.map((l) => [l.clientName, l.countryCode])).toEqual([
      [CHROME_MAC_CLIENT.clientName, 'us'],
      [CHROME_MAC_CLIENT.clientName, 'us'],
      ['curl', 'us'],
      ['curl', '--'],
      [CHROME_MAC_CLIENT.clientName, '--'],
    ]);
  });

  it('later events sort after earlier ones (fixed-width text), also across digit counts', () => {
    const event = recordedEvents(9);
    const [nine, ten] = [event(U1, 'UserStatusChanged', { status: false }), event(U1, 'UserStatusChanged', { status: true })];
    const sequences = appended(spec.given(nine, ten).changes()).map((l) => l.sequence);
    expect(sequences).toEqual([nine.sortKey, ten.sortKey]);
    expect(sequences[0] < sequences[1]).toBe(true);
  });
});
