import type { ReadModelStore } from '@lib/read-models';
import { NewEvents, OpenReadModels, openReadModel, queriesOf, ref } from '@lib/read-models/testing';
import { LogChange, LOGS, UserLogs } from '../src/logs/logs.read-model';
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
    const append = (userId: string, sequence: number | string, id: string, time = T0): LogChange => ({ kind: 'append', log: makeLog(P, userId, sequence, id, time) });
    const apply = (...changes: LogChange[]) => events.apply(store, 'logs', changes);
    const ZERO = sortKey(0);

    it('keeps logs newest first (ties: last appended first), per user incarnation, idempotent by id', async () => {
      await apply(append('u1', 10, 'e1', t(1)));
      await apply(append('u1', 20, 'e2', t(3)));
      await apply(append('u1', 30, 'e3', t(2)));
      await apply(append('u1', 40, 'e4', t(2)));
      // u1 deleted and created again at sequence 45: only e5 belongs to the new user.
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
      expect(await logs.list(P, 'u1', sortKey(45), 10, 0)).toEqual({ total: 1, items: [makeLog(P, 'u1', 50, 'e5', t(9))] });
      expect(await logs.list(P, 'u1', sortKey(50), 10, 0)).toEqual({ total: 0, items: [] });
      expect(await logs.list(P, 'nobody', ZERO, 10, 0)).toEqual({ total: 0, items: [] });
      expect(await logs.list('other', 'u1', ZERO, 10, 0)).toEqual({ total: 0, items: [] });
    });

    it('compares sequences as fixed-width text: no number rounding, no 9 after 10', async () => {
      const big = (n: bigint) => sortKey(2n ** 64n + n);
      await apply(append('u1', 9, 'nine', t(1)), append('u1', 10, 'ten', t(1)));
      await apply(append('u1', big(1n), 'big1', t(1)), append('u1', big(2n), 'big2', t(1)));
      expect((await logs.list(P, 'u1', ZERO, 10, 0)).items.map((l) => l.id)).toEqual(['big2', 'big1', 'ten', 'nine']);
      expect((await logs.list(P, 'u1', sortKey(9), 10, 0)).items.map((l) => l.id)).toEqual(['big2', 'big1', 'ten']);
      expect((await logs.list(P, 'u1', big(1n), 10, 0)).items.map((l) => [l.id, l.sequence])).toEqual([['big2', big(2n)]]);
    });

    it('clamps huge limits and offsets', async () => {
      await apply(append('u1', 1, 'e1'));
      expect(await logs.list(P, 'u1', ZERO, 2 ** 40, 0)).toEqual({ total: 1, items: [makeLog(P, 'u1', 1, 'e1', T0)] });
      expect(await logs.list(P, 'u1', ZERO, 10, 2 ** 40)).toEqual({ total: 1, items: [] });
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
    });

    it('swaps rebuilt logs in', async () => {
      await apply(append('u1', 1, 'old'));
      const shadow = await store.openShadow('logs');
      await shadow.apply('logs', ref(0, '2', 'user-logs:u1'), [append('u1', 2, 'e2', t(2)), append('u1', 3, 'e3', t(3))]);
      expect((await queriesOf(shadow, LOGS).list(P, 'u1', ZERO, 10, 0)).total).toBe(2);
      await store.swapIn('logs', shadow, async () => undefined);
      expect((await logs.list(P, 'u1', ZERO, 10, 0)).items.map((l) => l.id)).toEqual(['e3', 'e2']);
      // Ids stay unique after the swap: a replayed record is not duplicated.
      await store.apply('logs', ref(1, '3', 'user-logs:u1'), [append('u1', 3, 'e3', t(3)), append('u1', 4, 'e4', t(4))]);
      expect((await logs.list(P, 'u1', ZERO, 10, 0)).items.map((l) => l.id)).toEqual(['e4', 'e3', 'e2']);
    });
  });
}
