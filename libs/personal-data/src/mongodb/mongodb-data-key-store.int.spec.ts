import { describeDataKeyStoreContract } from '@lib/personal-data/testing';
import { describeWithMongo } from '@lib/read-models/testing';
import { MongoDataKeyStore } from './mongodb-data-key-store';

/* Against FerretDB from `npm run infra:up` (or MONGODB_URL); fails without a server, never skips. */
describeWithMongo('MongoDataKeyStore', (server) => {
  const databases: string[] = [];
  // After each test, while the suite's client is still connected.
  afterEach(async () => {
    const client = await server.client();
    for (const name of databases.splice(0)) await client.db(name).dropDatabase();
  });
  describeDataKeyStoreContract('mongodb', async () => {
    const client = await server.client();
    const database = server.freshDbName();
    databases.push(database);
    return async () => new MongoDataKeyStore(client, database);
  });
});
