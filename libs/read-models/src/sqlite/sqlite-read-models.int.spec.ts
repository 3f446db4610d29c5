import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { scanFiles } from '@lib/event-store/testing';
import { deleteNote, NOTES, note, noteReadModel, putNote, queriesOf, readModelStoreContract, ref, sqliteReadModelsForTests } from '@lib/read-models/testing';
import { SqliteReadModels } from './sqlite-read-models';

const open = sqliteReadModelsForTests();

readModelStoreContract('sqlite', open);

describe('SqliteReadModels specifics', () => {
  const storages = { notes: NOTES.sqlite.storage };

  it('keeps data and bookkeeping across a reopen', async () => {
    const file = open.tempFile();
    const a = new SqliteReadModels(file, storages);
    await a.bindLog('log-A');
    await a.apply('notes', ref(0, '1'), [putNote('p', 'n1')]);
    await a.close();
    await a.close();
    const b = new SqliteReadModels(file, storages);
    await b.bindLog('log-A');
    expect(await queriesOf(b, NOTES).list('p')).toEqual([note('p', 'n1')]);
    expect(await b.getCheckpoint('notes')).toBe('1');
    expect(await b.apply('notes', ref(0, '1'), [])).toBe(false);
    await b.close();
  });

  it('leaves nothing of a deleted row in the database file or its WAL once it purged what was deleted', async () => {
    const file = open.tempFile();
    const store = new SqliteReadModels(file, storages);
    const onDisk = () => scanFiles([file, `${file}-wal`], ['erase-me-7f3a', 'keep-me-7f3a']).map((hit) => hit.slice(hit.lastIndexOf(' ') + 1));
    await store.apply('notes', ref(0, '1', 'a'), [putNote('p', 'gone', 'erase-me-7f3a')]);
    await store.apply('notes', ref(0, '2', 'b'), [putNote('p', 'kept', 'keep-me-7f3a')]);
    expect(onDisk()).toContain('erase-me-7f3a');
    await store.apply('notes', ref(1, '3', 'a'), [deleteNote('p', 'gone')]);
    await store.purgeDeleted();
    expect([...new Set(onDisk())]).toEqual(['keep-me-7f3a']);
    await store.close();
  });

  it('runs in WAL mode so readers never wait for the projector', async () => {
    const store = await open([NOTES]);
    expect((store as SqliteReadModels).database.pragma('journal_mode', { simple: true })).toBe('wal');
    await store.close();
  });

  it('accepts :memory:, which cannot be rebuilt beside itself', async () => {
    const m = new SqliteReadModels(':memory:', storages);
    await m.apply('notes', ref(0, '1'), [putNote('p', 'n1')]);
    expect(await queriesOf(m, NOTES).list('p')).toEqual([note('p', 'n1')]);
    await expect(m.openShadow('notes')).rejects.toThrow(/in-memory/);
    await m.close();
  });

  it('drops a read model whose storage version changed, with its bookkeeping, and keeps the others', async () => {
    const drafts = noteReadModel({ name: 'drafts' });
    const file = open.tempFile();
    const v1 = new SqliteReadModels(file, { notes: NOTES.sqlite.storage, drafts: drafts.sqlite.storage });
    await v1.bindLog('log-A');
    await v1.apply('notes', ref(0, '3'), [putNote('p', 'n1')]);
    await v1.apply('drafts', ref(0, '4'), [putNote('p', 'd1')]);
    await v1.close();

    const v2 = new SqliteReadModels(file, { notes: noteReadModel({ version: 2 }).sqlite.storage, drafts: drafts.sqlite.storage });
    await v2.bindLog('log-A');
    expect(await queriesOf(v2, NOTES).list('p')).toEqual([]);
    expect(await v2.getCheckpoint('notes')).toBeNull();
    expect(await v2.apply('notes', ref(0, '3'), [putNote('p', 'n1')])).toBe(true);
    expect(await queriesOf(v2, drafts).list('p')).toEqual([note('p', 'd1')]);
    expect(await v2.getCheckpoint('drafts')).toBe('4');
    await v2.close();

    // The same version again: nothing is dropped.
    const again = new SqliteReadModels(file, { notes: noteReadModel({ version: 2 }).sqlite.storage });
    expect(await queriesOf(again, NOTES).list('p')).toEqual([note('p', 'n1')]);
    await again.close();
  });

  it('a writer on another connection fails with SQLITE_BUSY while a swap holds the write lock', async () => {
    const live = await open([NOTES]);
    const other = await open([NOTES], { sameStorageAs: live, lockWaitMs: 20 });
    const shadow = await live.openShadow('notes');
    let refused: unknown = null;
    await live.swapIn('notes', shadow, async () => {
      refused = await other.apply('notes', ref(0, '1'), [putNote('p', 'n1')]).catch((err: unknown) => err);
    });
    expect(refused).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(await other.apply('notes', ref(0, '1'), [putNote('p', 'n1')])).toBe(true);
    await other.close();
    await live.close();
  });

  it('deletes the shadow\'s files after the swap, and after a failed one', async () => {
    const live = await open([NOTES]);
    const file = open.fileOf(live);
    const shadowFile = `${file}.rebuild-notes`;
    const shadow = await live.openShadow('notes');
    await shadow.apply('notes', ref(0, '1'), [putNote('p', 'n1')]);
    expect(existsSync(shadowFile)).toBe(true);
    await live.swapIn('notes', shadow, async () => undefined);
    for (const suffix of ['', '-wal', '-shm']) expect(existsSync(shadowFile + suffix)).toBe(false);
    const failing = await live.openShadow('notes');
    await expect(live.swapIn('notes', failing, () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(existsSync(shadowFile)).toBe(false);
    expect(await queriesOf(live, NOTES).list('p')).toEqual([note('p', 'n1')]);
    await live.close();
  });

  it('commits the batches of one turn together, a failing one failing alone and wholly', async () => {
    const other = noteReadModel({ name: 'other_notes' });
    const store = new SqliteReadModels(open.tempFile(), { notes: NOTES.sqlite.storage, other_notes: other.sqlite.storage });
    await store.bindLog('log-A');
    const [failing, fine] = await Promise.allSettled([
      store.applyBatch('notes', [
        { ref: ref(0, '1', 's1'), changes: [putNote('p', 'n1')] },
        { ref: ref(0, '2', 's2'), changes: [{ kind: 'unknown' }] },
      ]),
      store.applyBatch('other_notes', [{ ref: ref(0, '1', 's1'), changes: [putNote('p', 'o1')] }]),
    ]);
    expect(failing).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/Unknown note change/) } });
    expect(fine.status).toBe('fulfilled');
    expect(await queriesOf(store, NOTES).list('p')).toEqual([]);
    expect(await store.getCheckpoint('notes')).toBeNull();
    expect(await queriesOf(store, other).list('p')).toEqual([note('p', 'o1')]);
    expect(await store.getCheckpoint('other_notes')).toBe('1');
    await store.close();
  });

  it('a redelivered batch changes nothing, also for streams whose first event it holds; an event without changes leaves no row', async () => {
    const store = new SqliteReadModels(open.tempFile(), storages);
    const raw = new Database(store['file'], { readonly: true });
    const rows = () => raw.prepare('SELECT stream_id, revision FROM projection_streams ORDER BY stream_id').all();
    await store.applyBatch('notes', [
      { ref: ref(0, '1', 's1'), changes: [putNote('p', 'n1', 'first')] },
      { ref: ref(0, '2', 'claim'), changes: [] },
      { ref: ref(1, '3', 's1'), changes: [putNote('p', 'n1', 'second')] },
      { ref: ref(0, '4', 's2'), changes: [putNote('p', 'n2', 'only')] },
    ]);
    const after = [note('p', 'n1', 'second'), note('p', 'n2', 'only')];
    expect(await queriesOf(store, NOTES).list('p')).toEqual(after);
    expect(rows()).toEqual([{ stream_id: 's1', revision: 1 }, { stream_id: 's2', revision: 0 }]);
    // The same events again (with other changes, to see whether any is applied), then a batch of an old and a new stream.
    await store.applyBatch('notes', [
      { ref: ref(0, '1', 's1'), changes: [putNote('p', 'n1', 'again')] },
      { ref: ref(1, '3', 's1'), changes: [putNote('p', 'n1', 'again')] },
      { ref: ref(0, '4', 's2'), changes: [putNote('p', 'n2', 'again')] },
    ]);
    await store.applyBatch('notes', [
      { ref: ref(0, '4', 's2'), changes: [putNote('p', 'n2', 'again')] },
      { ref: ref(0, '5', 's3'), changes: [putNote('p', 'n3', 'new')] },
    ]);
    expect(await queriesOf(store, NOTES).list('p')).toEqual([...after, note('p', 'n3', 'new')]);
    expect(rows()).toEqual([{ stream_id: 's1', revision: 1 }, { stream_id: 's2', revision: 0 }, { stream_id: 's3', revision: 0 }]);
    expect(await store.getCheckpoint('notes')).toBe('5');
    raw.close();
    await store.close();
  });

  it('writes checkpoints with the log they belong to', async () => {
    const store = await open([NOTES]);
    await store.bindLog('log-A');
    await store.apply('notes', ref(0, '1'), []);
    const raw = new Database(open.fileOf(store), { readonly: true });
    expect(raw.prepare('SELECT projection, position, log FROM projection_checkpoints').all()).toEqual([{ projection: 'notes', position: '1', log: 'log-A' }]);
    raw.close();
    await store.close();
  });
});
