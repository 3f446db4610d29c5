import type { ReadModelDefinition } from '@lib/read-models';
import { MongoUserDirectory, userDirectoryMongoStorage } from './mongodb/user-directory.mongodb';
import { SqliteUserDirectory, userDirectorySqliteStorage } from './sqlite/user-directory.sqlite';
import { userDirectoryProjection } from './user-directory.projection';
import { UserDirectory } from './user-directory.port';

export const USER_DIRECTORY: ReadModelDefinition<UserDirectory> = {
  projection: userDirectoryProjection,
  port: UserDirectory,
  sqlite: { storage: userDirectorySqliteStorage, queries: (db, context) => new SqliteUserDirectory(db, context) },
  mongodb: { storage: userDirectoryMongoStorage, queries: (store) => new MongoUserDirectory(store) },
};
