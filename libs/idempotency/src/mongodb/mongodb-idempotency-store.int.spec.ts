import { describeIdempotencyStoreContract } from '@lib/idempotency/testing';
import { describeWithMongo } from '@lib/read-models/testing';
import { MongoIdempotencyStore } from './mongodb-idempotency-store';

/* Against FerretDB 1.24 from `npm run infra:up` (or whatever MONGODB_URL points at); never skipped. */
describeWithMongo('MongoIdempotencyStore', (server) => {
  const databases: string[] = [];
  afterEach(async () => {
    const client = await server.client();
    for (const name of databases.splice(0)) await client.db(name).dropDatabase();
  });

  describeIdempotencyStoreContract('mongodb', async () => {
    const name = server.freshDbName();
    databases.push(name);
    const db = (await server.client()).db(name);
    return async () => new MongoIdempotencyStore(db);
  });
});
