import type Database from 'better-sqlite3';

/**
 * What one read model keeps in the embedded SQLite read store: its own tables and the code
 * that writes them. The plumbing (SqliteReadModels) runs `apply` inside the transaction that
 * also records the event's revision and the checkpoint.
 */
export interface SqliteStorage<Change = unknown> {
  /** Tables this read model owns, emptied by a reset and copied by a swap. */
  readonly tables: readonly string[];
  /** `CREATE … IF NOT EXISTS` statements of those tables and their indexes. */
  readonly ddl: string;
  /**
   * Optional: the names of the indexes in `ddl` that this storage's writes look rows up by.
   * Declared, a rebuild loads its shadow with only those (and the tables' keys and UNIQUE
   * constraints) and builds the others once, at the swap; undeclared, every index is kept
   * up to date row by row during the load.
   */
  readonly writeIndexes?: readonly string[];
  /**
   * Optional: where a worker thread finds this storage, the module that exports it (its
   * `__filename`) and the export's name. Declared, a rebuild writes its shadow on a thread of its
   * own (SqliteShadowThread) while this one reads and decodes the log.
   */
  readonly thread?: { readonly module: string; readonly exportName: string };
  /**
   * Bump when the DDL or the stored meaning changes: the tables are then dropped and the
   * projection replays from the start of the log on its next run.
   */
  readonly version: number;
  /** Prepares the statements once; the returned function writes one change. */
  open(db: Database.Database): (change: Change) => void;
  /**
   * Optional: prepares a writer of the changes of a batch of consecutive events at once (in log
   * order, already past their idempotency check), with the same outcome as writing them one by
   * one: a record's creation and the patches after it may become one write. Without it a batch
   * is written change by change.
   */
  openBatch?(db: Database.Database): (changes: readonly Change[]) => void;
  /**
   * Called when the tables changed without this storage writing them: their rows replaced
   * wholesale (a reset, a swap) or an event found already applied (by another process), or
   * when a transaction it wrote in was rolled back: what a read model keeps in memory of them is void.
   */
  replaced?(db: Database.Database): void;
}
