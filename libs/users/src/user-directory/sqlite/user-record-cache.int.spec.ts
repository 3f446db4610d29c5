import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadModels } from '@lib/read-models';
import { makeUser } from '../../../test/user-fixtures';
import type { UserDirectoryChange } from '../user-directory.port';
import { userDirectorySqliteStorage } from './user-directory.sqlite';
import { SqliteUserDirectory } from './user-directory.sqlite';

/**
 * The embedded gateway keeps recently read users in memory. Whatever changes the rows — this
 * process's projection, a reset, a swap, or another process projecting into the same file
 * first — the next read must show the rows, never an older copy.
 */
describe('SQLite user directory: in-memory copies are never stale', () => {
  let dir: string;
  let file: string;
  let store: SqliteReadModels;
  let directory: SqliteUserDirectory;
  const P = 'cache';
  let position = 0;
  const at = (revision: number) => ({ streamId: `user-${P}-u1`, streamRevision: revision, position: String(++position) });
  const put = (name: string): UserDirectoryChange[] => [{ kind: 'put', user: makeUser(P, 'u1', 1, { name }) }];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'user-cache-'));
    file = join(dir, 'read-model.sqlite');
    store = new SqliteReadModels(file, { users: userDirectorySqliteStorage });
    directory = new SqliteUserDirectory(store.database, { soleWriter: true });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a projected change replaces the copy read before it (single events and batches)', async () => {
    await store.apply('users', at(0), put('first'));
    expect((await directory.get(P, 'u1'))?.name).toBe('first');
    await store.apply('users', at(1), [{ kind: 'patch', projectId: P, userId: 'u1', patch: { name: 'second' } }]);
    expect((await directory.get(P, 'u1'))?.name).toBe('second');
    await store.applyBatch('users', [{ ref: at(2), changes: put('third') }]);
    expect((await directory.get(P, 'u1'))?.name).toBe('third');
    await store.apply('users', at(3), [{ kind: 'delete', projectId: P, userId: 'u1' }]);
    expect(await directory.get(P, 'u1')).toBeNull();
  });

  it('copies are frozen: a caller cannot change what the next one reads', async () => {
    await store.apply('users', at(0), put('frozen'));
    const user = (await directory.get(P, 'u1'))!;
    expect(() => {
      (user as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(() => (user.labels as string[]).push('x')).toThrow(TypeError);
    expect((await directory.get(P, 'u1'))?.name).toBe('frozen');
  });

  it('an event another process applied first voids the copies of this one', async () => {
    await store.apply('users', at(0), put('before'));
    expect((await directory.get(P, 'u1'))?.name).toBe('before');
    // A second gateway on the same DATA_DIR projects the next event before this one does.
    const other = new SqliteReadModels(file, { users: userDirectorySqliteStorage });
    const next = at(1);
    await other.apply('users', next, put('by the other process'));
    await other.close();
    await store.applyBatch('users', [{ ref: next, changes: put('by the other process') }]);
    expect((await directory.get(P, 'u1'))?.name).toBe('by the other process');
  });

  it('a reset voids every copy', async () => {
    await store.apply('users', at(0), put('kept'));
    expect(await directory.get(P, 'u1')).not.toBeNull();
    await store.reset('users');
    expect(await directory.get(P, 'u1')).toBeNull();
  });

  it('without being the sole writer it keeps no copy: another process’s writes show at once', async () => {
    const reader = new SqliteUserDirectory(store.database, { soleWriter: false });
    await store.apply('users', at(0), put('one'));
    expect((await reader.get(P, 'u1'))?.name).toBe('one');
    const other = new SqliteReadModels(file, { users: userDirectorySqliteStorage });
    await other.apply('users', at(1), put('two'));
    await other.close();
    expect((await reader.get(P, 'u1'))?.name).toBe('two');
  });

  it('the copy a write keeps is what a read of its row returns', async () => {
    const fresh = new SqliteUserDirectory(store.database, { soleWriter: false });
    const rich = makeUser(P, 'u1', 1, {
      name: 'Ünïcode Name', phone: '+15550100', emailVerification: true, password: '$argon2id$v=19$m=2048,t=4,p=3$c2FsdA$aGFzaA',
      passwordUpdate: '2024-01-02T03:04:05.678+00:00', prefs: { theme: 'dark', nested: { n: 1, list: [1, 'two', null] } },
      labels: ['vip', 'beta'], mfa: true, accessedAt: '2024-01-03T00:00:00.000+00:00', revision: 7,
      targets: [{ id: 't1', createdAt: '2024-01-01T00:00:00.000+00:00', updatedAt: '2024-01-01T00:00:00.000+00:00', name: '', providerId: null, providerType: 'email', identifier: 'u1@example.com', expired: false }],
    } as never);
    await store.apply('users', at(0), [{ kind: 'put', user: rich }]);
    expect(await directory.get(P, 'u1')).toEqual(await fresh.get(P, 'u1'));
    await store.applyBatch('users', [
      { ref: at(1), changes: [{ kind: 'patch', projectId: P, userId: 'u1', patch: { email: null, status: false, prefs: {} } }] },
      { ref: at(2), changes: [{ kind: 'patch', projectId: P, userId: 'u1', patch: { name: 'patched', labels: [] } }] },
    ]);
    const cached = await directory.get(P, 'u1');
    expect(cached).toEqual(await fresh.get(P, 'u1'));
    expect(cached).toMatchObject({ name: 'patched', email: null, status: false, labels: [] });
  });

  it('a write that was rolled back leaves no copy behind (a failing batch, a failing event)', async () => {
    await store.apply('users', at(0), put('committed'));
    const failing: UserDirectoryChange = { kind: 'no such change' } as never;
    await expect(store.applyBatch('users', [{ ref: at(1), changes: [...put('rolled back'), failing] }])).rejects.toThrow();
    expect((await directory.get(P, 'u1'))?.name).toBe('committed');
    await expect(store.apply('users', at(2), [...put('rolled back too'), failing])).rejects.toThrow();
    expect((await directory.get(P, 'u1'))?.name).toBe('committed');
  });
});
