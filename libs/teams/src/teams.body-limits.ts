import { ASSOC_MAX_BYTES } from '@lib/appwrite';
import { ANY_CHAR, BodyAllowances, bounded, jsonString } from '@lib/http';

/** Every body parameter of the Teams API, by name (a test checks none is missing). */
export const TEAMS_BODY_ALLOWANCES: BodyAllowances = {
  // CustomId / UID: at most 36 characters (or `unique()`).
  teamId: bounded(jsonString(36)),
  userId: bounded(jsonString(36)),
  // Text(128).
  name: bounded(jsonString(128, ANY_CHAR)),
  // ArrayList(Key, 100): 100 keys of 36 characters, quoted and comma-separated.
  roles: bounded(2 + 100 * (jsonString(36) + 1)),
  email: bounded(jsonString(320)),
  phone: bounded(jsonString(16)),
  // A URL: Appwrite sets no maximum; 2048 characters is what browsers keep.
  url: { bytes: jsonString(2048), ruleBoundsSize: false },
  // Assoc: twice PHP's 65 535 bytes, for spacious client encodings (as for user prefs).
  prefs: bounded(2 * ASSOC_MAX_BYTES),
};
