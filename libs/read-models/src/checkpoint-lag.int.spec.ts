import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventToAppend, SqliteEventStore } from '@lib/event-store';
import { CHECKPOINT_LAG_COUNT_LIMIT, checkpointLag } from './checkpoint-lag';

const event = (occurredAt: string): EventToAppend => ({
  id: randomUUID(),
  type: 'Noted',
  data: {},
  metadata: { eventId: randomUUID(), occurredAt, schemaVersion: 1, actor: { type: 'system', id: 'spec' }, requestId: 'r', ip: '', userAgent: '' },
});

describe('checkpointLag on a real SQLite log', () => {
  let dir: string;
  let events: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'checkpoint-lag-'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an empty log, or a checkpoint at its head: nothing behind, 0 seconds', async () => {
    expect(await checkpointLag(events, null)).toEqual({ events: 0, seconds: 0 });
    const { position } = await events.append('s-1', [event('2030-01-01T00:00:00.000+00:00')], 'no_stream');
    expect(await checkpointLag(events, position)).toEqual({ events: 0, seconds: 0 });
  });

  it('counts the events after the checkpoint and dates the lag from the oldest of them', async () => {
    const first = await events.append('s-1', [event('2030-01-01T00:00:00.000+00:00')], 'no_stream');
    await events.append('s-2', [event('2030-01-01T00:00:10.000+00:00'), event('2030-01-01T00:00:20.000+00:00')], 'no_stream');
    const now = Date.parse('2030-01-01T00:01:00.000+00:00');
    expect(await checkpointLag(events, null, now)).toEqual({ events: 3, seconds: 60 });
    expect(await checkpointLag(events, first.position, now)).toEqual({ events: 2, seconds: 50 });
  });

  it('stops counting at the limit, and never reports a negative age (a writer with a clock ahead)', async () => {
    const batch = Array.from({ length: CHECKPOINT_LAG_COUNT_LIMIT + 5 }, () => event('2030-01-01T00:00:00.000+00:00'));
    await events.append('s-many', batch, 'no_stream');
    expect(await checkpointLag(events, null, Date.parse('2029-12-31T23:59:00.000+00:00'))).toEqual({ events: CHECKPOINT_LAG_COUNT_LIMIT, seconds: 0 });
  });
});
