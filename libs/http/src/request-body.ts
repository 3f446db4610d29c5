/**
 * How request bodies are read: as Appwrite 1.3 reads them (utopia-php/swoole Request), a body is
 * `json_decode($raw, true)`, and whatever that does not turn into a non-empty array (invalid
 * JSON, malformed UTF-8, an unpaired `\uD800` escape, nesting deeper than 512) counts as an
 * empty object, so required parameters then fail with `Param "…" is not optional.`
 */
import { phpJsonDecodeBytes } from '../../appwrite/src/php';

/** What Appwrite makes of a body: a decoded JSON object, or else an empty one. */
export function decodeBody(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  const decoded = phpJsonDecodeBytes(raw);
  if (!decoded.ok) return {};
  const v = decoded.value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
