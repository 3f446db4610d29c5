import type Database from 'better-sqlite3';
import type { MongoReadModels } from './mongodb/mongodb-read-models';
import type { MongoStorage } from './mongodb/mongodb-storage';
import type { Projection } from './read-model';
import type { SqliteStorage } from './sqlite/sqlite-storage';

/** What a read model's SQLite queries may rely on. */
export interface SqliteQueryContext {
  /**
   * Every change to this file's read models is projected by this process (the projections run
   * here): queries may keep in-memory copies, which the storage drops as it writes (and which
   * `SqliteStorage.replaced` voids when another writer got there first).
   */
  soleWriter: boolean;
}

/** An abstract class that is both the read model's query port and its injection token. */
export type PortToken<Port> = abstract new (...args: never[]) => Port;

/**
 * One read model, whole: the projection that feeds it, its query port, and per adapter its
 * storage and its queries. The platform registers every definition with the adapter it runs
 * on; nothing outside the read model's folder knows its tables.
 */
export interface ReadModelDefinition<Port = unknown> {
  projection: Projection<any>;
  port: PortToken<Port>;
  sqlite: { storage: SqliteStorage<any>; queries(db: Database.Database, context: SqliteQueryContext): Port };
  mongodb: { storage: MongoStorage<any>; queries(store: MongoReadModels): Port };
}
