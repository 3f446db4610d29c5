import type { ReadModelStore } from '@lib/read-models';
import { NewEvents, OpenReadModels, openReadModel, queriesOf, ref } from '@lib/read-models/testing';
import { SessionChange, SessionList, SESSIONS } from '../src/sessions/sessions.read-model';
import { makeSession, T0 } from './user-fixtures';

/** What every adapter's sessions read model (projection `sessions`) does. */
export function sessionsContract(name: string, open: OpenReadModels): void {
  describe(`sessions contract: ${name}`, () => {
    let store: ReadModelStore;
    let sessions: SessionList;
    let events: NewEvents;
    beforeEach(async () => {
      ({ store, queries: sessions } = await openReadModel(open, SESSIONS));
      events = new NewEvents();
    });
    afterEach(async () => {
      await store.close();
    });
    const P = 'sess';
    const t = (s: number) => `2023-01-01T00:00:${String(s).padStart(2, '0')}.000+00:00`;
    const apply = (...changes: SessionChange[]) => events.apply(store, 'sessions', changes);
    const put = (userId: string, id: string, createdAt = T0, projectId = P): SessionChange => ({ kind: 'put', session: makeSession(projectId, userId, id, createdAt) });
    const ids = async (userId: string, projectId = P) => (await sessions.ofUser(projectId, userId)).map((s) => s.id);

    it('lists a user\'s sessions in creation order, ties in insertion order, records verbatim', async () => {
      await apply(put('u1', 's-b', t(2)), put('u1', 's-a', t(1)), put('u1', 's-c', t(2)), put('u2', 's-x', t(0)));
      expect(await ids('u1')).toEqual(['s-a', 's-b', 's-c']);
      expect(await sessions.ofUser(P, 'u2')).toEqual([makeSession(P, 'u2', 's-x', t(0))]);
      const full = { ...makeSession(P, 'u3', 's-full', T0), expire: '2024-01-01T00:00:00.000+00:00', providerAccessTokenExpiry: T0, countryCode: 'de' };
      await apply({ kind: 'put', session: full });
      expect(await sessions.ofUser(P, 'u3')).toEqual([full]);
      expect(await sessions.ofUser('other', 'u2')).toEqual([]);
      expect(await sessions.ofUser(P, 'nobody')).toEqual([]);
    });

    it('deletes one session, or all of a user, within one project', async () => {
      await apply(put('u1', 's-a', t(1)), put('u1', 's-b', t(2)), put('u1', 's-c', t(3)), put('u2', 's-x', t(0)), put('u1', 's-o', t(0), 'other'));
      await apply({ kind: 'delete', projectId: P, userId: 'u1', sessionId: 's-b' });
      expect(await ids('u1')).toEqual(['s-a', 's-c']);
      // Only the session of that user (and project) goes.
      await apply({ kind: 'delete', projectId: P, userId: 'u2', sessionId: 's-a' }, { kind: 'delete', projectId: 'other', userId: 'u1', sessionId: 's-c' });
      expect(await ids('u1')).toEqual(['s-a', 's-c']);
      await apply({ kind: 'deleteAllOfUser', projectId: P, userId: 'u1' });
      expect(await sessions.ofUser(P, 'u1')).toEqual([]);
      expect(await ids('u2')).toEqual(['s-x']);
      expect(await ids('u1', 'other')).toEqual(['s-o']);
      // A deleted session id can be used again.
      await apply(put('u1', 's-b', t(5)));
      expect(await ids('u1')).toEqual(['s-b']);
    });

    it('a session re-created after its deletion ties as the newest one', async () => {
      await apply(put('u1', 's-a', t(1)), put('u1', 's-b', t(1)));
      await apply({ kind: 'delete', projectId: P, userId: 'u1', sessionId: 's-a' });
      await apply(put('u1', 's-a', t(1)));
      expect(await ids('u1')).toEqual(['s-b', 's-a']);
    });

    it('lists at most 1000 sessions, the oldest', async () => {
      await apply(...Array.from({ length: 1001 }, (_, i) => put('u3', `s${String(i).padStart(4, '0')}`)));
      const listed = await sessions.ofUser(P, 'u3');
      expect(listed).toHaveLength(1000);
      expect(listed[0].id).toBe('s0000');
      expect(listed[999].id).toBe('s0999');
    });

    it('applies an event once, and all of its changes or none', async () => {
      const r = ref(0, '1', 'user-sess:u1');
      expect(await store.apply('sessions', r, [put('u1', 's1')])).toBe(true);
      expect(await store.apply('sessions', r, [put('u1', 's2')])).toBe(false);
      expect(await ids('u1')).toEqual(['s1']);
      await expect(store.apply('sessions', ref(1, '2', 'user-sess:u1'), [put('u1', 's3'), { kind: 'nope' } as unknown as SessionChange])).rejects.toThrow();
      expect(await ids('u1')).toEqual(['s1']);
      expect(await store.getCheckpoint('sessions')).toBe('1');
    });

    it('reset drops every session and the bookkeeping', async () => {
      await store.apply('sessions', ref(0, '1', 'user-sess:u1'), [put('u1', 's1')]);
      await store.reset('sessions');
      expect(await sessions.ofUser(P, 'u1')).toEqual([]);
      expect(await store.getCheckpoint('sessions')).toBeNull();
      expect(await store.apply('sessions', ref(0, '1', 'user-sess:u1'), [put('u1', 's1')])).toBe(true);
      expect(await ids('u1')).toEqual(['s1']);
    });

    it('swaps rebuilt sessions in', async () => {
      await apply(put('u1', 'old'));
      const shadow = await store.openShadow('sessions');
      await shadow.apply('sessions', ref(0, '1', 'user-sess:u1'), [put('u1', 's-b', t(2)), put('u1', 's-a', t(1))]);
      expect(await queriesOf(shadow, SESSIONS).ofUser(P, 'u1')).toHaveLength(2);
      await store.swapIn('sessions', shadow, async () => undefined);
      expect(await ids('u1')).toEqual(['s-a', 's-b']);
      await store.apply('sessions', ref(1, '2', 'user-sess:u1'), [put('u1', 's-c', t(3))]);
      expect(await ids('u1')).toEqual(['s-a', 's-b', 's-c']);
    });
  });
}
