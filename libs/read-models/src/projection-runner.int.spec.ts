import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventToAppend, SqliteEventStore } from '@lib/event-store';
import { note, NOTES, queriesOf } from '@lib/read-models/testing';
import { ProjectionRunner } from './projection-runner';
import { SqliteReadModels } from './sqlite/sqlite-read-models';

const event = (type: string, data: Record<string, unknown>): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: { eventId: randomUUID(), occurredAt: '2030-01-01T00:00:00.000+00:00', schemaVersion: 1, actor: { type: 'system', id: 'spec' }, requestId: 'r', ip: '', userAgent: '' },
});
const written = (id: string, text: string) => event('NoteWritten', { projectId: 'p', id, text });
const claimed = () => event('ValueClaimed', { value: randomUUID() });
const silent = { error: () => undefined, info: () => undefined };

describe('ProjectionRunner on a real SQLite log and read store', () => {
  let dir: string;
  let events: SqliteEventStore;
  let store: SqliteReadModels;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'projection-runner-'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 10 });
    store = new SqliteReadModels(join(dir, 'read-models.sqlite'), { notes: NOTES.sqlite.storage });
  });
  afterEach(async () => {
    await store.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const streamRows = () => {
    const raw = new Database(join(dir, 'read-models.sqlite'), { readonly: true });
    const rows = raw.prepare('SELECT stream_id, revision FROM projection_streams ORDER BY stream_id').all();
    raw.close();
    return rows;
  };

  it('events a read model ignores leave no row, and the checkpoint still reaches the last of them; a restart applies nothing twice', async () => {
    await events.append('claim-1', [claimed(), claimed()], 'no_stream');
    await events.append('note-1', [written('n1', 'first'), written('n1', 'second')], 'no_stream');
    await events.append('note-2', [written('n2', 'only')], 'no_stream');
    const last = await events.append('claim-2', [claimed()], 'no_stream');
    const runner = new ProjectionRunner(events, store, [NOTES.projection], silent);
    await runner.start();
    await runner.waitFor(last.position);
    await runner.stop();
    expect(await queriesOf(store, NOTES).list('p')).toEqual([note('p', 'n1', 'second'), note('p', 'n2', 'only')]);
    expect(streamRows()).toEqual([
      { stream_id: 'note-1', revision: 1 },
      { stream_id: 'note-2', revision: 0 },
    ]);
    expect(await store.getCheckpoint('notes')).toBe(last.position);

    // From the checkpoint again, with more of both kinds after it.
    await events.append('note-3', [written('n3', 'later')], 'no_stream');
    const end = await events.append('claim-3', [claimed()], 'no_stream');
    const again = new ProjectionRunner(events, store, [NOTES.projection], silent);
    await again.start();
    await again.waitFor(end.position);
    await again.stop();
    expect(await queriesOf(store, NOTES).list('p')).toEqual([note('p', 'n1', 'second'), note('p', 'n2', 'only'), note('p', 'n3', 'later')]);
    expect(streamRows().map((r) => (r as { stream_id: string }).stream_id)).toEqual(['note-1', 'note-2', 'note-3']);
    expect(await store.getCheckpoint('notes')).toBe(end.position);
  });
});
