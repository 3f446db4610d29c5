import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JwtKey } from '@lib/http';
import type { ServiceConfig } from './config';

/**
 * JWT_SECRET when set (several gateways must share it); otherwise a secret generated on first
 * start and kept in DATA_DIR/jwt-secret (mode 0600), so JWTs survive restarts of one gateway.
 */
export function loadJwtKey(config: ServiceConfig): JwtKey {
  if (config.jwtSecret) return { secret: Buffer.from(config.jwtSecret, 'utf8') };
  const file = join(config.dataDir, 'jwt-secret');
  try {
    return { secret: Buffer.from(readFileSync(file, 'utf8').trim(), 'hex') };
  } catch {
    mkdirSync(config.dataDir, { recursive: true });
    const secret = randomBytes(32).toString('hex');
    try {
      writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    } catch {
      // Another process wrote it first: use theirs.
      return { secret: Buffer.from(readFileSync(file, 'utf8').trim(), 'hex') };
    }
    return { secret: Buffer.from(secret, 'hex') };
  }
}
