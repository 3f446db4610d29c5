import { createHmac, timingSafeEqual } from 'node:crypto';

/** The claims of a user JWT, as Appwrite issues them: whose session, until when (seconds since the epoch). */
export interface UserJwtClaims {
  userId: string;
  sessionId: string;
  exp: number;
}

/** The server-wide secret that signs JWTs (HS256); the platform provides it from JWT_SECRET or DATA_DIR. */
export abstract class JwtKey {
  abstract readonly secret: Buffer;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const HEADER = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));

export function signJwt(claims: UserJwtClaims, key: Buffer): string {
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', key).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}

/**
 * The claims of a JWT this server signed and that has not expired, else null. Only HS256 with
 * our header is accepted (no `alg: none`, no other algorithms); the signature is compared in
 * constant time.
 */
export function verifyJwt(token: string, key: Buffer, nowSeconds = Math.floor(Date.now() / 1000)): UserJwtClaims | null {
  if (typeof token !== 'string' || token.length > 4096) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return null;
  const expected = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const c = claims as Partial<UserJwtClaims> | null;
  if (!c || typeof c.userId !== 'string' || typeof c.sessionId !== 'string' || typeof c.exp !== 'number') return null;
  return c.exp > nowSeconds ? { userId: c.userId, sessionId: c.sessionId, exp: c.exp } : null;
}
