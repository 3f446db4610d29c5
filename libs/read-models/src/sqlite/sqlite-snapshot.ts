import Database from 'better-sqlite3';

/**
 * The read store frozen at one moment, for reads that span many event-loop turns (an export
 * paging through a million rows): a second, read-only connection to the store's file holding one
 * read transaction (WAL keeps that snapshot while the projections go on writing on theirs), and
 * a projection's checkpoint as of the snapshot, so the rows read are the log up to `position`.
 * Close it soon: the WAL cannot be checkpointed past an open snapshot.
 */
export class SqliteSnapshot {
  /** The projection's checkpoint in the snapshot; null when it has applied nothing yet. */
  readonly position: string | null;
  private closed = false;

  private constructor(
    readonly db: Database.Database,
    projection: string,
  ) {
    db.exec('BEGIN');
    // The first read fixes the snapshot: the checkpoint and every later read see the same moment.
    const row = db.prepare<[string], { position: string }>('SELECT position FROM projection_checkpoints WHERE projection = ?').get(projection);
    this.position = row?.position ?? null;
  }

  /** A snapshot of the file `store` (a connection of a SqliteReadModels) is open on. */
  static open(store: Database.Database, projection: string): SqliteSnapshot {
    if (store.memory) throw new Error('a snapshot needs a read store in a file: an in-memory one has no second connection');
    const db = new Database(store.name, { readonly: true, fileMustExist: true });
    try {
      return new SqliteSnapshot(db, projection);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.exec('COMMIT');
    this.db.close();
  }
}
