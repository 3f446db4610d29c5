import type { EventActor, RecordedEvent } from '@lib/event-store';
import { userStreamId } from '../src/user';
import { mulberry32, sortKey } from './user-fixtures';

/** A seeded history of users created, changed (by an API key, themselves or another user), deleted and created again. */
export function userHistory(projectId: string, seed: number, count: number): RecordedEvent[] {
  const rnd = mulberry32(seed);
  const alive = new Map<string, boolean>();
  const revisions = new Map<string, number>();
  const events: RecordedEvent[] = [];
  const ids = Array.from({ length: 25 }, (_, i) => `u${i}`);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  while (events.length < count) {
    const userId = pick(ids);
    const living = [...alive].filter(([, a]) => a).map(([id]) => id);
    const actor: EventActor = rnd() < 0.4 ? { type: 'apiKey', id: 'key' } : { type: 'user', id: rnd() < 0.5 || living.length === 0 ? userId : pick(living) };
    let type: string;
    let data: Record<string, unknown>;
    if (!alive.get(userId)) {
      type = 'UserCreated';
      data = { userId, name: `Name ${events.length}`, email: `${userId}.${events.length}@x.io`, phone: null, password: null, hash: 'argon2', hashOptions: { type: 'argon2' } };
    } else {
      [type, data] = pick<[string, Record<string, unknown>]>([
        ['UserNameChanged', { name: `Renamed ${events.length}` }],
        ['UserEmailChanged', { email: `${userId}.e${events.length}@x.io` }],
        ['UserStatusChanged', { status: rnd() < 0.5 }],
        ['UserLabelsReplaced', { labels: rnd() < 0.5 ? ['vip'] : [] }],
        ['UserDeleted', {}],
      ]);
    }
    alive.set(userId, type !== 'UserDeleted');
    const streamId = userStreamId(projectId, userId);
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    const n = events.length + 1;
    const at = new Date(Date.UTC(2024, 0, 1, 0, 0, n)).toISOString().replace('Z', '+00:00');
    events.push({ id: `e${n}`, type, streamId, revision, position: String(n), sortKey: sortKey(n), data, metadata: { eventId: `e${n}`, occurredAt: at, schemaVersion: 1, actor, requestId: 'r', ip: '127.0.0.1', userAgent: 'jest' } });
  }
  return events;
}

/** Where an event sits, as `ReadModelStore.apply` takes it. */
export const refOf = (e: RecordedEvent) => ({ streamId: e.streamId, streamRevision: e.revision, position: e.position });

/** The events in consecutive batches of 1 to 40, cut at places drawn from `seed`. */
export function cutIntoBatches(events: RecordedEvent[], seed: number): RecordedEvent[][] {
  const rnd = mulberry32(seed);
  const out: RecordedEvent[][] = [];
  for (let i = 0; i < events.length; ) {
    const n = 1 + Math.floor(rnd() * 40);
    out.push(events.slice(i, i + n));
    i += n;
  }
  return out;
}
