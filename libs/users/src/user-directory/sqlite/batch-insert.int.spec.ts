import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadModels } from '@lib/read-models';
import { makeUser } from '@lib/users/testing';
import type { UserDirectoryChange } from '../user-directory.port';
import { userDirectorySqliteStorage } from './user-directory.sqlite';

/*
 * A batch's new users are inserted together (several to a statement); the tables must come out
 * as applying each change alone leaves them, row ids included (the side tables name them).
 */
const P = 'batch';
const put = (id: string, sequence: number, over = {}): UserDirectoryChange => ({ kind: 'put', user: makeUser(P, id, sequence, over) });

describe('user directory on SQLite: a batch of new users', () => {
  const dir = mkdtempSync(join(tmpdir(), 'directory-batch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const dump = (store: SqliteReadModels) =>
    ['users ORDER BY rid', 'user_search_words ORDER BY project_id, word, rid', 'user_labels ORDER BY label, rid'].map((from) => store.database.prepare(`SELECT * FROM ${from}`).all());

  it('leaves the same rows, ids included, as the changes one by one: more users than a statement takes, a user put twice, one deleted and created again', async () => {
    const changes: Array<[stream: string, revision: number, change: UserDirectoryChange]> = [
      ['user-old', 0, put('old', 1, { name: 'Already There' })],
    ];
    const batch: typeof changes = [];
    for (let i = 0; i < 75; i++) batch.push([`user-u${i}`, 0, put(`u${i}`, 10 + i, { name: `Imported User ${i}`, labels: i % 10 === 0 ? ['migrated'] : [] })]);
    batch.splice(40, 0, ['user-old', 1, { kind: 'patch', projectId: P, userId: 'old', patch: { name: 'Renamed', revision: 1 } }]);
    batch.push(['user-u3', 1, put('u3', 13, { name: 'Put Again', revision: 1 })]);
    batch.push(['user-u7', 1, { kind: 'delete', projectId: P, userId: 'u7' }]);
    batch.push(['user-u7', 2, put('u7', 200, { name: 'Back Again', revision: 2 })]);
    batch.push(['user-u80', 0, put('u80', 300, { labels: ['late'] })]);

    const batched = new SqliteReadModels(join(dir, 'batched.sqlite'), { users: userDirectorySqliteStorage });
    const alone = new SqliteReadModels(join(dir, 'alone.sqlite'), { users: userDirectorySqliteStorage });
    let position = 0;
    const refOf = (stream: string, revision: number) => ({ streamId: stream, streamRevision: revision, position: String(++position).padStart(4, '0') });
    for (const [stream, revision, change] of changes) {
      const ref = refOf(stream, revision);
      await batched.apply('users', ref, [change]);
      await alone.apply('users', ref, [change]);
    }
    const refs = batch.map(([stream, revision]) => refOf(stream, revision));
    await batched.applyBatch('users', batch.map(([, , change], i) => ({ ref: refs[i], changes: [change] })));
    for (const [i, [, , change]] of batch.entries()) await alone.apply('users', refs[i], [change]);

    const [users, words, labels] = dump(batched);
    expect(users).toHaveLength(77);
    expect(words.length).toBeGreaterThan(77 * 3);
    expect(labels).toHaveLength(9);
    expect([users, words, labels]).toEqual(dump(alone));
    await batched.close();
    await alone.close();
  });
});
