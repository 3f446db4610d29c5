import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeReadStoreContract, makeUser } from '../contract/read-store.contract';
import { SqliteReadStore } from './sqlite-read-store';
import { prefixUpperBound } from './sqlite-user-query';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rs-'));
  dirs.push(dir);
  return join(dir, 'read.sqlite');
}

describeReadStoreContract('sqlite', async () => new SqliteReadStore(tempFile()));

describe('SqliteReadStore specifics', () => {
  it('two instances on the same file see each other\'s writes and share bookkeeping', async () => {
    const file = tempFile();
    const a = new SqliteReadStore(file);
    const b = new SqliteReadStore(file);
    const ref = { streamId: 'user-u1', streamRevision: 0, position: '1' };
    expect(await a.applyChanges('users', ref, [{ kind: 'user.put', user: makeUser('p', 'u1', 1) }])).toBe(true);
    expect((await b.getUser('p', 'u1'))?.id).toBe('u1');
    expect(await b.applyChanges('users', ref, [])).toBe(false);
    expect(await b.getCheckpoint('users')).toBe('1');
    await b.applyChanges('users', { streamId: 'user-u2', streamRevision: 0, position: '2' }, [
      { kind: 'user.put', user: makeUser('p', 'u2', 2) },
    ]);
    expect((await a.listUsers('p', { filters: [], orders: [], limit: 25, offset: 0, search: 'u2' })).items.map((u) => u.id)).toEqual(['u2']);
    expect(await a.getCheckpoint('users')).toBe('2');
    await a.close();
    await b.close();
  });

  it('keeps data across reopen and accepts :memory:', async () => {
    const file = tempFile();
    const a = new SqliteReadStore(file);
    await a.applyChanges('users', { streamId: 's', streamRevision: 0, position: '1' }, [{ kind: 'user.put', user: makeUser('p', 'u1', 1) }]);
    await a.close();
    await a.close();
    const b = new SqliteReadStore(file);
    expect((await b.getUser('p', 'u1'))?.id).toBe('u1');
    await b.close();
    const m = new SqliteReadStore(':memory:');
    expect(await m.getUser('p', 'u1')).toBeNull();
    await m.close();
  });

  it('uses an injected position order for checkpoints', async () => {
    const store = new SqliteReadStore(':memory:', { comparePositions: (x, y) => y.localeCompare(x) });
    await store.applyChanges('users', { streamId: 's', streamRevision: 0, position: 'b' }, []);
    await store.applyChanges('users', { streamId: 's', streamRevision: 1, position: 'a' }, []);
    expect(await store.getCheckpoint('users')).toBe('a');
    await store.close();
  });

  it('refuses a file written by a newer schema', async () => {
    const file = tempFile();
    const a = new SqliteReadStore(file);
    await a.close();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(file);
    raw.prepare('UPDATE read_store_schema SET version = 999').run();
    raw.close();
    expect(() => new SqliteReadStore(file)).toThrow(/schema version 999/);
  });
});

describe('prefixUpperBound', () => {
  it.each<[string, string | null]>([
    ['ab', 'ac'],
    ['a\uD7FF', 'a\uE000'],
    ['\u{1D49C}', '\u{1D49D}'],
    ['a\uFFFF', 'a\u{10000}'],
    ['x\u{10FFFF}', null],
    ['', null],
  ])('%j -> %j', (prefix, bound) => {
    expect(prefixUpperBound(prefix)).toBe(bound);
  });
});
