import { recordedEvents } from '@lib/event-sourcing/testing';
import { toDomainEvent } from '@lib/event-sourcing';
import { userStreamId } from '../user';
import { USER_EVENT_SCHEMA, UserEvent } from '../user.events';
import { toUserEventModel } from './user-event.model';

describe('the userEvent model', () => {
  it('is where the event sits, who caused it from where, and the public view of its data', () => {
    const event = recordedEvents(42);
    const recorded = event(userStreamId('p', 'u1'), 'UserPasswordChanged', { password: '$argon2id$secret', hash: 'argon2', hashOptions: { type: 'argon2' } }, { actor: { type: 'user', id: 'u1' }, requestId: 'req-1', ip: '203.0.113.9', userAgent: 'curl/8' });
    expect(toUserEventModel(recorded, toDomainEvent<UserEvent>(USER_EVENT_SCHEMA, recorded)!)).toEqual({
      $id: 'e42',
      type: 'UserPasswordChanged',
      revision: 0,
      position: 'P42',
      occurredAt: '2024-01-01T00:00:00.000+00:00',
      schemaVersion: 1,
      actor: { type: 'user', id: 'u1' },
      requestId: 'req-1',
      ip: '203.0.113.9',
      userAgent: 'curl/8',
      data: {},
    });
  });

});
