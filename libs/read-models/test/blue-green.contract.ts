import { ForeignCheckpointError, ReadModelStore, UnknownProjectionError } from '@lib/read-models';
import { DRAFTS, note, NoteBoard, NOTES, putNote } from './notes.read-model';
import { OpenReadModels, queriesOf, ref } from './test-stores';

const P = 'board';
const ids = async (board: NoteBoard) => (await board.list(P)).map((n) => n.id);

/** openShadow / swapIn: a rebuild beside the live read model, swapped in once caught up. */
export function blueGreenContract(open: OpenReadModels): void {
  describe('blue/green rebuilds', () => {
    let store: ReadModelStore;
    let notes: NoteBoard;
    const others: ReadModelStore[] = [];
    beforeEach(async () => {
      store = await open([NOTES, DRAFTS]);
      notes = queriesOf(store, NOTES);
    });
    afterEach(async () => {
      for (const other of others.splice(0)) await other.close();
      await store.close();
    });

    it('rebuilds beside the live store: reads keep the live data until the swap, then the shadow\'s', async () => {
      await store.apply('notes', ref(0, '1', 'stream-old'), [putNote(P, 'old')]);
      await store.apply('drafts', ref(0, '1', 'stream-old'), [putNote(P, 'draft')]);
      const shadow = await store.openShadow('notes');
      const rebuilt = queriesOf(shadow, NOTES);
      expect(await shadow.getCheckpoint('notes')).toBeNull();
      expect(await rebuilt.list(P)).toEqual([]);
      await shadow.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')]);
      await shadow.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')]);
      expect(await ids(notes)).toEqual(['old']);
      expect(await ids(rebuilt)).toEqual(['a', 'b']);

      await shadow.apply('notes', ref(0, '3', 'stream-c'), [putNote(P, 'c')]);
      let seenLive: string | null | undefined;
      await store.swapIn('notes', shadow, async (livePosition) => {
        seenLive = livePosition;
      });
      expect(seenLive).toBe('1');
      expect(await notes.list(P)).toEqual([note(P, 'a'), note(P, 'b'), note(P, 'c')]);
      expect(await store.getCheckpoint('notes')).toBe('3');
      // The swapped-in revisions are trusted: a replay is skipped; the next event applies.
      expect(await store.apply('notes', ref(0, '3', 'stream-c'), [putNote(P, 'c', 'replayed')])).toBe(false);
      expect(await store.apply('notes', ref(0, '1', 'stream-old'), [putNote(P, 'old')])).toBe(true);
      expect(await store.apply('notes', ref(0, '4', 'stream-d'), [putNote(P, 'd')])).toBe(true);
      expect(await ids(notes)).toEqual(['a', 'b', 'c', 'old', 'd']);
      expect(await store.getCheckpoint('notes')).toBe('4');
      // Other read models are not part of the swap.
      expect(await ids(queriesOf(store, DRAFTS))).toEqual(['draft']);
      expect(await store.getCheckpoint('drafts')).toBe('1');
      expect(await store.apply('drafts', ref(0, '1', 'stream-old'), [])).toBe(false);
    });

    it('lets the catch-up write to the shadow (what ProjectionRebuilder does with events that arrived meanwhile)', async () => {
      await store.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')]);
      await store.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')]);
      const shadow = await store.openShadow('notes');
      await shadow.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')]);
      await store.swapIn('notes', shadow, async (livePosition) => {
        expect(livePosition).toBe('2');
        expect(await shadow.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')])).toBe(true);
        expect(await shadow.getCheckpoint('notes')).toBe('2');
      });
      expect(await ids(notes)).toEqual(['a', 'b']);
      expect(await store.getCheckpoint('notes')).toBe('2');
      expect(await store.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')])).toBe(false);
    });

    it('holds off the writers of other stores on the same storage while the swap runs', async () => {
      await store.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')]);
      const other = await open([NOTES, DRAFTS], { sameStorageAs: store, lockWaitMs: 50 });
      others.push(other);
      const shadow = await store.openShadow('notes');
      await shadow.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')]);
      let refused: unknown = null;
      await store.swapIn('notes', shadow, async () => {
        refused = await other.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')]).then(
          () => null,
          (err: unknown) => err,
        );
      });
      // Not instanceof Error: a native driver's errors may come from another jest realm.
      expect(refused).toMatchObject({ message: expect.any(String) });
      expect(await ids(notes)).toEqual(['a']);
      // Retried from its checkpoint after the swap, the refused event lands.
      expect(await other.getCheckpoint('notes')).toBe('1');
      expect(await other.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')])).toBe(true);
      expect(await ids(notes)).toEqual(['a', 'b']);
      expect(await store.getCheckpoint('notes')).toBe('2');
    });

    it('a shadow works on the live store\'s log; catch-up gets no live position when that belongs to another log', async () => {
      await store.bindLog('log-A');
      await store.apply('notes', ref(0, '9', 'stream-old'), [putNote(P, 'old')]);
      const b = await open([NOTES, DRAFTS], { sameStorageAs: store });
      others.push(b);
      await b.bindLog('log-B');
      await expect(b.getCheckpoint('notes')).rejects.toThrow(ForeignCheckpointError);
      const shadow = await b.openShadow('notes');
      await shadow.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')]);
      let seenLive: string | null | undefined;
      await b.swapIn('notes', shadow, async (livePosition) => {
        seenLive = livePosition;
      });
      expect(seenLive).toBeNull();
      expect(await b.getCheckpoint('notes')).toBe('1');
      expect(await ids(notes)).toEqual(['a']);
      await expect(store.getCheckpoint('notes')).rejects.toThrow(ForeignCheckpointError);
    });

    it('starts every shadow empty, and swapping in an empty one empties the projection', async () => {
      await store.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')]);
      const abandoned = await store.openShadow('notes');
      await abandoned.apply('notes', ref(0, '5', 'stream-x'), [putNote(P, 'x')]);
      await abandoned.close();
      const shadow = await store.openShadow('notes');
      expect(await shadow.getCheckpoint('notes')).toBeNull();
      expect(await queriesOf(shadow, NOTES).list(P)).toEqual([]);
      await store.swapIn('notes', shadow, async (livePosition) => {
        expect(livePosition).toBe('1');
      });
      expect(await notes.list(P)).toEqual([]);
      expect(await store.getCheckpoint('notes')).toBeNull();
      expect(await store.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')])).toBe(true);
      expect(await ids(notes)).toEqual(['a']);
    });

    it('a swap whose catch-up fails changes nothing, and the writers resume', async () => {
      await store.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')]);
      const shadow = await store.openShadow('notes');
      await shadow.apply('notes', ref(0, '1', 'stream-z'), [putNote(P, 'z')]);
      await expect(
        store.swapIn('notes', shadow, async () => {
          throw new Error('catch-up failed');
        }),
      ).rejects.toThrow('catch-up failed');
      expect(await ids(notes)).toEqual(['a']);
      expect(await store.getCheckpoint('notes')).toBe('1');
      expect(await store.apply('notes', ref(0, '2', 'stream-b'), [putNote(P, 'b')])).toBe(true);
      expect(await ids(notes)).toEqual(['a', 'b']);
      expect(await store.getCheckpoint('notes')).toBe('2');
    });

    it('refuses a shadow of a projection it has no storage for', async () => {
      await expect(store.openShadow('unknown')).rejects.toThrow(UnknownProjectionError);
    });

    it('refuses to swap in a store that is not a shadow (the live store itself), leaving the live data alone', async () => {
      await store.apply('notes', ref(0, '1', 'stream-a'), [putNote(P, 'a')]);
      await expect(store.swapIn('notes', store, async () => undefined)).rejects.toThrow();
      expect(await ids(notes)).toEqual(['a']);
      expect(await store.getCheckpoint('notes')).toBe('1');
    });
  });
}
