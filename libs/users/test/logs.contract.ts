import type { ReadModelStore } from '@lib/read-models';
import { NewEvents, OpenReadModels, openReadModel, ref } from '@lib/read-models/testing';
import { recordedEvents } from '@lib/event-sourcing/testing';
import { LogChange, LogEntry, LOGS, logsProjection, UserLogs } from '../src/logs/logs.read-model';
import { userStreamId } from '../src/user';
import { makeLog, sortKey, T0 } from './user-fixtures';

/** What every adapter's audit-log read model (projection `logs`) does. */
export function logsContract(name: string, open: OpenReadModels): void {
  describe(`logs contract: ${name}`, () => {
    let store: ReadModelStore;
    let logs: UserLogs;
    let events: NewEvents;
    beforeEach(async () => {
      ({ store, queries: logs } = await openReadModel(open, LOGS));
      events = new NewEvents();
    });
    afterEach(async () => {
      await store.close();
    });
    const P = 'logs';
    const t = (m: number) => `2023-01-01T00:${String(m).padStart(2, '0')}:00.000+00:00`;
    /** The record as the projection emits it: makeLog's without the actor's name and email, which the storage adds. */
    const entry = (userId: string, sequence: number | string, id: string, time = T0, over: Partial<LogEntry> = {}): LogEntry => {
      const { userEmail: _email, userName: _name, ...rest } = makeLog(P, userId, sequence, id, time);
      return { ...rest, ...over };
    };
    const append = (userId: string, sequence: number | string, id: string, time = T0): LogChange => ({ kind: 'append', log: entry(userId, sequence, id, time) });
    const apply = (...changes: LogChange[]) => events.apply(store, 'logs', changes);
    const identity = (userId: string, fields: { name?: string; email?: string }, projectId = P): LogChange => ({ kind: 'identity', projectId, userId, ...fields });
    const ZERO = sortKey(0);
    // makeLog's records are their owner's own: known actors with makeLog's name and email.
    beforeEach(async () => {
      for (const u of ['u1', 'u2']) await apply(identity(u, { name: u, email: `${u}@example.com` }));
    });

    it('keeps logs newest first (ties: last appended first), per user incarnation, idempotent by id', async () => {
      await apply(append('u1', 10, 'e1', t(1)));
      await apply(append('u1', 20, 'e2', t(3)));
      await apply(append('u1', 30, 'e3', t(2)));
      await apply(append('u1', 40, 'e4', t(2)));
      // u1 deleted and created again at sequence 50 (e5: its user.create row): only e5 belongs to the new user.
      await apply(append('u1', 50, 'e5', t(9)));
      await apply(append('u2', 60, 'e6', t(9)));
      // The same event seen again through another stream/revision: still one record.
      await apply(append('u1', 10, 'e1', t(1)));

      const old = await logs.list(P, 'u1', sortKey(5), 5000, 0);
      expect(old.items.map((l) => l.id)).toEqual(['e5', 'e2', 'e4', 'e3', 'e1']);
      expect(old.total).toBe(5);
      expect(old.items[1]).toEqual(makeLog(P, 'u1', 20, 'e2', t(3)));
      const page = await logs.list(P, 'u1', sortKey(5), 2, 2);
      expect(page.items.map((l) => l.id)).toEqual(['e4', 'e3']);
      expect(page.total).toBe(5);
      expect(await logs.list(P, 'u1', sortKey(5), 0, 0)).toEqual({ total: 5, items: [] });
      expect((await logs.list(P, 'u1', sortKey(5), 10, 10)).items).toEqual([]);
      // From the user's own sequence on, that sequence included.
      expect(await logs.list(P, 'u1', sortKey(50), 10, 0)).toEqual({ total: 1, items: [makeLog(P, 'u1', 50, 'e5', t(9))] });
      expect(await logs.list(P, 'u1', sortKey(45), 10, 0)).toEqual({ total: 1, items: [makeLog(P, 'u1', 50, 'e5', t(9))] });
      expect(await logs.list(P, 'u1', sortKey(51), 10, 0)).toEqual({ total: 0, items: [] });
      expect((await logs.list(P, 'u1', sortKey(10), 10, 0)).total).toBe(5);
      expect((await logs.list(P, 'u1', sortKey(11), 10, 0)).total).toBe(4);
      expect(await logs.list(P, 'nobody', ZERO, 10, 0)).toEqual({ total: 0, items: [] });
      // The `total` parameter false: the same page, no count.
      expect(await logs.list(P, 'u1', sortKey(5), 2, 2, false)).toEqual({ total: 0, items: page.items });
      expect(await logs.list('other', 'u1', ZERO, 10, 0)).toEqual({ total: 0, items: [] });
    });

    it('compares sequences as fixed-width text: no number rounding, no 9 after 10', async () => {
      const big = (n: bigint) => sortKey(2n ** 64n + n);
      await apply(append('u1', 9, 'nine', t(1)), append('u1', 10, 'ten', t(1)));
      await apply(append('u1', big(1n), 'big1', t(1)), append('u1', big(2n), 'big2', t(1)));
      expect((await logs.list(P, 'u1', ZERO, 10, 0)).items.map((l) => l.id)).toEqual(['big2', 'big1', 'ten', 'nine']);
      expect((await logs.list(P, 'u1', sortKey(10), 10, 0)).items.map((l) => l.id)).toEqual(['big2', 'big1', 'ten']);
      expect((await logs.list(P, 'u1', big(2n), 10, 0)).items.map((l) => [l.id, l.sequence])).toEqual([['big2', big(2n)]]);
    });

    it('clamps huge limits and offsets', async () => {
      await apply(append('u1', 1, 'e1'));
      expect(await logs.list(P, 'u1', ZERO, 2 ** 40, 0)).toEqual({ total: 1, items: [makeLog(P, 'u1', 1, 'e1', T0)] });
      expect(await logs.list(P, 'u1', ZERO, 10, 2 ** 40)).toEqual({ total: 1, items: [] });
    });

    it('shows the actor as it was right after the event, not as it is at read time', async () => {
      const names = async (userId = 'u1') => (await logs.list(P, userId, ZERO, 10, 0)).items.map((l) => [l.id, l.actorId, l.userName, l.userEmail, l.mode]);
      await apply(identity('ann', { name: 'Ann', email: 'ann@x.io' }), { kind: 'append', log: entry('u1', 1, 'e1', t(1), { actorId: 'ann', mode: 'user' }) });
      // A rename and an email change of the actor: each record keeps what was true at its point of the log.
      await apply(identity('ann', { name: 'Bea' }), { kind: 'append', log: entry('u1', 2, 'e2', t(2), { actorId: 'ann', mode: 'user' }) });
      await apply(identity('ann', { email: 'bea@x.io' }), { kind: 'append', log: entry('u1', 3, 'e3', t(3), { actorId: 'ann', mode: 'user' }) });
      // No actor (API key): no name, whatever is known; an actor never seen: its id only.
      await apply({ kind: 'append', log: entry('u1', 4, 'e4', t(4), { actorId: '', mode: 'admin' }) });
      await apply({ kind: 'append', log: entry('u1', 5, 'e5', t(5), { actorId: 'stranger', mode: 'user' }) });
      expect(await names()).toEqual([
        ['e5', 'stranger', '', '', 'user'],
        ['e4', '', '', '', 'admin'],
        ['e3', 'ann', 'Bea', 'bea@x.io', 'user'],
        ['e2', 'ann', 'Bea', 'ann@x.io', 'user'],
        ['e1', 'ann', 'Ann', 'ann@x.io', 'user'],
      ]);
      expect((await logs.list(P, 'u1', ZERO, 10, 0)).items[2]).toEqual({ ...makeLog(P, 'u1', 3, 'e3', t(3)), actorId: 'ann', userName: 'Bea', userEmail: 'bea@x.io', mode: 'user' });
    });

    it('forgets a deleted actor (earlier records keep its name), per project; a partial identity of an unknown user creates none', async () => {
      const byAnn = (sequence: number, id: string, userId = 'u1'): LogChange => ({ kind: 'append', log: entry(userId, sequence, id, t(sequence), { actorId: 'ann', mode: 'user' }) });
      await apply(identity('ann', { name: 'Ann', email: 'ann@x.io' }), byAnn(1, 'e1'));
      await apply(byAnn(2, 'e2'), { kind: 'forget', projectId: P, userId: 'ann' });
      await apply(byAnn(3, 'e3'));
      await apply(identity('ann', { name: 'Ann 2' }), byAnn(4, 'e4'));
      // Re-created under the same id: known again.
      await apply(identity('ann', { name: 'Ann 3', email: 'ann3@x.io' }), byAnn(5, 'e5'));
      // The same user id in another project is someone else.
      await apply(identity('ann', { name: 'Other', email: 'other@x.io' }, 'other-project'), byAnn(6, 'e6'));
      await apply(identity('ann', { email: 'ann4@x.io' }), byAnn(7, 'e7', 'u2'));
      const rows = (await logs.list(P, 'u1', ZERO, 10, 0)).items.map((l) => [l.id, l.userName, l.userEmail]);
      expect(rows).toEqual([
        ['e6', 'Ann 3', 'ann3@x.io'],
        ['e5', 'Ann 3', 'ann3@x.io'],
        ['e4', '', ''],
        ['e3', '', ''],
        ['e2', 'Ann', 'ann@x.io'],
        ['e1', 'Ann', 'ann@x.io'],
      ]);
      // A record of another user's log made by ann: ann's name, not the owner's.
      expect((await logs.list(P, 'u2', ZERO, 10, 0)).items.map((l) => [l.userId, l.actorId, l.userName, l.userEmail])).toEqual([['u2', 'ann', 'Ann 3', 'ann4@x.io']]);
    });

    it('through the projection: every change a row, the actor as at event time, newest first', async () => {
      const event = recordedEvents(100);
      const stream = userStreamId(P, 'ada');
      const key = { type: 'apiKey' as const, id: 'k1' };
      const self = { type: 'user' as const, id: 'ada' };
      const guest = { type: 'system' as const, id: 'guest' };
      const at = (s: number) => ({ occurredAt: `2024-01-01T00:00:${String(s).padStart(2, '0')}.000+00:00` });
      const recorded = [
        event(stream, 'UserCreated', { userId: 'ada', name: 'Ada', email: 'ada@x.io', phone: null, password: null, hash: 'argon2', hashOptions: {} }, { actor: key, ...at(1) }),
        event(stream, 'SessionCreated', { sessionId: 's1' }, { actor: guest, ...at(2) }),
        event(stream, 'UserNameChanged', { name: 'Ada L.' }, { actor: self, ...at(3) }),
        event(stream, 'UserEmailChanged', { email: 'ada@l.io' }, { actor: self, ...at(4) }),
        event(stream, 'UserPrefsReplaced', { prefs: { a: 1 } }, { actor: key, ...at(5) }),
        event(stream, 'UserDeleted', {}, { actor: self, ...at(6) }),
      ];
      for (const e of recorded) await store.apply('logs', { streamId: e.streamId, streamRevision: e.revision, position: e.position }, logsProjection.project(e));
      const listed = await logs.list(P, 'ada', ZERO, 5000, 0);
      expect(listed.total).toBe(6);
      expect(listed.items.map((l) => [l.event, l.actorId, l.userName, l.userEmail, l.mode])).toEqual([
        ['user.delete', 'ada', 'Ada L.', 'ada@l.io', 'user'],
        ['user.update', '', '', '', 'admin'],
        ['user.update', 'ada', 'Ada L.', 'ada@l.io', 'user'],
        ['user.update', 'ada', 'Ada L.', 'ada@x.io', 'user'],
        ['session.create', 'ada', 'Ada', 'ada@x.io', 'user'],
        ['user.create', '', '', '', 'admin'],
      ]);
    });

    it('drops a user\'s whole log when it is erased, also records appended in the same batch; other users keep theirs', async () => {
      await apply(append('u1', 1, 'e1'));
      await apply(append('u2', 2, 'e2'));
      await apply({ kind: 'erase', projectId: P, userId: 'u1' });
      expect(await logs.list(P, 'u1', ZERO, 10, 0)).toEqual({ total: 0, items: [] });
      expect((await logs.list(P, 'u2', ZERO, 10, 0)).items.map((l) => l.id)).toEqual(['e2']);
      const batch = new NewEvents(100);
      await store.applyBatch('logs', [
        { ref: batch.next(), changes: [append('u1', 103, 'e3')] },
        { ref: batch.next(), changes: [{ kind: 'erase', projectId: P, userId: 'u1' }] },
        { ref: batch.next(), changes: [append('u2', 105, 'e5')] },
      ]);
      expect((await logs.list(P, 'u1', ZERO, 10, 0)).total).toBe(0);
      expect((await logs.list(P, 'u2', ZERO, 10, 0)).items.map((l) => l.id)).toEqual(['e5', 'e2']);
    });

    it('applies an event once: a replayed revision returns false and writes nothing', async () => {
      expect(await store.apply('logs', ref(0, '1', 'user-logs:u1'), [append('u1', 1, 'e1')])).toBe(true);
      expect(await store.apply('logs', ref(0, '1', 'user-logs:u1'), [append('u1', 1, 'e1-again')])).toBe(false);
      const listed = await logs.list(P, 'u1', ZERO, 100, 0);
      expect(listed.items.map((l) => l.id)).toEqual(['e1']);
      expect(listed.total).toBe(1);
      await expect(store.apply('logs', ref(1, '2', 'user-logs:u1'), [append('u1', 2, 'e2'), { kind: 'nope' } as unknown as LogChange])).rejects.toThrow();
      expect((await logs.list(P, 'u1', ZERO, 100, 0)).total).toBe(1);
    });

    it('reset drops every record and the bookkeeping', async () => {
      await store.apply('logs', ref(0, '1', 'user-logs:u1'), [append('u1', 1, 'e1')]);
      await store.reset('logs');
      expect(await logs.list(P, 'u1', ZERO, 10, 0)).toEqual({ total: 0, items: [] });
      expect(await store.getCheckpoint('logs')).toBeNull();
      expect(await store.apply('logs', ref(0, '1', 'user-logs:u1'), [append('u1', 1, 'e1')])).toBe(true);
      expect((await logs.list(P, 'u1', ZERO, 10, 0)).total).toBe(1);
      // The actors went with the records.
      expect((await logs.list(P, 'u1', ZERO, 10, 0)).items[0]).toMatchObject({ actorId: 'u1', userName: '', userEmail: '' });
    });

    it('swaps rebuilt logs in', async () => {
      await apply(append('u1', 1, 'old'));
      const shadow = await store.openShadow('logs');
      await shadow.apply('logs', ref(0, '2', 'user-logs:u1'), [append('u1', 2, 'e2', t(2)), append('u1', 3, 'e3', t(3))]);
      // Until the swap the live logs answer as before (a shadow may be written on a thread of its own: SqliteStorage.thread).
      expect((await logs.list(P, 'u1', ZERO, 10, 0)).items.map((l) => l.id)).toEqual(['old']);
      await store.swapIn('logs', shadow, async () => undefined);
      expect((await logs.list(P, 'u1', ZERO, 10, 0)).items.map((l) => l.id)).toEqual(['e3', 'e2']);
      // Ids stay unique after the swap: a replayed record is not duplicated.
      await store.apply('logs', ref(1, '3', 'user-logs:u1'), [append('u1', 3, 'e3', t(3)), append('u1', 4, 'e4', t(4))]);
      expect((await logs.list(P, 'u1', ZERO, 10, 0)).items.map((l) => l.id)).toEqual(['e4', 'e3', 'e2']);
    });

    it('swaps the rebuilt actors in with the records', async () => {
      const shadow = await store.openShadow('logs');
      await shadow.apply('logs', ref(0, '2', 'user-logs:zed'), [identity('zed', { name: 'Zed', email: 'zed@x.io' })]);
      await store.swapIn('logs', shadow, async () => undefined);
      await apply({ kind: 'append', log: entry('u1', 5, 'by-zed', t(5), { actorId: 'zed', mode: 'user' }) }, append('u1', 6, 'by-u1', t(6)));
      // zed comes from the rebuilt model; u1 was known only to the replaced one.
      expect((await logs.list(P, 'u1', ZERO, 10, 0)).items.map((l) => [l.id, l.userName, l.userEmail])).toEqual([
        ['by-u1', '', ''],
        ['by-zed', 'Zed', 'zed@x.io'],
      ]);
    });
  });
}
