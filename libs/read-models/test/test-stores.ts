import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppliedEventRef,
  MongoReadModels,
  PositionComparator,
  ReadModelDefinition,
  ReadModelStore,
  SqliteReadModels,
} from '@lib/read-models';

export interface OpenOptions {
  comparePositions?: PositionComparator;
  /** Open a second store on the storage (file, database) of this one, as another process would. */
  sameStorageAs?: ReadModelStore;
  /** How long a write waits for another store's write lock before failing (SQLite's busy timeout). */
  lockWaitMs?: number;
}

/**
 * Opens a store of one adapter with these read models registered: fresh and empty, unless
 * `sameStorageAs` names a store whose storage to share. Contracts close what they open; the
 * helpers below also clean up after the suite.
 */
export type OpenReadModels = (definitions: ReadModelDefinition[], options?: OpenOptions) => Promise<ReadModelStore>;

/** The query port of a read model on a store of either adapter (a shadow included). */
export function queriesOf<Port>(store: ReadModelStore, definition: ReadModelDefinition<Port>): Port {
  // As the embedded gateway runs them: this process projects every change (in-memory copies allowed).
  if (store instanceof SqliteReadModels) return definition.sqlite.queries(store.database, { soleWriter: true });
  if (store instanceof MongoReadModels) return definition.mongodb.queries(store);
  throw new Error(`queriesOf: unknown adapter ${store.constructor.name}`);
}

/** A fresh store with one read model registered, and that read model's queries. */
export async function openReadModel<Port>(open: OpenReadModels, definition: ReadModelDefinition<Port>, options?: OpenOptions): Promise<{ store: ReadModelStore; queries: Port }> {
  const store = await open([definition], options);
  return { store, queries: queriesOf(store, definition) };
}

export function storagesOf<S>(definitions: ReadModelDefinition[], storage: (d: ReadModelDefinition) => S): Record<string, S> {
  return Object.fromEntries(definitions.map((d) => [d.projection.name, storage(d)]));
}

/** A reference to the next event of a new stream (revision 0) at an ever-growing numeric position. */
export class NewEvents {
  private n: number;
  constructor(start = 0) {
    this.n = start;
  }
  next(): AppliedEventRef {
    this.n += 1;
    return { streamId: `stream-${this.n}`, streamRevision: 0, position: String(this.n) };
  }
  /** Applies `changes` as one such event. */
  apply(store: ReadModelStore, projection: string, changes: unknown[]): Promise<boolean> {
    return store.apply(projection, this.next(), changes);
  }
}

/** An event reference: `ref(revision, position, stream)`. */
export const ref = (streamRevision: number, position: string, streamId = 'stream-a'): AppliedEventRef => ({ streamId, streamRevision, position });

/**
 * SQLite stores on files of a temporary folder, removed (with every store left open) after
 * the enclosing describe block. Call it while the suite is being defined.
 */
export function sqliteReadModelsForTests(): OpenReadModels & { fileOf(store: ReadModelStore): string; tempFile(): string } {
  const dir = mkdtempSync(join(tmpdir(), 'read-models-'));
  const files = new WeakMap<ReadModelStore, string>();
  const opened: ReadModelStore[] = [];
  let count = 0;
  afterAll(async () => {
    for (const store of opened) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const tempFile = () => join(dir, `read-model-${++count}.sqlite`);
  const open: OpenReadModels = async (definitions, options = {}) => {
    const file = options.sameStorageAs ? files.get(options.sameStorageAs) : tempFile();
    if (!file) throw new Error('sameStorageAs: not a store of this helper');
    const store = new SqliteReadModels(file, storagesOf(definitions, (d) => d.sqlite.storage), {
      comparePositions: options.comparePositions,
      busyTimeoutMs: options.lockWaitMs,
    });
    files.set(store, file);
    opened.push(store);
    return store;
  };
  return Object.assign(open, {
    fileOf(store: ReadModelStore): string {
      const file = files.get(store);
      if (!file) throw new Error('fileOf: not a store of this helper');
      return file;
    },
    tempFile,
  });
}
