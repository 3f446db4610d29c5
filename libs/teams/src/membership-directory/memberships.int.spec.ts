import { describeWithMongo, sqliteReadModelsForTests } from '@lib/read-models/testing';
import { membershipsContract } from '@lib/teams/testing';

/* The memberships read model on SQLite (temporary file) and on a MongoDB-protocol server (fails without one). */

membershipsContract('sqlite', sqliteReadModelsForTests());

describeWithMongo('memberships on MongoDB', (server) => {
  membershipsContract('mongodb', server.open);
});
