import { ForeignCheckpointError, ReadModelStore, UnknownProjectionError } from '@lib/read-models';
import { blueGreenContract } from './blue-green.contract';
import { deleteNote, DRAFTS, note, NoteBoard, NOTES, putNote } from './notes.read-model';
import { NewEvents, OpenReadModels, queriesOf, ref } from './test-stores';

/**
 * What every ReadModelStore adapter guarantees, whatever its read models: idempotency by
 * stream revision, checkpoints that never move backwards and know their log, resets, and
 * blue/green rebuilds. Runs on the test read model (notes.read-model.ts) only.
 */
export function readModelStoreContract(name: string, open: OpenReadModels): void {
  describe(`read-model store contract: ${name}`, () => {
    bookkeepingContract(open);
    logIdentityContract(open);
    blueGreenContract(open);
  });
}

const P = 'board';
const ids = async (board: NoteBoard, projectId = P) => (await board.list(projectId)).map((n) => n.id);

function bookkeepingContract(open: OpenReadModels): void {
  describe('idempotency and checkpoints', () => {
    let store: ReadModelStore;
    let notes: NoteBoard;
    let drafts: NoteBoard;
    beforeEach(async () => {
      store = await open([NOTES, DRAFTS]);
      notes = queriesOf(store, NOTES);
      drafts = queriesOf(store, DRAFTS);
    });
    afterEach(async () => {
      await store.close();
    });

    it('applies an event once: a replayed revision returns false and writes nothing', async () => {
      expect(await store.apply('notes', ref(0, '1'), [putNote(P, 'n1')])).toBe(true);
      expect(await store.apply('notes', ref(0, '1'), [putNote(P, 'n1-again'), putNote(P, 'n1', 'changed')])).toBe(false);
      expect(await notes.list(P)).toEqual([note(P, 'n1')]);
    });

    it('overlapping batches of one projection take effect in the order they were made, live and in a shadow', async () => {
      const batches = (text: string) => [0, 1, 2, 3].map((i) => [{ ref: ref(i, String(i + 1)), changes: [putNote(P, 'n1', `${text}${i}`)] }]);
      await Promise.all(batches('live').map((batch) => store.applyBatch('notes', batch)));
      expect((await notes.get(P, 'n1'))?.text).toBe('live3');
      expect(await store.getCheckpoint('notes')).toBe('4');

      const shadow = await store.openShadow('notes');
      await Promise.all(batches('shadow').map((batch) => shadow.applyBatch('notes', batch)));
      await store.swapIn('notes', shadow, async () => {});
      expect((await notes.get(P, 'n1'))?.text).toBe('shadow3');
      expect(await store.getCheckpoint('notes')).toBe('4');
    });

    it('after a failed batch, the overlapping batches of its projection made after it fail too', async () => {
      const [first, failing, after] = await Promise.allSettled([
        store.applyBatch('notes', [{ ref: ref(0, '1'), changes: [putNote(P, 'n1', 'first')] }]),
        store.applyBatch('notes', [{ ref: ref(1, '2'), changes: [{ kind: 'unknown' }] }]),
        store.applyBatch('notes', [{ ref: ref(2, '3'), changes: [putNote(P, 'n1', 'after')] }]),
      ]);
      expect(first.status).toBe('fulfilled');
      expect(failing).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/Unknown note change/) } });
      expect(after.status).toBe('rejected');
      expect((await notes.get(P, 'n1'))?.text).toBe('first');
      expect(await store.getCheckpoint('notes')).toBe('1');
      // Later calls start afresh.
      await store.applyBatch('notes', [{ ref: ref(1, '2'), changes: [putNote(P, 'n1', 'retried')] }]);
      expect((await notes.get(P, 'n1'))?.text).toBe('retried');
    });

    it('ignores revisions at or below the last applied one, per stream', async () => {
      expect(await store.apply('notes', ref(0, '1'), [putNote(P, 'n1', 'zero')])).toBe(true);
      expect(await store.apply('notes', ref(2, '3'), [putNote(P, 'n1', 'two')])).toBe(true);
      expect(await store.apply('notes', ref(1, '2'), [putNote(P, 'n1', 'one')])).toBe(false);
      expect(await store.apply('notes', ref(0, '1'), [putNote(P, 'n1', 'zero')])).toBe(false);
      expect(await store.apply('notes', ref(2, '3'), [deleteNote(P, 'n1')])).toBe(false);
      expect((await notes.get(P, 'n1'))?.text).toBe('two');
      // Another stream has its own revisions.
      expect(await store.apply('notes', ref(0, '4', 'stream-b'), [putNote(P, 'n2')])).toBe(true);
      expect(await store.apply('notes', ref(3, '5'), [deleteNote(P, 'n1')])).toBe(true);
      expect(await ids(notes)).toEqual(['n2']);
    });

    it('keeps revisions per projection', async () => {
      expect(await store.apply('notes', ref(0, '1'), [putNote(P, 'n1')])).toBe(true);
      expect(await store.apply('drafts', ref(0, '1'), [putNote(P, 'd1')])).toBe(true);
      expect(await store.apply('drafts', ref(0, '1'), [putNote(P, 'd2')])).toBe(false);
      // A projection that writes nothing for an event needs no storage, but still keeps its bookkeeping.
      expect(await store.apply('silent', ref(0, '1'), [])).toBe(true);
      expect(await store.apply('silent', ref(0, '1'), [])).toBe(false);
      expect(await store.getCheckpoint('silent')).toBe('1');
      expect(await ids(notes)).toEqual(['n1']);
      expect(await ids(drafts)).toEqual(['d1']);
    });

    it('moves the checkpoint forward only, also on replays, comparing positions as numbers', async () => {
      expect(await store.getCheckpoint('notes')).toBeNull();
      await store.apply('notes', ref(0, '5', 'a'), []);
      expect(await store.getCheckpoint('notes')).toBe('5');
      expect(await store.apply('notes', ref(0, '3', 'b'), [])).toBe(true);
      expect(await store.getCheckpoint('notes')).toBe('5');
      await store.apply('notes', ref(1, '10', 'a'), []);
      expect(await store.getCheckpoint('notes')).toBe('10');
      expect(await store.apply('notes', ref(1, '12', 'a'), [])).toBe(false);
      expect(await store.getCheckpoint('notes')).toBe('12');
      await store.apply('notes', ref(2, '9', 'a'), []);
      expect(await store.getCheckpoint('notes')).toBe('12');
      await store.apply('notes', ref(3, 'C:13/P:1', 'a'), []);
      expect(await store.getCheckpoint('notes')).toBe('C:13/P:1');
      expect(await store.getCheckpoint('drafts')).toBeNull();
    });

    it('orders positions with the injected comparator', async () => {
      const reversed = await open([NOTES], { comparePositions: (x, y) => y.localeCompare(x) });
      try {
        await reversed.apply('notes', ref(0, 'b'), []);
        await reversed.apply('notes', ref(1, 'a'), []);
        expect(await reversed.getCheckpoint('notes')).toBe('a');
        await reversed.apply('notes', ref(2, 'c'), []);
        expect(await reversed.getCheckpoint('notes')).toBe('a');
      } finally {
        await reversed.close();
      }
    });

    it('applies all changes of an event or none', async () => {
      const bad = { kind: 'no.such.change' };
      await expect(store.apply('notes', ref(0, '1'), [putNote(P, 'n1'), bad])).rejects.toThrow();
      expect(await notes.get(P, 'n1')).toBeNull();
      expect(await store.getCheckpoint('notes')).toBeNull();
      expect(await store.apply('notes', ref(0, '1'), [putNote(P, 'n1')])).toBe(true);
      expect(await ids(notes)).toEqual(['n1']);
    });

    it('refuses changes for a projection it has no storage for', async () => {
      await expect(store.apply('unknown', ref(0, '1'), [putNote(P, 'n1')])).rejects.toThrow(UnknownProjectionError);
      expect(await store.getCheckpoint('unknown')).toBeNull();
      expect(await store.apply('unknown', ref(0, '1'), [])).toBe(true);
    });

    it('reset drops exactly what the projection owns, and its bookkeeping', async () => {
      await store.apply('notes', ref(0, '1'), [putNote(P, 'n1'), putNote('other', 'n9')]);
      await store.apply('drafts', ref(0, '2'), [putNote(P, 'd1')]);
      await store.reset('notes');
      expect(await notes.list(P)).toEqual([]);
      expect(await notes.list('other')).toEqual([]);
      expect(await notes.get(P, 'n1')).toBeNull();
      expect(await store.getCheckpoint('notes')).toBeNull();
      expect(await ids(drafts)).toEqual(['d1']);
      expect(await store.getCheckpoint('drafts')).toBe('2');
      // Its revisions are forgotten: the log replays into it from the start.
      expect(await store.apply('notes', ref(0, '1'), [putNote(P, 'n1')])).toBe(true);
      expect(await ids(notes)).toEqual(['n1']);
      expect(await store.apply('drafts', ref(0, '2'), [putNote(P, 'd2')])).toBe(false);
      await store.reset('drafts');
      expect(await drafts.list(P)).toEqual([]);
      expect(await ids(notes)).toEqual(['n1']);
      expect(await store.getCheckpoint('notes')).toBe('1');
      await store.reset('never-ran');
    });

    it('keeps the insertion order across overwrites, and deletes', async () => {
      const events = new NewEvents();
      await events.apply(store, 'notes', [putNote(P, 'b'), putNote(P, 'a')]);
      await events.apply(store, 'notes', [putNote(P, 'c'), putNote(P, 'b', 'B')]);
      expect(await notes.list(P)).toEqual([note(P, 'b', 'B'), note(P, 'a'), note(P, 'c')]);
      await events.apply(store, 'notes', [deleteNote(P, 'a'), deleteNote(P, 'ghost')]);
      expect(await ids(notes)).toEqual(['b', 'c']);
    });

    it('two stores on one storage see each other\'s writes and share bookkeeping', async () => {
      const other = await open([NOTES, DRAFTS], { sameStorageAs: store });
      try {
        expect(await store.apply('notes', ref(0, '1'), [putNote(P, 'n1')])).toBe(true);
        expect(await queriesOf(other, NOTES).get(P, 'n1')).toEqual(note(P, 'n1'));
        expect(await other.apply('notes', ref(0, '1'), [putNote(P, 'n1', 'again')])).toBe(false);
        expect(await other.getCheckpoint('notes')).toBe('1');
        await other.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'n2')]);
        expect(await ids(notes)).toEqual(['n1', 'n2']);
        expect(await store.getCheckpoint('notes')).toBe('2');
      } finally {
        await other.close();
      }
    });

    it('closes idempotently', async () => {
      const extra = await open([NOTES]);
      await extra.close();
      await extra.close();
    });
  });
}

