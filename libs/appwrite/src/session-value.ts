/**
 * Appwrite's `Auth::encodeSession()` / `decodeSession()`: what a client holds of a session (the
 * cookie, `X-Appwrite-Session`, and since 1.7 the `secret` that users.createSession shows) is
 * `base64(JSON {id: userId, secret})`.
 */
/** The cookie / `X-Appwrite-Session` value. */
export const encodeSession = (userId: string, secret: string): string => Buffer.from(JSON.stringify({ id: userId, secret }), 'utf8').toString('base64');

/**
 * `Auth::decodeSession()`: lenient base64, then a JSON object with a string `id` and `secret`;
 * anything else is no session at all (the caller is a guest), as in Appwrite.
 */
export function decodeSession(value: string): { userId: string; secret: string } | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const { id, secret } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' || typeof secret !== 'string' || id === '' || secret === '') return null;
  return { userId: id, secret };
}
