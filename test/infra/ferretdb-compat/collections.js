'use strict';
// Checks: collection options, concurrent writers, query planning (explain).

const assert = require('node:assert/strict');
const { MongoClient } = require('mongodb');
const { mongoUrl, Diff, check } = require('./harness');

module.exports = async function collectionsAndConcurrency({ db, fresh, seq }) {
  // ---- collections ----
  await check('collections', 'createCollection with a $jsonSchema validator', async () => {
    const name = `v${seq()}`;
    await db.createCollection(name, { validator: { $jsonSchema: { required: ['a'] } } });
    await assert.rejects(db.collection(name).insertOne({ b: 1 }), (e) => e.code === 121);
  });
  await check('collections', 'createCollection with a default collation', async () => {
    await db.createCollection(`col${seq()}`, { collation: { locale: 'en', strength: 2 } });
  });
  await check('collections', 'capped collection', async () => {
    await db.createCollection(`cap${seq()}`, { capped: true, size: 4096 });
  });
  await check('collections', 'renameCollection (dropTarget)', async () => {
    const c = await fresh([{ _id: 1 }]);
    const target = await fresh([{ _id: 2 }]);
    await c.rename(target.collectionName, { dropTarget: true });
    assert.deepEqual(await db.collection(target.collectionName).find().toArray(), [{ _id: 1 }]);
  });
  await check('collections', 'listCollections / drop / dropDatabase', async () => {
    const c = await fresh([{ _id: 1 }]);
    assert.ok((await db.listCollections({}, { nameOnly: true }).toArray()).some((x) => x.name === c.collectionName));
    assert.equal(await c.drop(), true);
  });
  await check('collections', 'collection name with a dot and a long name (120 chars)', async () => {
    const c = db.collection(`a.b_${'x'.repeat(116)}`);
    await c.insertOne({ _id: 1 });
    assert.equal(await c.countDocuments(), 1);
  });

  // ---- concurrency and query planning ----
  await check('concurrency', '300 $inc on one document from 10 connections at once: none lost', async () => {
    const c = await fresh([{ _id: 'k', n: 0 }]);
    const pool = new MongoClient(mongoUrl(), { maxPoolSize: 10, minPoolSize: 10 });
    await pool.connect();
    try {
      const pc = pool.db(db.databaseName).collection(c.collectionName);
      await Promise.all(Array.from({ length: 10 }, async () => {
        for (let i = 0; i < 30; i++) await pc.updateOne({ _id: 'k' }, { $inc: { n: 1 } });
      }));
    } finally {
      await pool.close();
    }
    const n = (await c.findOne({ _id: 'k' })).n;
    if (n !== 300) throw new Diff(`lost updates: n = ${n} after 300 acknowledged $inc (each update is a read-modify-write)`);
  });
  await check('concurrency', 'compare-and-set (update filtered on a version) from 10 connections: one winner per version', async () => {
    const c = await fresh([{ _id: 'v', version: 0 }]);
    const pool = new MongoClient(mongoUrl(), { maxPoolSize: 10, minPoolSize: 10 });
    await pool.connect();
    let applied = 0;
    try {
      const pc = pool.db(db.databaseName).collection(c.collectionName);
      await Promise.all(Array.from({ length: 10 }, async () => {
        for (let i = 0; i < 20; i++) {
          const cur = await pc.findOne({ _id: 'v' });
          applied += (await pc.updateOne({ _id: 'v', version: cur.version }, { $set: { version: cur.version + 1 } })).modifiedCount;
        }
      }));
    } finally {
      await pool.close();
    }
    const version = (await c.findOne({ _id: 'v' })).version;
    if (applied !== version) throw new Diff(`${applied} updates reported modifiedCount 1, yet the version went to ${version}: match and write are not atomic`);
  });
  await check('concurrency', '300 $inc on one document through one connection (maxPoolSize 1): none lost', async () => {
    const c = await fresh([{ _id: 'k', n: 0 }]);
    const one = new MongoClient(mongoUrl(), { maxPoolSize: 1 });
    await one.connect();
    try {
      const pc = one.db(db.databaseName).collection(c.collectionName);
      await Promise.all(Array.from({ length: 10 }, async () => {
        for (let i = 0; i < 30; i++) await pc.updateOne({ _id: 'k' }, { $inc: { n: 1 } });
      }));
    } finally {
      await one.close();
    }
    assert.equal((await c.findOne({ _id: 'k' })).n, 300);
  });
  await check('query planning', 'a filter on a field with an index is pushed down to SQLite (explain)', async () => {
    const c = await fresh([{ email: 'a' }]);
    await c.createIndex({ email: 1 }, { unique: true });
    const e = await c.find({ email: 'a' }).explain();
    if (!e.filterPushdown) throw new Diff(`filterPushdown=${e.filterPushdown}, plan ${JSON.stringify(e.queryPlanner)}: a full scan, filtered in Go; secondary indexes serve only uniqueness`);
  });
  await check('query planning', 'sort and limit are pushed down (explain)', async () => {
    const c = await fresh([{ n: 1 }]);
    const e = await c.find({}).sort({ n: 1 }).limit(1).explain();
    if (!e.sortPushdown || !e.limitPushdown) throw new Diff(`sortPushdown=${e.sortPushdown}, limitPushdown=${e.limitPushdown}`);
  });
};
