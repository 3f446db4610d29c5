import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWalCheckpointer, truncateWal, WalTruncateError, walCheckpointerThreads } from './wal-checkpointer';

/** A WAL-mode file whose commits stay in the WAL until something checkpoints them. */
function openWal(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (v BLOB)');
  return db;
}

const write = (db: Database.Database, rows: number) => {
  const insert = db.prepare('INSERT INTO t (v) VALUES (randomblob(1000))');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run();
  })();
};

/** Waits until the database file itself (not its WAL) holds more than `bytes`: a checkpoint copied the pages. */
async function checkpointedPast(file: string, bytes: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const size = statSync(file).size;
    if (size > bytes || Date.now() > deadline) return size;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('WAL checkpointer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('checkpoints every file of the process from one thread, and ends it with the last file', async () => {
    const files = [join(dir, 'a.sqlite'), join(dir, 'b.sqlite')];
    const dbs = files.map(openWal);
    const checkpointers = dbs.map((db, i) => startWalCheckpointer(db, files[i]));
    expect(walCheckpointerThreads()).toBe(1);
    const before = files.map((f) => statSync(f).size);
    dbs.forEach((db) => write(db, 2_000));
    // 2 MB per file is far below the writers' own threshold (64 MB): only the thread copies it.
    const after = await Promise.all(files.map((f, i) => checkpointedPast(f, before[i] + 1_000_000)));
    expect(after.map((size, i) => size > before[i] + 1_000_000)).toEqual([true, true]);

    await checkpointers[0].close();
    dbs[0].close();
    expect(walCheckpointerThreads()).toBe(1);
    write(dbs[1], 2_000);
    expect(await checkpointedPast(files[1], after[1] + 1_000_000)).toBeGreaterThan(after[1] + 1_000_000);

    await checkpointers[1].close();
    dbs[1].close();
    expect(walCheckpointerThreads()).toBe(0);
  });

  it('starts a thread again for a file opened after the last one closed', async () => {
    const file = join(dir, 'c.sqlite');
    const db = openWal(file);
    const first = startWalCheckpointer(db, file);
    await first.close();
    expect(walCheckpointerThreads()).toBe(0);
    const second = startWalCheckpointer(db, file);
    expect(walCheckpointerThreads()).toBe(1);
    const before = statSync(file).size;
    write(db, 2_000);
    expect(await checkpointedPast(file, before + 1_000_000)).toBeGreaterThan(before + 1_000_000);
    await second.close();
    db.close();
    expect(walCheckpointerThreads()).toBe(0);
  });
});

describe('truncateWal', () => {
  let dir: string;
  let db: Database.Database;
  let reader: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wal-truncate-'));
    db = openWal(join(dir, 'd.sqlite'));
    db.pragma('busy_timeout = 10000');
    write(db, 200);
    reader = new Database(join(dir, 'd.sqlite'));
    // A read transaction pinned to the WAL as it is: a truncation must wait until it ends.
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').get();
    write(db, 200);
  });
  afterEach(() => {
    if (reader.inTransaction) reader.exec('COMMIT');
    reader.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const walBytes = () => statSync(join(dir, 'd.sqlite-wal')).size;

  it('waits out a reader without holding the thread, then cuts the WAL to zero bytes', async () => {
    expect(walBytes()).toBeGreaterThan(0);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    // The reader can only let go while the thread is free between attempts.
    setTimeout(() => reader.exec('COMMIT'), 200);
    await truncateWal(db);
    clearInterval(ticker);
    expect([walBytes(), ticks > 5]).toEqual([0, true]);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(10000);
  });

  it('gives up with WalTruncateError (retry in a second) when the reader never lets go', async () => {
    const started = Date.now();
    const failure = await truncateWal(db, 300).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WalTruncateError);
    expect((failure as WalTruncateError).retryAfterSeconds).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(walBytes()).toBeGreaterThan(0);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(10000);
  });
});
