import type { UserListQuery } from '@lib/appwrite';
import type { ListResult } from '@lib/read-models';
import type { TargetChange, UserFields } from '../user';

/** A user as the directory keeps it: the aggregate's user fields plus bookkeeping. */
export interface UserRecord extends UserFields {
  projectId: string;
  /**
   * The sort key of the UserCreated event (fixed-width, text order = log order): insertion
   * order, the default sort and the tie-breaker of every List Users order.
   */
  sequence: string;
  /**
   * The revision of the last event of the user's stream the record includes, whatever that event
   * changed (a session's too): the version its answers name in their ETag and that If-Match is
   * checked against. The plumbing's own per-stream revisions only follow events that changed
   * something, and are bookkeeping of the store, not data of the record.
   */
  revision: number;
}

/** What the user-directory projection asks its storage to do. */
export type UserDirectoryChange =
  | { kind: 'put'; user: UserRecord }
  /**
   * Sets the given fields of an existing user (no-op if the user is absent), and applies a
   * change to its targets (`applyTargetChange`) when given.
   */
  | { kind: 'patch'; projectId: string; userId: string; patch: Partial<Omit<UserRecord, 'projectId' | 'id' | 'sequence' | 'targets'>>; targets?: TargetChange }
  | { kind: 'delete'; projectId: string; userId: string };

/** A user the scan came by: its record, or null for a user deleted after the scan's position (see UserScan). */
export interface ScannedUser {
  userId: string;
  record: UserRecord | null;
}

/**
 * One pass over a project's users in user-id order, page by page (an export): memory stays one
 * page whatever the number of users.
 */
export interface UserScan {
  /** The directory's checkpoint (projection `users`) when the scan began; null before any event. */
  readonly position: string | null;
  /**
   * true: every record is the user as of `position`, and only the users live then are seen (a
   * snapshot). false: each record is as it is when its page is read, users deleted since are seen
   * too (record null), and whoever exports brings the users changed after `position` back to it
   * from the log; users created since may be seen (the log says they did not exist yet).
   */
  readonly snapshot: boolean;
  /** The next users after the last one returned, at most `limit`; empty at the end. */
  next(limit: number): Promise<ScannedUser[]>;
  close(): Promise<void>;
}

/**
 * The users of every project, as Get User, Get User Preferences and List Users read them.
 * Dates are strings `YYYY-MM-DDTHH:mm:ss.SSS+00:00` (fixed width, so they sort as text); an
 * unset date is null. JSON objects (hashOptions, prefs) come back verbatim, key order included.
 */
export abstract class UserDirectory {
  abstract get(projectId: string, userId: string): Promise<UserRecord | null>;
  /**
   * Executes a validated List Users query (queries.md §5, §6). `total` ignores limit, offset
   * and cursor and is capped at LIST_TOTAL_CAP. The cursor user must exist (caller checks).
   */
  abstract list(projectId: string, query: UserListQuery): Promise<ListResult<UserRecord>>;
  abstract scan(projectId: string): Promise<UserScan>;
}

export const USER_CHANGE_KINDS: ReadonlySet<string> = new Set<UserDirectoryChange['kind']>(['put', 'patch', 'delete']);
