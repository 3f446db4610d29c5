import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Db, MongoClient } from 'mongodb';
import { MongoReadModels, ReadModelStore } from '@lib/read-models';
import { OpenReadModels, storagesOf } from './test-stores';

/*
 * Where MongoDB-backed specs find a server: MONGODB_URL in the environment, else the
 * `MONGODB_URL=` line of <repo>/.infra/env written by `npm run infra:up` (FerretDB 1.24;
 * MongoDB 7 works too). Every store the helpers open gets a fresh database with a random
 * name, dropped when the store is closed (and after the suite, for stores left open).
 */

export function mongoUrlForTests(): string | null {
  if (process.env.MONGODB_URL?.trim()) return process.env.MONGODB_URL.trim();
  const file = path.join(repoRoot(), '.infra', 'env');
  if (!existsSync(file)) return null;
  return /^MONGODB_URL=(.+)$/m.exec(readFileSync(file, 'utf8'))?.[1].trim() || null;
}

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export interface MongoTestServer {
  url: string;
  /** Stores on fresh databases (see OpenReadModels). */
  open: OpenReadModels;
  /** The suite's client (connected), e.g. for a database to look into. */
  client(): Promise<MongoClient>;
  /** A fresh database name; the caller drops it. */
  freshDbName(): string;
}

/**
 * A describe block for tests that need a MongoDB-protocol server. Without one configured it
 * holds a single test that FAILS: the contracts must never be skipped silently. A server that
 * is configured but unreachable fails every test at once, fast, saying so.
 */
export function describeWithMongo(name: string, body: (server: MongoTestServer) => void): void {
  const url = mongoUrlForTests();
  describe(name, () => {
    if (url === null) {
      it('has a MongoDB/FerretDB server to run the contract against (MONGODB_URL or .infra/env from `npm run infra:up`)', () => {
        throw new Error(`No MongoDB server for "${name}": set MONGODB_URL or run \`npm run infra:up\` before the tests (the contract must not be skipped)`);
      });
      return;
    }
    body(mongoTestServer(url));
  });
}

/** Call while the suite is being defined: registers the clean-up after the enclosing block. */
export function mongoTestServer(url: string): MongoTestServer {
  let connecting: Promise<MongoClient> | null = null;
  let client: MongoClient | null = null;
  const opened: ReadModelStore[] = [];
  const databases = new Set<string>();
  const connected = (): Promise<MongoClient> => {
    connecting ??= (async () => {
      client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
      try {
        return await client.connect();
      } catch (err) {
        throw new Error(`MongoDB/FerretDB at ${url} is unreachable (stale .infra/env? run \`npm run infra:up\`): ${(err as Error).message}`);
      }
    })();
    return connecting;
  };
  afterAll(async () => {
    for (const store of opened) await store.close().catch(() => undefined);
    if (client !== null) {
      for (const name of databases) await client.db(name).dropDatabase().catch(() => undefined);
      await client.close();
    }
  });
  const freshDbName = () => `rm_test_${randomBytes(6).toString('hex')}`;

  /** The first store on a database drops it when closed. */
  class DisposableMongoReadModels extends MongoReadModels {
    override async close(): Promise<void> {
      await super.close();
      await this.db.dropDatabase();
      databases.delete(this.db.databaseName);
    }
  }

  const open: OpenReadModels = async (definitions, options = {}) => {
    const storages = storagesOf(definitions, (d) => d.mongodb.storage);
    const settings = { comparePositions: options.comparePositions };
    let store: MongoReadModels;
    if (options.sameStorageAs) {
      if (!(options.sameStorageAs instanceof MongoReadModels)) throw new Error('sameStorageAs: not a MongoDB store');
      store = new MongoReadModels(options.sameStorageAs.db, storages, settings);
    } else {
      const db: Db = (await connected()).db(freshDbName());
      databases.add(db.databaseName);
      store = new DisposableMongoReadModels(db, storages, settings);
    }
    opened.push(store);
    await store.init();
    return store;
  };
  return { url, open, client: connected, freshDbName };
}

/** The bookkeeping collections of MongoReadModels (no prefix): for simulating crashes. */
export const MONGO_BOOKKEEPING = { streams: 'projection_streams', checkpoints: 'projection_checkpoints' } as const;

/** A crash after the changes were written, before the revisions were recorded (or a second process that read them first). */
export async function forgetRevisions(store: ReadModelStore): Promise<void> {
  await mongoOf(store).db.collection(MONGO_BOOKKEEPING.streams).deleteMany({});
}

/** A crash before the checkpoints moved. */
export async function forgetCheckpoints(store: ReadModelStore): Promise<void> {
  await mongoOf(store).db.collection(MONGO_BOOKKEEPING.checkpoints).deleteMany({});
}

function mongoOf(store: ReadModelStore): MongoReadModels {
  if (!(store instanceof MongoReadModels)) throw new Error('not a MongoDB store');
  return store;
}
