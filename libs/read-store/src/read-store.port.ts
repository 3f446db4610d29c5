import type { UserListQuery } from '../../appwrite/src/queries/user-list-query';
import type { StoredClientInfo } from '../../client-info/src';
// The read model is a projection of the aggregate: a user row is the decider's user fields plus bookkeeping.
import type { UserFields } from '../../users/src/domain/user.decider';

/**
 * The read-model port: what list/get/logs endpoints read, and the only way projections write.
 * Adapters: sqlite/ (embedded, better-sqlite3) and mongodb/ (distributed). Both run one
 * contract suite (contract/read-store.contract.ts) and must behave identically.
 *
 * Dates are strings `YYYY-MM-DDTHH:mm:ss.SSS+00:00` (fixed width, so they sort as text);
 * an unset date is null. JSON objects (hashOptions, prefs) are stored and returned verbatim,
 * key order included.
 */

/** A user as the read model keeps it: the user decider's state plus bookkeeping. */
export interface UserRecord extends UserFields {
  projectId: string;
  /** Insertion order (the global log position of the UserCreated event); default sort key. */
  sequence: number;
}

/** A session; client fields are already parsed from the user agent at projection time. */
export interface SessionRecord extends StoredClientInfo {
  projectId: string;
  userId: string;
  id: string;
  createdAt: string;
  expire: string | null;
  provider: string;
  providerUid: string;
  providerAccessToken: string;
  providerAccessTokenExpiry: string | null;
  providerRefreshToken: string;
  ip: string;
}

export interface MembershipRecord {
  projectId: string;
  userId: string;
  id: string;
  createdAt: string;
  updatedAt: string;
  teamId: string;
  teamName: string;
  invited: string | null;
  joined: string | null;
  confirm: boolean;
  roles: string[];
}

/** An audit record in a user's log. `id` is the id of the event that produced it. */
export interface LogRecord extends StoredClientInfo {
  projectId: string;
  userId: string;
  /**
   * Global log position of the event that produced the record. A user re-created under the same
   * id has a later sequence than its predecessor's records, so it does not inherit them.
   */
  sequence: number;
  id: string;
  event: string;
  userEmail: string;
  userName: string;
  mode: string;
  ip: string;
  time: string;
}

export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: string;
}

export interface ApiKeyRecord {
  projectId: string;
  id: string;
  name: string;
  /** hex SHA-256 of the secret; the secret itself is never stored. */
  secretHash: string;
  scopes: string[];
  expire: string | null;
  createdAt: string;
  revoked: boolean;
}

/** One write a projection asks for. Projections are pure: event -> changes. */
export type ReadModelChange =
  | { kind: 'user.put'; user: UserRecord }
  /** Sets the given fields of an existing user (no-op if the user is absent). */
  | { kind: 'user.patch'; projectId: string; userId: string; patch: Partial<Omit<UserRecord, 'projectId' | 'id' | 'sequence'>> }
  | { kind: 'user.delete'; projectId: string; userId: string }
  | { kind: 'session.put'; session: SessionRecord }
  | { kind: 'session.delete'; projectId: string; userId: string; sessionId: string }
  | { kind: 'session.deleteAllOfUser'; projectId: string; userId: string }
  | { kind: 'membership.put'; membership: MembershipRecord }
  | { kind: 'membership.deleteAllOfUser'; projectId: string; userId: string }
  | { kind: 'log.append'; log: LogRecord }
  | { kind: 'project.put'; project: ProjectRecord }
  | { kind: 'apiKey.put'; apiKey: ApiKeyRecord }
  | { kind: 'apiKey.revoke'; projectId: string; keyId: string };

/** Where an event sits: the stream it belongs to and its place in the global log. */
export interface AppliedEventRef {
  streamId: string;
  /** 0-based revision of the event in its stream. */
  streamRevision: number;
  /** Opaque global log position (see event-store port), stored as the projection's checkpoint. */
  position: string;
}

export interface ListResult<T> {
  total: number;
  items: T[];
}

/** An abstract class rather than an interface so that it is also the NestJS injection token. */
export abstract class ReadStore {
  /**
   * Atomically: if `ref.streamRevision` is greater than the revision this projection last
   * applied for `ref.streamId`, apply `changes` and remember the revision; in every case move
   * the projection's checkpoint to `ref.position` (never backwards). Returns false when the
   * event had already been applied (idempotent replay).
   */
  abstract applyChanges(projection: string, ref: AppliedEventRef, changes: ReadModelChange[]): Promise<boolean>;
  /** Last position a projection checkpointed, or null if it never ran. */
  abstract getCheckpoint(projection: string): Promise<string | null>;

  abstract getUser(projectId: string, userId: string): Promise<UserRecord | null>;
  /**
   * Executes a validated List Users query (queries.md §5, §6). `total` ignores limit, offset
   * and cursor and is capped at LIST_TOTAL_CAP. The cursor user must exist (caller checks).
   */
  abstract listUsers(projectId: string, query: UserListQuery): Promise<ListResult<UserRecord>>;
  /** In creation order, at most 1000. */
  abstract listSessions(projectId: string, userId: string): Promise<SessionRecord[]>;
  abstract getSession(projectId: string, sessionId: string): Promise<SessionRecord | null>;
  /** In creation order, at most 1000. */
  abstract listMemberships(projectId: string, userId: string): Promise<MembershipRecord[]>;
  /** Records with a sequence after `afterSequence` (the user's own), newest first; `total` is their real number. */
  abstract listLogs(projectId: string, userId: string, afterSequence: number, limit: number, offset: number): Promise<ListResult<LogRecord>>;

  abstract getProject(projectId: string): Promise<ProjectRecord | null>;
  /** Keys of a project (revoked ones included, callers filter). */
  abstract listApiKeys(projectId: string): Promise<ApiKeyRecord[]>;

  /** Drops everything a projection wrote, and its checkpoint (used by rebuilds and tests). */
  abstract reset(projection: string): Promise<void>;

  /**
   * Blue/green rebuilds: an empty store of the same kind, beside this one, that a rebuild
   * projects into while this one keeps serving reads.
   */
  abstract openShadow(projection: string): Promise<ReadStore>;
  /**
   * Swaps a rebuilt projection in. Holds off this store's writers, calls `catchUp` with the
   * live checkpoint (the shadow must have applied at least up to it when the promise resolves),
   * then replaces the projection's data and bookkeeping with the shadow's, atomically where
   * the store allows. The shadow is closed and discarded afterwards.
   */
  abstract swapIn(projection: string, shadow: ReadStore, catchUp: (livePosition: string | null) => Promise<void>): Promise<void>;
  abstract close(): Promise<void>;
}
