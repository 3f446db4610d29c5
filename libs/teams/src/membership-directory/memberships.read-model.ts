import type { ReadModelDefinition } from '@lib/read-models';
import { membershipsProjection } from './memberships.projection';
import { MembershipDirectory } from './memberships.port';
import { membershipsMongoStorage, MongoMembershipDirectory } from './mongodb/memberships.mongodb';
import { membershipsSqliteStorage, SqliteMembershipDirectory } from './sqlite/memberships.sqlite';

export const MEMBERSHIPS: ReadModelDefinition<MembershipDirectory> = {
  projection: membershipsProjection,
  port: MembershipDirectory,
  sqlite: { storage: membershipsSqliteStorage, queries: (db) => new SqliteMembershipDirectory(db) },
  mongodb: { storage: membershipsMongoStorage, queries: (store) => new MongoMembershipDirectory(store) },
};
