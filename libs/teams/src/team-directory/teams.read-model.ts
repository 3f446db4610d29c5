import type { ReadModelDefinition } from '@lib/read-models';
import { MongoTeamDirectory, teamsMongoStorage } from './mongodb/teams.mongodb';
import { SqliteTeamDirectory, teamsSqliteStorage } from './sqlite/teams.sqlite';
import { teamsProjection } from './teams.projection';
import { TeamDirectory } from './teams.port';

export const TEAMS: ReadModelDefinition<TeamDirectory> = {
  projection: teamsProjection,
  port: TeamDirectory,
  sqlite: { storage: teamsSqliteStorage, queries: (db) => new SqliteTeamDirectory(db) },
  mongodb: { storage: teamsMongoStorage, queries: (store) => new MongoTeamDirectory(store) },
};
