import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@lib/event-store';
import { systemContext, toEventsToAppend } from '@lib/event-sourcing';
import type { ReadModelStore } from '@lib/read-models';
import { describeWithMongo, OpenReadModels, queriesOf, sqliteReadModelsForTests } from '@lib/read-models/testing';
import { refOf } from '@lib/users/testing';
import { userStreamId } from '../user';
import { USER_EVENT_SCHEMA, UserEvent } from '../user.events';
import { USER_DIRECTORY } from '../user-directory/user-directory.read-model';
import { ExportUsersHandler } from './export-users';

/*
 * An export is the project as of one log position, however the directory changes while it is
 * read: on SQLite a snapshot, on MongoDB (no snapshots) its pages brought back to that position
 * from the log. One user a page here, and writes between the pages: changes, deletions and new
 * users after the position must not show, users deleted after it must.
 */

const P = 'export';
const AT = '2024-01-01T00:00:00.000+00:00';
const created = (userId: string, name = userId): UserEvent => ({
  type: 'UserCreated',
  occurredAt: AT,
  data: { userId, name, email: `${userId}@x.io`, phone: null, password: null, hash: 'argon2', hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 } },
});
const renamed = (name: string): UserEvent => ({ type: 'UserNameChanged', occurredAt: AT, data: { name } });
const labelled = (labels: string[]): UserEvent => ({ type: 'UserLabelsReplaced', occurredAt: AT, data: { labels } });
const deleted: UserEvent = { type: 'UserDeleted', occurredAt: AT, data: {} };

function exportContract(adapter: string, open: OpenReadModels): void {
  describe(`export as of one position: ${adapter}`, () => {
    let dir: string;
    let events: SqliteEventStore;
    let store: ReadModelStore;
    let projected: string | null = null;
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'users-export-'));
      events = new SqliteEventStore(join(dir, 'events.sqlite'));
      store = await open([USER_DIRECTORY]);
      projected = null;
    });
    afterEach(async () => {
      await store.close();
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Appends to the user's stream, then projects the log into the directory, as the projection runner would. */
    const write = async (userId: string, ...domain: UserEvent[]) => {
      await events.append(userStreamId(P, userId), toEventsToAppend(domain, systemContext('spec'), USER_EVENT_SCHEMA), 'any');
      for (const e of await events.readAll(projected, 1000)) {
        await store.apply('users', refOf(e), USER_DIRECTORY.projection.project(e));
        projected = e.position;
      }
    };
    const exporter = () => {
      const handler = new ExportUsersHandler(queriesOf(store, USER_DIRECTORY), events);
      handler.pageSize = 1;
      return handler;
    };
    const parse = (chunks: string[]) => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

    it('shows every user as it was at the position, whatever is written between its pages', async () => {
      for (const id of ['a', 'b', 'c', 'd', 'e']) await write(id, created(id));
      await write('bb', created('bb'), deleted);
      await write('e', labelled(['early']));
      const exported = await exporter().execute({ projectId: P });
      expect(exported.position).toBe(projected);
      const lines = exported.lines[Symbol.asyncIterator]();
      const chunks = [(await lines.next()).value as string];
      // After the position, between the pages: none of this is in the export.
      await write('c', renamed('C later'));
      await write('d', deleted);
      await write('aa', created('aa'));
      await write('f', created('f'));
      await write('bb', created('bb', 'bb again'));
      await write('e', labelled(['late']));
      for (let next = await lines.next(); !next.done; next = await lines.next()) chunks.push(next.value);
      const all = parse(chunks);
      expect(all.map((l) => [l.userId ?? '$', l.name ?? null, l.labels ?? null])).toEqual([
        ['a', 'a', []],
        ['b', 'b', []],
        ['c', 'c', []],
        ['d', 'd', []],
        ['e', 'e', ['early']],
        ['$', null, null],
      ]);
      expect(all.at(-1)).toEqual({ $position: exported.position, total: 5 });
    });

    it('shows what was written by then to an export begun later', async () => {
      for (const id of ['a', 'b']) await write(id, created(id));
      await write('a', renamed('A2'));
      await write('b', deleted);
      await write('c', created('c'));
      const exported = await exporter().execute({ projectId: P });
      const chunks: string[] = [];
      for await (const chunk of exported.lines) chunks.push(chunk);
      expect(parse(chunks).map((l) => [l.userId ?? '$', l.name ?? l.total])).toEqual([
        ['a', 'A2'],
        ['c', 'c'],
        ['$', 2],
      ]);
    });

    it('of an empty log has no position and no users', async () => {
      const exported = await exporter().execute({ projectId: P });
      const chunks: string[] = [];
      for await (const chunk of exported.lines) chunks.push(chunk);
      expect(exported.position).toBeNull();
      expect(parse(chunks)).toEqual([{ $position: null, total: 0 }]);
    });
  });
}

exportContract('sqlite', sqliteReadModelsForTests());
describeWithMongo('export on MongoDB', (server) => exportContract('mongodb', server.open));
