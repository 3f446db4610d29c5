import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { UserListQuery } from '@lib/appwrite';
import { SqliteEventStore, type RecordedEvent } from '@lib/event-store';
import { type Projection, ProjectionRebuilder, SqliteReadModels } from '@lib/read-models';
import { queriesOf } from '@lib/read-models/testing';
import { refOf, userHistory, userQuery } from '@lib/users/testing';
import { USER_DIRECTORY } from '../user-directory.read-model';
import { planUserList } from './sqlite-user-query';

/*
 * A rebuild of the user directory on real SQLite files, through ProjectionRebuilder: its shadow
 * is loaded without the list indexes (SqliteStorage.writeIndexes) and gets them before the swap.
 * The live file must come out as if every event had been applied to it one by one: the same
 * answers, the same indexes and the same query plans; and an interrupted rebuild must leave the
 * live directory as it was.
 */
const P = 'rebuild';
const QUERIES: UserListQuery[] = [
  userQuery({ limit: 100 }),
  userQuery({ orders: [{ attribute: 'name', direction: 'desc' }], limit: 100 }),
  userQuery({ filters: [{ method: 'equal', attribute: 'status', values: [false] }], orders: [{ attribute: 'email', direction: 'asc' }], limit: 100 }),
  userQuery({ filters: [{ method: 'contains', attribute: 'labels', values: ['vip'] }], limit: 100 }),
  userQuery({ search: 'renamed', limit: 100 }),
];

const revisionsOf = (store: SqliteReadModels) => store.database.prepare("SELECT stream_id, revision FROM projection_streams WHERE projection = 'users' ORDER BY stream_id").all();

const indexesOf = (db: Database.Database) => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('users', 'user_search_words', 'user_labels') ORDER BY rowid").all();