function logIdentityContract(open: OpenReadModels): void {
  describe('checkpoints know their log', () => {
    let store: ReadModelStore;
    const others: ReadModelStore[] = [];
    const sibling = async (log: string | null) => {
      const other = await open([NOTES, DRAFTS], { sameStorageAs: store });
      others.push(other);
      if (log !== null) await other.bindLog(log);
      return other;
    };
    beforeEach(async () => {
      store = await open([NOTES, DRAFTS]);
    });
    afterEach(async () => {
      for (const other of others.splice(0)) await other.close();
      await store.close();
    });

    it('refuses a checkpoint written under another log identity: ForeignCheckpointError', async () => {
      await store.bindLog('log-A');
      await store.apply('notes', ref(0, '7'), [putNote(P, 'n1')]);
      const b = await sibling('log-B');
      const err = await b.getCheckpoint('notes').then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ForeignCheckpointError);
      expect(err).toMatchObject({ name: 'ForeignCheckpointError', projection: 'notes', storedLog: 'log-A', currentLog: 'log-B' });
      expect((err as Error).message).toContain('npm run replay -- notes');
      // Applying on top of it is refused too, and writes nothing.
      await expect(b.apply('notes', ref(0, '8', 'stream-b'), [putNote(P, 'n2')])).rejects.toThrow(ForeignCheckpointError);
      expect(await ids(queriesOf(b, NOTES))).toEqual(['n1']);
      // Projections without a checkpoint, and the store of the right log, are unaffected.
      expect(await b.getCheckpoint('drafts')).toBeNull();
      expect(await b.apply('drafts', ref(0, '8'), [putNote(P, 'd1')])).toBe(true);
      expect(await store.getCheckpoint('notes')).toBe('7');
      expect(await (await sibling('log-A')).getCheckpoint('notes')).toBe('7');
    });

    it('an unbound store reads any checkpoint; one written unbound is taken over by the log that moves it', async () => {
      await store.apply('notes', ref(0, '1'), []);
      const b = await sibling('log-B');
      expect(await b.getCheckpoint('notes')).toBe('1');
      await b.apply('notes', ref(1, '2'), []);
      await expect((await sibling('log-A')).getCheckpoint('notes')).rejects.toThrow(ForeignCheckpointError);
      expect(await store.getCheckpoint('notes')).toBe('2');
      expect(await (await sibling(null)).getCheckpoint('notes')).toBe('2');
    });

    it('rebinding the same store switches the log it checks against', async () => {
      await store.bindLog('log-A');
      await store.apply('notes', ref(0, '1'), []);
      await store.bindLog('log-B');
      await expect(store.getCheckpoint('notes')).rejects.toThrow(ForeignCheckpointError);
      await store.bindLog('log-A');
      expect(await store.getCheckpoint('notes')).toBe('1');
    });

    it('reset drops a foreign checkpoint: the projection then replays under the new log', async () => {
      await store.bindLog('log-A');
      await store.apply('notes', ref(0, '5'), [putNote(P, 'n1')]);
      const b = await sibling('log-B');
      await b.reset('notes');
      expect(await b.getCheckpoint('notes')).toBeNull();
      expect(await queriesOf(b, NOTES).list(P)).toEqual([]);
      expect(await b.apply('notes', ref(0, '1'), [putNote(P, 'n2')])).toBe(true);
      expect(await b.getCheckpoint('notes')).toBe('1');
      await expect(store.getCheckpoint('notes')).rejects.toThrow(ForeignCheckpointError);
    });
  });
}
