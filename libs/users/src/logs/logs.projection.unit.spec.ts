import { projectionSpec, recordedEvents, T1 } from '@lib/event-sourcing/testing';
import { userStreamId } from '../user';
import { AUDITED_EVENTS, logsProjection } from './logs.read-model';

const U1 = userStreamId('p1', 'u1');
const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36';
const created = { userId: 'u1', name: 'Ann', email: 'a@x.io', phone: null, password: null, hash: 'argon2', hashOptions: { type: 'argon2' } };

describe('logs projection', () => {
  const spec = projectionSpec(logsProjection);
  const audited = (type: string, data: Record<string, unknown>) =>
    spec
      .given(recordedEvents()(U1, type, data))
      .changes()
      .map((c) => (c.kind === 'append' ? c.log.event : c.kind));

  it('is the `logs` projection', () => {
    expect(logsProjection.name).toBe('logs');
  });

  it('records exactly the calls Appwrite 1.3.8 audits in the user log', () => {
    expect(audited('UserNameChanged', { name: 'x' })).toEqual(['user.update']);
    expect(audited('UserStatusChanged', { status: false })).toEqual(['user.update']);
    expect(audited('UserPasswordChanged', { password: 'h', hash: 'argon2', hashOptions: {} })).toEqual(['user.update']);
    expect(audited('UserEmailChanged', { email: 'b@x.io' })).toEqual(['user.update']);
    expect(audited('UserEmailVerificationChanged', { emailVerification: true })).toEqual(['verification.update']);
    for (const [type, data] of [
      ['UserCreated', created],
      ['UserPhoneChanged', { phone: '+1234' }],
      ['UserPhoneVerificationChanged', { phoneVerification: true }],
      ['UserPrefsReplaced', { prefs: {} }],
      ['SessionCreated', { sessionId: 's' }],
      ['SessionDeleted', { sessionId: 's' }],
      ['UserDeleted', {}],
    ] as const) {
      expect(audited(type, data as Record<string, unknown>)).toEqual([]);
    }
    expect(Object.keys(AUDITED_EVENTS).sort()).toEqual(['UserEmailChanged', 'UserEmailVerificationChanged', 'UserNameChanged', 'UserPasswordChanged', 'UserStatusChanged']);
  });

  it('keys the record by the event id and sort key, with ip, time and client details from the metadata', () => {
    const e = recordedEvents(41)(U1, 'UserNameChanged', { name: 'x' }, { ip: '8.8.8.8', userAgent: CHROME_MAC, occurredAt: T1 });
    spec.given(e).then([
      {
        kind: 'append',
        log: {
          projectId: 'p1',
          userId: 'u1',
          sequence: e.sortKey,
          id: e.id,
          event: 'user.update',
          userEmail: '',
          userName: '',
          mode: '',
          ip: '8.8.8.8',
          time: T1,
          osCode: 'MAC',
          osName: 'Mac',
          osVersion: '10.15',
          clientType: 'browser',
          clientCode: 'CH',
          clientName: 'Chrome',
          clientVersion: '112.0',
          clientEngine: 'Blink',
          clientEngineVersion: '112.0.0.0',
          deviceName: 'desktop',
          deviceBrand: 'Apple',
          deviceModel: '',
          countryCode: 'us',
        },
      },
    ]);
    expect(e.sortKey).toBe('41'.padStart(40, '0'));
  });

  it('later events sort after earlier ones (fixed-width text), also across digit counts', () => {
    const event = recordedEvents(9);
    const [nine, ten] = [event(U1, 'UserNameChanged', { name: 'a' }), event(U1, 'UserNameChanged', { name: 'b' })];
    const sequences = spec.given(nine, ten).changes().map((c) => c.log.sequence);
    expect(sequences).toEqual([nine.sortKey, ten.sortKey]);
    expect(sequences[0] < sequences[1]).toBe(true);
  });

  it('ignores foreign streams', () => {
    const event = recordedEvents();
    spec.given(event('project-p1', 'UserNameChanged', { name: 'x' }), event('unique-p1:email:abc', 'UserEmailChanged', { email: 'x' })).then([]);
  });
});
