import type Database from 'better-sqlite3';
import type { SqliteStorage } from './sqlite-storage';

/** A secondary index as SQLite keeps it: its name and its CREATE statement. */
interface DeclaredIndex {
  name: string;
  sql: string;
}

/**
 * The plain (non-UNIQUE) indexes on a storage's tables, in creation order. Only those can be
 * built after the rows: a UNIQUE index is a constraint the writes rely on (ON CONFLICT), and
 * the keys of the tables (their autoindexes, with no SQL) are the tables themselves.
 */
function plainIndexes(db: Database.Database, storage: SqliteStorage): DeclaredIndex[] {
  const tables = storage.tables.map(() => '?').join(', ');
  const rows = db
    .prepare<string[], DeclaredIndex>(`SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables}) ORDER BY rowid`)
    .all(...storage.tables);
  return rows.filter((index) => !/^CREATE\s+UNIQUE\s/i.test(index.sql));
}

/**
 * A rebuild's shadow is read by nobody until the swap, so its rows are loaded with only the
 * indexes its own writes look rows up by (`SqliteStorage.writeIndexes`): SQLite maintains every
 * other index row by row, batch after batch, at several times the cost of building it once from
 * a sorted pass (`buildLateIndexes`). A storage that does not declare them keeps them all.
 */
export function dropLateIndexes(db: Database.Database, storage: SqliteStorage): void {
  if (!storage.writeIndexes) return;
  const kept = new Set(storage.writeIndexes);
  for (const index of plainIndexes(db, storage)) if (!kept.has(index.name)) db.exec(`DROP INDEX main."${index.name}"`);
}

/**
 * Before the swap: the shadow gets the indexes it was loaded without, from the storage's own
 * DDL. Its schema is then the live one, index for index, so the swap's `INSERT … SELECT *` into
 * the emptied live tables copies rows and index entries as they are (SQLite's transfer
 * optimization) instead of inserting into every live index row by row, and the live schema,
 * hence every query plan, is never touched.
 */
export function buildLateIndexes(db: Database.Database, storage: SqliteStorage): void {
  if (storage.writeIndexes) db.transaction(() => db.exec(storage.ddl))();
}
