import { ARGON, sessionCreated, userCreated } from '@lib/users/testing';
import { publicEventData, USER_EVENT_FIELDS } from './user-event-public-data';
import { USER_EVENT_SCHEMA, UserEvent, UserEventType } from './user.events';

/** Names that hold a secret, or what a secret is derived from, wherever they occur. */
const NEVER_PUBLIC = ['password', 'hash', 'hashOptions', 'secretHash', 'providerAccessToken', 'providerRefreshToken', 'codes'];

/** An event of `type` whose every classified field holds a value naming it. */
const everyFieldSet = (type: UserEventType): UserEvent => {
  const data = Object.fromEntries(Object.keys(USER_EVENT_FIELDS[type]).map((field) => [field, `value-of-${type}.${field}`]));
  return { type, data, occurredAt: '2024-01-01T00:00:00.000+00:00' } as UserEvent;
};

describe('the public view of user events', () => {
  it('classifies exactly the event types of the user schema', () => {
    expect(Object.keys(USER_EVENT_FIELDS).sort()).toEqual([...USER_EVENT_SCHEMA.types].sort());
  });

  it.each(USER_EVENT_SCHEMA.types.map((t) => [t]))('%s: never makes a secret public', (type) => {
    const fields = USER_EVENT_FIELDS[type] as Record<string, string>;
    expect(NEVER_PUBLIC.filter((field) => fields[field] === 'public')).toEqual([]);
  });

  it.each(USER_EVENT_SCHEMA.types.map((t) => [t]))('%s: shows the public fields, in order, and nothing withheld', (type) => {
    const fields = Object.entries(USER_EVENT_FIELDS[type] as Record<string, string>);
    const shown = publicEventData(everyFieldSet(type));
    expect(Object.keys(shown)).toEqual(fields.filter(([, v]) => v === 'public').map(([f]) => f));
    const text = JSON.stringify(shown);
    for (const [field] of fields.filter(([, v]) => v === 'withheld')) expect(text).not.toContain(`"value-of-${type}.${field}"`);
  });

  it('drops a field the table does not know (a field new in the data stays hidden until classified)', () => {
    const event = { type: 'UserNameChanged', data: { name: 'Bo', internalNote: 'not for anyone' }, occurredAt: '2024-01-01T00:00:00.000+00:00' } as unknown as UserEvent;
    expect(publicEventData(event)).toEqual({ name: 'Bo' });
  });

  it('shows who a user is, not how their password is stored; a session without its secrets', () => {
    const created = userCreated();
    expect(publicEventData(created)).toEqual({ userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: null });
    expect(JSON.stringify(publicEventData(created))).not.toContain((created.data as { password: string }).password);
    expect(JSON.stringify(publicEventData(created))).not.toContain(JSON.stringify(ARGON.hashOptions));
    const session = sessionCreated('s1');
    const withSecrets = { ...session, data: { ...session.data, providerAccessToken: 'gho_token', providerRefreshToken: 'ghr_token', secretHash: 'c0ffee', factors: ['password'] } } as UserEvent;
    expect(publicEventData(withSecrets)).toEqual({ sessionId: 's1', provider: 'email', providerUid: 'ann@x.io', providerAccessTokenExpiry: null, expire: null, ip: '127.0.0.1', userAgent: 'jest' });
  });
});
