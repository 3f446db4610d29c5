import type { ReadModelStore } from '@lib/read-models';
import { OpenReadModels, openReadModel, ref } from '@lib/read-models/testing';
import type { ScannedUser, UserDirectory, UserDirectoryChange, UserScan } from '../src/user-directory/user-directory.port';
import { USER_DIRECTORY } from '../src/user-directory/user-directory.read-model';
import { makeUser } from './user-fixtures';

/**
 * UserDirectory.scan, what an export pages through: every user of one project once, in user-id
 * order, page by page, with the checkpoint it began at. A snapshot (SQLite) shows the project as
 * of that checkpoint whatever is written meanwhile; a scan without one (MongoDB) shows users as
 * they are when their page is read, deleted ones as `record: null`.
 */
export function describeUserScan(open: OpenReadModels, expectSnapshot: boolean): void {
  describe('scan (exports)', () => {
    let store: ReadModelStore;
    let directory: UserDirectory;
    let position = 0;
    const P = 'scan';
    const scans: UserScan[] = [];
    const revisions = new Map<string, number>();
    beforeEach(async () => {
      ({ store, queries: directory } = await openReadModel(open, USER_DIRECTORY));
      position = 0;
      revisions.clear();
    });
    afterEach(async () => {
      for (const scan of scans.splice(0)) await scan.close();
      await store.close();
    });
    /** Each change as the next event of the user's own stream. */
    const apply = async (userId: string, change: UserDirectoryChange, projectId = P) => {
      const stream = `user-${projectId}:${userId}`;
      const revision = (revisions.get(stream) ?? -1) + 1;
      revisions.set(stream, revision);
      await store.apply('users', ref(revision, String(++position), stream), [change]);
    };
    const put = (id: string, over: Parameters<typeof makeUser>[3] = {}, projectId = P) => apply(id, { kind: 'put', user: makeUser(projectId, id, position + 1, over) }, projectId);
    const open_ = async () => {
      const scan = await directory.scan(P);
      scans.push(scan);
      return scan;
    };
    const all = async (scan: UserScan, limit: number) => {
      const out: ScannedUser[] = [];
      for (let page = await scan.next(limit); page.length > 0; page = await scan.next(limit)) {
        expect(page.length).toBeLessThanOrEqual(limit);
        out.push(...page);
      }
      return out;
    };

    it(`pages through the project's users in id order, each once, from the checkpoint it began at (${expectSnapshot ? 'a snapshot' : 'no snapshot'})`, async () => {
      for (const id of ['m', 'b', 'z', 'a-1', 'A', 'b.2', 'x_9']) await put(id, { name: `Name ${id}`, labels: ['l1'] });
      await put('elsewhere', {}, 'other');
      const scan = await open_();
      expect(scan.position).toBe(String(position));
      expect(scan.snapshot).toBe(expectSnapshot);
      const seen = await all(scan, 3);
      expect(seen.map((s) => s.userId)).toEqual(['A', 'a-1', 'b', 'b.2', 'm', 'x_9', 'z']);
      expect(seen.find((s) => s.userId === 'm')!.record).toEqual(makeUser(P, 'm', 1, { name: 'Name m', labels: ['l1'] }));
      expect(await scan.next(3)).toEqual([]);
    });

    it('has no checkpoint before any event, and no users', async () => {
      const scan = await open_();
      expect(scan.position).toBeNull();
      expect(await all(scan, 10)).toEqual([]);
    });

    it(expectSnapshot ? 'sees none of what is written after it began' : 'sees writes made after it began, deletions as a null record', async () => {
      for (const id of ['a', 'b', 'c', 'd']) await put(id);
      await apply('b', { kind: 'delete', projectId: P, userId: 'b' });
      const scan = await open_();
      const began = scan.position;
      const first = await scan.next(1);
      await apply('c', { kind: 'patch', projectId: P, userId: 'c', patch: { name: 'Renamed' } });
      await apply('d', { kind: 'delete', projectId: P, userId: 'd' });
      await put('e');
      const rest = await all(scan, 2);
      const seen = [...first, ...rest].map((s) => [s.userId, s.record?.name ?? null]);
      expect(scan.position).toBe(began);
      if (expectSnapshot) expect(seen).toEqual([['a', 'a'], ['c', 'c'], ['d', 'd']]);
      // Deleted before the scan or after it: both tombstones (the log tells them apart).
      else expect(seen).toEqual([['a', 'a'], ['b', null], ['c', 'Renamed'], ['d', null], ['e', 'e']]);
    });

    if (expectSnapshot) {
      it('closes its snapshot, and several scans may run at once', async () => {
        await put('a');
        const [one, two] = [await open_(), await open_()];
        await put('b');
        const three = await open_();
        expect((await all(one, 5)).map((s) => s.userId)).toEqual(['a']);
        expect((await all(three, 5)).map((s) => s.userId)).toEqual(['a', 'b']);
        await one.close();
        await one.close();
        expect((await all(two, 5)).map((s) => s.userId)).toEqual(['a']);
      });
    }
  });
}
