import { recordedEvents } from '@lib/event-sourcing/testing';
import type { RecordedEvent } from '@lib/event-store';
import { foldUser, userStreamId } from '../user';
import { USER_EVENT_SCHEMA, UserEvent } from '../user.events';
import { toDomainEvent } from '@lib/event-sourcing';
import { userAsOf } from './user-as-of';

const U1 = userStreamId('p1', 'u1');
const at = (second: number) => `2024-01-01T00:00:${String(second).padStart(2, '0')}.000+00:00`;
const created = { userId: 'u1', name: 'Ann', email: 'ann@x.io', phone: null, password: '$argon2id$x', hash: 'argon2', hashOptions: { type: 'argon2' } };
const emailTarget = { targetId: 't1', providerType: 'email', identifier: 'ann@x.io', providerId: null, name: null };
const session = { sessionId: 's1', provider: 'email', providerUid: 'ann@x.io', providerAccessToken: '', providerAccessTokenExpiry: null, providerRefreshToken: '', expire: null, ip: '', userAgent: '' };

/** A user created (with its email target), renamed, given a session, deleted and created again. */
function history(): RecordedEvent[] {
  const event = recordedEvents();
  return [
    event(U1, 'UserCreated', created, { occurredAt: at(1) }),
    event(U1, 'TargetCreated', emailTarget, { occurredAt: at(1) }),
    event(U1, 'UserNameChanged', { name: 'Bea' }, { occurredAt: at(3) }),
    event(U1, 'SessionCreated', session, { occurredAt: at(5) }),
    event(U1, 'UserDeleted', {}, { occurredAt: at(7) }),
    event(U1, 'UserCreated', { ...created, name: 'Cid', email: null }, { occurredAt: at(9) }),
  ];
}

const domain = (recorded: RecordedEvent[]) => recorded.map((r) => toDomainEvent<UserEvent>(USER_EVENT_SCHEMA, r)!);

describe('the user as of a moment of its stream', () => {
  const events = history();

  it('at a revision: the user right after that event, named by that revision', () => {
    expect(userAsOf(events, { revision: 0 })).toEqual({ user: expect.objectContaining({ name: 'Ann', targets: [] }), revision: 0 });
    expect(userAsOf(events, { revision: 1 })?.user.targets.map((t) => t.id)).toEqual(['t1']);
    expect(userAsOf(events, { revision: 2 })).toEqual({ user: expect.objectContaining({ name: 'Bea', updatedAt: at(3) }), revision: 2 });
    // A session changes no field, but it is a revision of its own.
    expect(userAsOf(events, { revision: 3 })).toEqual({ user: userAsOf(events, { revision: 2 })!.user, revision: 3 });
  });

  it('folds exactly what the aggregate folds', () => {
    for (let n = 0; n < events.length; n++) {
      const state = foldUser(domain(events.slice(0, n + 1)));
      expect(userAsOf(events, { revision: n })?.user ?? null).toEqual(state.lifecycle === 'active' ? state.user : null);
    }
  });

  it('at a date: every event that occurred at or before it', () => {
    expect(userAsOf(events, { at: at(1) })).toEqual({ user: expect.objectContaining({ name: 'Ann', targets: [expect.objectContaining({ id: 't1' })] }), revision: 1 });
    expect(userAsOf(events, { at: '2024-01-01T00:00:02.999+00:00' })?.revision).toBe(1);
    expect(userAsOf(events, { at: at(3) })).toEqual({ user: expect.objectContaining({ name: 'Bea' }), revision: 2 });
    expect(userAsOf(events, { at: at(6) })?.revision).toBe(3);
    expect(userAsOf(events, { at: '2999-01-01T00:00:00.000+00:00' })).toEqual({ user: expect.objectContaining({ name: 'Cid', email: null }), revision: 5 });
  });

  it('is nobody before the creation, after the deletion, and at a revision not reached yet', () => {
    expect(userAsOf(events, { at: '2024-01-01T00:00:00.999+00:00' })).toBeNull();
    expect(userAsOf(events, { at: at(7) })).toBeNull();
    expect(userAsOf(events, { at: at(8) })).toBeNull();
    expect(userAsOf(events, { revision: 4 })).toBeNull();
    expect(userAsOf(events, { revision: 6 })).toBeNull();
    expect(userAsOf([], { revision: 0 })).toBeNull();
    expect(userAsOf([], { at: at(1) })).toBeNull();
  });

  it('a re-created user is a new one: nothing of its predecessor but the id', () => {
    const again = userAsOf(events, { revision: 5 })!;
    expect(again.user).toMatchObject({ id: 'u1', name: 'Cid', createdAt: at(9), registration: at(9), targets: [] });
  });

  it('stops at the first event after the date, even if a later one claims an earlier time', () => {
    const event = recordedEvents();
    const skewed = [event(U1, 'UserCreated', created, { occurredAt: at(1) }), event(U1, 'UserNameChanged', { name: 'Late' }, { occurredAt: at(5) }), event(U1, 'UserNameChanged', { name: 'Skewed' }, { occurredAt: at(4) })];
    expect(userAsOf(skewed, { at: at(4) })).toEqual({ user: expect.objectContaining({ name: 'Ann' }), revision: 0 });
  });
});
