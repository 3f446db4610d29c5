import { describeWithMongo, sqliteReadModelsForTests } from '@lib/read-models/testing';
import { teamsContract } from '@lib/teams/testing';

/* The teams read model on SQLite (temporary file) and on a MongoDB-protocol server (fails without one). */

teamsContract('sqlite', sqliteReadModelsForTests());

describeWithMongo('teams on MongoDB', (server) => {
  teamsContract('mongodb', server.open);
});
