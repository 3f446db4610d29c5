import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanFiles } from '@lib/event-store/testing';
import { describeDataKeyStoreContract } from '@lib/personal-data/testing';
import { SqliteDataKeyStore } from './sqlite-data-key-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const freshFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'data-keys-'));
  dirs.push(dir);
  return join(dir, 'data-keys.sqlite');
};

describeDataKeyStoreContract('sqlite', async () => {
  const file = freshFile();
  return async () => new SqliteDataKeyStore(file);
});

describe('SqliteDataKeyStore specifics', () => {
  /** Whether the store's files (the database, its WAL and shared memory) hold `bytes`, as another process reads them. */
  const onDisk = (file: string, bytes: Buffer) => scanFiles(['', '-wal', '-shm'].map((s) => file + s), [bytes.toString('latin1')]).length > 0;

  it('leaves no byte of a destroyed key in the database file or its WAL', async () => {
    const file = freshFile();
    const store = new SqliteDataKeyStore(file);
    const doomed = { keyId: randomUUID(), wrapped: randomBytes(60) };
    const kept = { keyId: randomUUID(), wrapped: randomBytes(60) };
    await store.add([doomed, kept]);
    expect(onDisk(file, doomed.wrapped)).toBe(true);
    await store.destroy([doomed.keyId]);
    expect(onDisk(file, doomed.wrapped)).toBe(false);
    expect(onDisk(file, kept.wrapped)).toBe(true);
    await store.close();
  });
});
