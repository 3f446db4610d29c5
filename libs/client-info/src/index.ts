import { countryCodeOf } from './geo';
import { parseUserAgent, warmUpUserAgentParserInBackground } from './user-agent';
import type { ClientDetails } from './user-agent';

export type { ClientDetails } from './user-agent';
export {
  CLIENT_DETAIL_KEYS,
  MAX_PARSED_USER_AGENT_LENGTH,
  UNKNOWN_USER_AGENT,
  USER_AGENT_CACHE_SIZE,
  clearUserAgentCache,
  engineVersionOf,
  parseUserAgent,
  userAgentCacheSize,
  warmUpUserAgentParser,
  warmUpUserAgentParserInBackground,
} from './user-agent';
export { UNKNOWN_COUNTRY_CODE, UNKNOWN_COUNTRY_NAME, countryCodeOf, countryNameOf } from './geo';
export { LruCache } from './lru';

/**
 * The 13 client fields Appwrite stores on a session / audit record. `countryName` is not stored:
 * derive it at read time with `countryNameOf(countryCode)`.
 */
export interface StoredClientInfo extends ClientDetails {
  countryCode: string;
}

/** Everything to persist about the caller of a request: parsed user agent + GeoIP country code. */
export function clientDetails(userAgent: string | null | undefined, ip: string | null | undefined): StoredClientInfo {
  return { ...parseUserAgent(userAgent), countryCode: countryCodeOf(ip) };
}

/**
 * For a process that already serves: load the GeoIP data (~0.1 s, read at first lookup) and
 * compile the user-agent regexes in short steps, so the first audited write does not pay them
 * in one block. Never throws: a failed warm-up only leaves the first parse slow.
 */
export async function warmUpClientInfoInBackground(signal?: AbortSignal): Promise<void> {
  try {
    await warmUpUserAgentParserInBackground(signal);
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!signal?.aborted) countryCodeOf('8.8.8.8');
  } catch {
    // Parsing itself reports its own errors when a request needs it.
  }
}
