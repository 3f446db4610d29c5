/**
 * The response format a client asks for with `X-Appwrite-Response-Format` (users-latest.md §3).
 * Versions compare numerically part by part, as PHP's version_compare does for plain numbers.
 */

/** The newest Appwrite release whose formats this server speaks. */
export const SERVER_FORMAT = '1.9.6';

export interface ResponseFormat {
  /** The version answered in: the asked-for one, or SERVER_FORMAT when absent or newer. */
  readonly version: string;
  /** What the client sent, when it sent a format newer than ours (it gets a warning header). */
  readonly newerThanServer: string | null;
}

export const NEWEST_FORMAT: ResponseFormat = { version: SERVER_FORMAT, newerThanServer: null };

/** Numeric parts of a version; a part that is not a number counts as 0, as a missing part does. */
function parts(version: string): number[] {
  return version.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
}

/** -1, 0 or 1, like version_compare for dotted numbers ("1.9" equals "1.9.0"). */
export function compareVersions(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export const isBelow = (format: ResponseFormat, version: string) => compareVersions(format.version, version) < 0;

/**
 * The format of a request. No header (or an empty one) means the newest; a value that is not a
 * dotted number (`abc`) is treated as the oldest, 0.0.0, which is where version_compare puts it.
 */
export function parseResponseFormat(header: string | string[] | undefined): ResponseFormat {
  const raw = (Array.isArray(header) ? header[header.length - 1] : header)?.trim();
  if (!raw) return NEWEST_FORMAT;
  const version = /^\d+(\.\d+)*$/.test(raw) ? raw : '0.0.0';
  return compareVersions(version, SERVER_FORMAT) > 0 ? { version: SERVER_FORMAT, newerThanServer: raw } : { version, newerThanServer: null };
}

/** Appwrite's `X-Appwrite-Warning` for an SDK built for a newer server. */
export const newerFormatWarning = (asked: string) =>
  `The current SDK is built for Appwrite ${asked}. However, the current Appwrite server version is ${SERVER_FORMAT}. Please downgrade your SDK to match the Appwrite version: https://appwrite.io/docs/sdks`;
