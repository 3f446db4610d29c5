import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeIdempotencyStoreContract } from '@lib/idempotency/testing';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describeIdempotencyStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'idempotency-'));
  dirs.push(dir);
  const file = join(dir, 'idempotency.sqlite');
  return async () => new SqliteIdempotencyStore(file);
});
