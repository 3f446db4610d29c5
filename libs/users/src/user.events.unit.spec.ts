import { RecordedEvent } from '@lib/event-store';
import { toDomainEvent, upcast } from '@lib/event-sourcing';
import { USER_EVENT_SCHEMA } from './user.events';

const USER_EVENT_SCHEMA_VERSION = USER_EVENT_SCHEMA.schemaVersion;
const upcastUserEvent = (type: string, data: Record<string, unknown>, v: number) => upcast(USER_EVENT_SCHEMA, type, data, v);
const toUserEvent = (r: RecordedEvent) => toDomainEvent(USER_EVENT_SCHEMA, r);

describe('user event schema versions', () => {
  it('passes current-version data through unchanged', () => {
    expect(upcastUserEvent('UserNameChanged', { name: 'x' }, USER_EVENT_SCHEMA_VERSION)).toEqual({ name: 'x' });
  });
  it('refuses a version it has no upcaster for, instead of misreading it', () => {
    expect(() => upcastUserEvent('UserNameChanged', { name: 'x' }, 0)).toThrow(/No upcaster for UserNameChanged v0/);
  });
  it('maps stored events to domain events and ignores foreign types', () => {
    const base = { id: 'e', streamId: 'user-p:u', revision: 0, position: '1', sortKey: '1'.padStart(40, '0'), metadata: { eventId: 'e', occurredAt: 'T', schemaVersion: 1, actor: { type: 'system' as const, id: 's' }, requestId: '', ip: '', userAgent: '' } };
    expect(toUserEvent({ ...base, type: 'UserNameChanged', data: { name: 'x' } } as RecordedEvent)).toEqual({ type: 'UserNameChanged', data: { name: 'x' }, occurredAt: 'T' });
    expect(toUserEvent({ ...base, type: 'SomethingElse', data: {} } as RecordedEvent)).toBeNull();
  });
});
