import { JwtKey } from '@lib/http';
import type { ServiceConfig } from './config';
import { generatedSecret } from './generated-secret';

/**
 * JWT_SECRET when set (several gateways must share it); otherwise a secret generated on first
 * start and kept in DATA_DIR/jwt-secret (mode 0600), so JWTs survive restarts of one gateway.
 */
export function loadJwtKey(config: ServiceConfig): JwtKey {
  if (config.jwtSecret) return { secret: Buffer.from(config.jwtSecret, 'utf8') };
  return { secret: generatedSecret(config.dataDir, 'jwt-secret') };
}