function plansOf(db: Database.Database): string[][] {
  const explain = (sql: string, params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
  return QUERIES.flatMap((query) => {
    const plan = planUserList(P, query, null);
    return [...(plan.count ? [explain(plan.count.sql, plan.count.params)] : []), ...(plan.sparse ? [explain(plan.sparse.sql, [...plan.sparse.params, 25, 0])] : []), ...plan.dense.map((d) => explain(d.sql, [...d.params, 25, 0]))];
  });
}

async function answersOf(store: SqliteReadModels) {
  const directory = queriesOf(store, USER_DIRECTORY);
  const lists = [];
  for (const query of QUERIES) lists.push(await directory.list(P, query));
  const gets = [];
  for (let i = 0; i < 25; i++) gets.push(await directory.get(P, `u${i}`));
  return { lists, gets, checkpoint: await store.getCheckpoint('users') };
}

describe('rebuilding the SQLite user directory (indexes after the load)', () => {
  let dir: string;
  let log: SqliteEventStore;
  let recorded: RecordedEvent[];
  const stores: SqliteReadModels[] = [];
  const open = (name: string) => {
    const store = new SqliteReadModels(join(dir, name), { users: USER_DIRECTORY.sqlite.storage });
    stores.push(store);
    return store;
  };
  const applyOneByOne = async (store: SqliteReadModels, events: RecordedEvent[]) => {
    await store.bindLog(await log.identity());
    for (const e of events) await store.apply('users', refOf(e), USER_DIRECTORY.projection.project(e));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'users-rebuild-'));
    log = new SqliteEventStore(join(dir, 'events.sqlite'));
    for (const e of userHistory(P, 5, 400)) await log.append(e.streamId, [{ id: randomUUID(), type: e.type, data: e.data, metadata: e.metadata }], 'any');
    recorded = await log.readAll(null, 1000);
    expect(recorded).toHaveLength(400);
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('comes out as the events applied one by one: same answers, same indexes, same plans; the shadow is loaded without the list indexes', async () => {
    const reference = open('reference.sqlite');
    await applyOneByOne(reference, recorded);
    const live = open('live.sqlite');
    await applyOneByOne(live, recorded.slice(0, 150));
    const before = { indexes: indexesOf(live.database), plans: plansOf(live.database) };
    expect(before.indexes.length).toBeGreaterThan(15);

    // What the shadow holds once loaded, before it gets its late indexes, looked at from another
    // connection (the shadow is written on a thread of its own: SqliteStorage.thread).
    let loaded: unknown[] | null = null;
    const openShadow = live.openShadow.bind(live);
    jest.spyOn(live, 'openShadow').mockImplementation(async (projection) => {
      const shadow = await openShadow(projection);
      expect(shadow.constructor.name).toBe('SqliteShadowThread');
      const finishLoad = shadow.finishLoad.bind(shadow);
      shadow.finishLoad = async () => {
        const db = new Database(join(dir, 'live.sqlite.rebuild-users'), { readonly: true });
        loaded = indexesOf(db);
        db.close();
        await finishLoad();
      };
      return shadow;
    });
    await new ProjectionRebuilder(log, live, 64).rebuild(USER_DIRECTORY.projection);

    expect(loaded).toEqual([{ name: 'sqlite_autoindex_users_1', sql: null }]);
    expect(await answersOf(live)).toEqual(await answersOf(reference));
    expect((await answersOf(live)).lists.every((list) => list.total > 0)).toBe(true);
    expect(indexesOf(live.database)).toEqual(before.indexes);
    expect(plansOf(live.database)).toEqual(before.plans);
    expect(existsSync(join(dir, 'live.sqlite.rebuild-users'))).toBe(false);
    // Streams span the batches of 64; the shadow reads no revision back, yet records each stream's last.
    expect(revisionsOf(live)).toEqual(revisionsOf(reference));
    expect(revisionsOf(live).length).toBeGreaterThan(1);
    const last = recorded[recorded.length - 1];
    expect(await live.apply('users', refOf(last), USER_DIRECTORY.projection.project(last))).toBe(false);
  });

  it('an interrupted rebuild leaves the live directory as it was, and the next one succeeds', async () => {
    const reference = open('reference-2.sqlite');
    await applyOneByOne(reference, recorded);
    const live = open('live-2.sqlite');
    await applyOneByOne(live, recorded.slice(0, 150));
    const before = await answersOf(live);
    const failing: Projection = {
      name: 'users',
      project: (event) => {
        if (event.position === recorded[250].position) throw new Error('projection failed halfway');
        return USER_DIRECTORY.projection.project(event);
      },
    };
    await expect(new ProjectionRebuilder(log, live, 64).rebuild(failing)).rejects.toThrow('projection failed halfway');
    expect(await answersOf(live)).toEqual(before);
    expect(before.checkpoint).toBe(recorded[149].position);
    // The live file keeps being written meanwhile.
    await live.apply('users', refOf(recorded[150]), USER_DIRECTORY.projection.project(recorded[150]));

    await new ProjectionRebuilder(log, live, 64).rebuild(USER_DIRECTORY.projection);
    expect(await answersOf(live)).toEqual(await answersOf(reference));
  });

  it("a write that fails on the shadow's thread fails the rebuild with its error, and the live directory stays as it was", async () => {
    const live = open('live-3.sqlite');
    await applyOneByOne(live, recorded.slice(0, 150));
    const before = await answersOf(live);
    const unknownChange: Projection = {
      name: 'users',
      project: (event) => (event.position === recorded[300].position ? [{ kind: 'renamed-by-mistake' }] : USER_DIRECTORY.projection.project(event)),
    };
    await expect(new ProjectionRebuilder(log, live, 64).rebuild(unknownChange)).rejects.toThrow('Unknown user-directory change renamed-by-mistake');
    expect(await answersOf(live)).toEqual(before);
  });

  it('a compiled storage that is not the one running here (a stale build) is refused, and the live directory stays as it was', async () => {
    const storage = { ...USER_DIRECTORY.sqlite.storage, ddl: `${USER_DIRECTORY.sqlite.storage.ddl}\nCREATE INDEX IF NOT EXISTS users_by_mfa ON users (project_id, mfa);` };
    const live = new SqliteReadModels(join(dir, 'live-4.sqlite'), { users: storage });
    stores.push(live);
    await applyOneByOne(live, recorded.slice(0, 150));
    const before = await answersOf(live);
    await expect(new ProjectionRebuilder(log, live, 64).rebuild(USER_DIRECTORY.projection)).rejects.toThrow(/The compiled storage of users .* is not the one running here: run `npm run build`/);
    expect(await answersOf(live)).toEqual(before);
  });
});
