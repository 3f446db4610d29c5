import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A 32-byte secret made on the first start and kept in `DATA_DIR/<name>` (hex, mode 0600), so it
 * survives restarts of the processes sharing that folder; the first process to write it wins.
 */
export function generatedSecret(dataDir: string, name: string): Buffer {
  const file = join(dataDir, name);
  const read = () => Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  try {
    return read();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32);
    try {
      writeFileSync(file, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch {
      // Another process wrote it first: use theirs.
      return read();
    }
    return secret;
  }
}
