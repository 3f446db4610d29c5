import type Database from 'better-sqlite3';
import type { UserRecord } from '../user-directory.port';

/** Users kept at most (about 3 KB each: the memory goal leaves room for a few MB); past it the oldest copies go first. */
const CAPACITY = 2_000;

/**
 * Recently read users of one read-model connection, in memory: a GET of a user is otherwise a
 * 28-column row decode and four JSON parses, the largest part of its time. Used only where this
 * process projects every change (SqliteQueryContext.soleWriter), so it sees every write: the
 * storage drops a user's copy as it writes that user, and a reset, a swap or an event another
 * writer applied first drops them all (SqliteStorage.replaced). Copies are frozen: callers share them.
 */
export class UserRecordCache {
  private readonly copies = new Map<string, UserRecord | (() => UserRecord)>();
  /** Set by the reader that serves from these copies; until then a write has nobody to keep its row for. */
  read = false;

  get(projectId: string, userId: string): UserRecord | undefined {
    const k = key(projectId, userId);
    const copy = this.copies.get(k);
    if (typeof copy !== 'function') return copy;
    const frozen = deepFreeze(copy());
    this.copies.set(k, frozen);
    return frozen;
  }

  remember(record: UserRecord): UserRecord {
    const frozen = deepFreeze(record);
    this.keep(key(record.projectId, record.id), frozen);
    return frozen;
  }

  /** A written row, decoded only if it is read before it is written again (a replay writes many, reads none). */
  written(projectId: string, userId: string, decode: () => UserRecord): void {
    this.keep(key(projectId, userId), decode);
  }

  private keep(k: string, copy: UserRecord | (() => UserRecord)): void {
    if (this.copies.size >= CAPACITY && !this.copies.has(k)) this.copies.delete(this.copies.keys().next().value!);
    this.copies.set(k, copy);
  }

  forget(projectId: string, userId: string): void {
    this.copies.delete(key(projectId, userId));
  }

  clear(): void {
    this.copies.clear();
  }
}

const caches = new WeakMap<Database.Database, UserRecordCache>();

/** The one cache of a connection, shared by its reader and its writer. */
export function userRecordCache(db: Database.Database): UserRecordCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new UserRecordCache()));
  return cache;
}

const key = (projectId: string, userId: string) => `${projectId}\u0000${userId}`;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
