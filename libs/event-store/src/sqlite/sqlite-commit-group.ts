import type Database from 'better-sqlite3';
import { AppendResult, ExpectedRevision, RecordedEvent, StreamAppend, WrongExpectedRevisionError } from '../event-store.port';

/** One caller's append: one stream (append) or several, all or nothing (appendToStreams). */
export interface PendingAppend {
  parts: StreamAppend[];
  resolve(results: AppendResult[]): void;
  reject(error: unknown): void;
}

export type Outcome = { results?: AppendResult[]; error?: unknown };

/** Writing an append's rows failed part way: the rows written before are in the transaction. */
class RowWriteError extends Error {
  constructor(override readonly cause: unknown) {
    super('writing an append failed', { cause });
  }
}

interface IdRow {
  stream_id: string;
  revision: number;
  position: number;
}

/**
 * The appends of one event-loop turn as one SQLite transaction (see SqliteEventStore.append): each
 * append's checks, then its rows; an append of several streams checks every stream before it
 * writes any, so a conflict on one writes nothing on the others.
 */
export class SqliteCommitGroup {
  private readonly statements;
  private readonly withoutSavepoints;
  private readonly inSavepoints;

  constructor(db: Database.Database) {
    this.statements = {
      lastRevision: db.prepare<[string], { revision: number }>('SELECT max(revision) AS revision FROM events WHERE stream_id = ?'),
      insert: db.prepare('INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
      byId: db.prepare<[string], IdRow>('SELECT stream_id, revision, position FROM events WHERE id = ?'),
    };
    const inSavepoint = db.transaction((append: PendingAppend, written: RecordedEvent[]) => this.appendRows(append.parts, written));
    // Without savepoints (two statements per append) while every append either fails its checks,
    // writing nothing, or writes all its rows; a failed row write redoes the group with them.
    const group = (savepoints: boolean) =>
      db.transaction((appends: PendingAppend[], outcomes: Outcome[], committed: RecordedEvent[]) => {
        for (const append of appends) {
          const written: RecordedEvent[] = [];
          try {
            outcomes.push({ results: savepoints ? inSavepoint(append, written) : this.appendRows(append.parts, written) });
            for (const event of written) committed.push(event);
          } catch (error) {
            if (!(error instanceof RowWriteError)) outcomes.push({ error });
            else if (!savepoints) throw error;
            // An event id already stored (the savepoint is rolled back): a retried append, or a misuse.
            else if (!isEventIdConflict(error.cause)) outcomes.push({ error: error.cause });
            else {
              try {
                outcomes.push({ results: this.retriedAppend(append.parts) ?? raise(error.cause) });
              } catch (err) {
                outcomes.push({ error: err });
              }
            }
          }
        }
      });
    this.withoutSavepoints = group(false);
    this.inSavepoints = group(true);
  }

  /** Commits the group: one outcome per append, and the events written. Throws when the transaction fails as a whole. */
  commit(group: PendingAppend[]): { outcomes: Outcome[]; committed: RecordedEvent[] } {
    let outcomes: Outcome[] = [];
    let committed: RecordedEvent[] = [];
    // IMMEDIATE takes the write lock before reading revisions, so two processes cannot both pass a check.
    try {
      this.withoutSavepoints.immediate(group, outcomes, committed);
    } catch (error) {
      if (!(error instanceof RowWriteError)) throw error;
      [outcomes, committed] = [[], []];
      this.inSavepoints.immediate(group, outcomes, committed);
    }
    return { outcomes, committed };
  }

  /** One append's checks on every stream, then its rows (as `written`); a failure to write them is a RowWriteError. */
  private appendRows(parts: StreamAppend[], written: RecordedEvent[]): AppendResult[] {
    const currents: Array<number | null> = [];
    for (const { streamId, expected } of parts) {
      const current = this.statements.lastRevision.get(streamId)?.revision ?? null;
      // A retried append no longer expects the streams' revisions; one that still does fails on its event ids.
      if (!satisfies(expected, current)) return this.retriedAppend(parts) ?? raise(new WrongExpectedRevisionError(streamId, expected, current ?? 'no_stream'));
      currents.push(current);
    }
    const results: AppendResult[] = [];
    try {
      for (let i = 0; i < parts.length; i++) {
        const { streamId, events } = parts[i];
        let revision = currents[i] ?? -1;
        let position = 0;
        for (const event of events) {
          revision += 1;
          const data = JSON.stringify(event.data);
          const metadata = JSON.stringify(event.metadata);
          position = Number(this.statements.insert.run(event.id, streamId, revision, event.type, data, metadata).lastInsertRowid);
          written.push({ id: event.id, type: event.type, streamId, revision, position: String(position), sortKey: sortKeyOf(position), data: event.data, metadata: event.metadata });
        }
        results.push({ nextRevision: revision, position: String(position) });
      }
    } catch (error) {
      throw new RowWriteError(error);
    }
    return results;
  }

  /** Same event ids appended again (a retried request): answer as the first append did, like EventStoreDB. */
  private retriedAppend(parts: StreamAppend[]): AppendResult[] | null {
    const results = parts.map(({ streamId, events }) => {
      const rows = events.map((e) => this.statements.byId.get(e.id));
      if (rows.every((r) => r === undefined)) return null;
      if (rows.every((r) => r !== undefined && r.stream_id === streamId)) {
        const last = rows[rows.length - 1]!;
        return { nextRevision: last.revision, position: String(last.position) };
      }
      throw new Error(`Event ids already used in another append to ${streamId}`);
    });
    if (results.every((r) => r === null)) return null;
    // All parts of an append are committed together: some stored and some not is another append's ids.
    if (results.some((r) => r === null)) throw new Error(`Event ids already used in another append to ${parts.map((p) => p.streamId).join(', ')}`);
    return results as AppendResult[];
  }
}

function satisfies(expected: ExpectedRevision, current: number | null): boolean {
  return (
    expected === 'any' ||
    (expected === 'no_stream' && current === null) ||
    (expected === 'stream_exists' && current !== null) ||
    (typeof expected === 'number' && current === expected)
  );
}

function raise(error: unknown): never {
  throw error;
}

/**
 * By its code and message, not by class: the driver's native part throws errors of the realm that
 * loaded it first, which under a test runner need not be this module's (not even its Error).
 */
const isEventIdConflict = (error: unknown): boolean => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' && message.includes('events.id');
};

export const sortKeyOf = (position: number): string => String(position).padStart(40, '0');
