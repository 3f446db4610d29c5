'use strict';
// Checks: server, transactions, sessions, change streams, write/read concern, update operators.

const assert = require('node:assert/strict');
const { Diff, check, strip } = require('./harness');

module.exports = async function serverAndUpdates({ client, db, fresh }) {
  // ---- server / connection ----
  await check('server', 'hello reports a standalone (no replica set: no change streams, no transactions)', async () => {
    const h = await db.admin().command({ hello: 1 });
    if (h.setName) throw new Diff(`setName ${h.setName}`);
  });
  await check('server', 'buildInfo', async () => {
    const b = await db.admin().command({ buildInfo: 1 });
    assert.ok(b.version);
  });

  // ---- transactions, sessions, change streams ----
  await check('transactions', 'session.withTransaction (multi-document transaction)', async () => {
    const c = await fresh();
    const s = client.startSession();
    try {
      await s.withTransaction(async () => {
        await c.insertOne({ _id: 1 }, { session: s });
        await c.insertOne({ _id: 2 }, { session: s });
      });
    } finally {
      await s.endSession();
    }
    assert.equal(await c.countDocuments(), 2);
  });
  await check('transactions', 'abortTransaction rolls back', async () => {
    const c = await fresh();
    const s = client.startSession();
    try {
      s.startTransaction();
      await c.insertOne({ _id: 1 }, { session: s });
      await s.abortTransaction();
    } finally {
      await s.endSession();
    }
    const left = await c.countDocuments();
    if (left !== 0) throw new Diff(`abort kept ${left} document(s): no rollback`);
  });
  await check('sessions', 'explicit session without transaction (causal consistency)', async () => {
    const c = await fresh();
    const s = client.startSession({ causalConsistency: true });
    try {
      await c.insertOne({ _id: 1 }, { session: s });
      assert.equal((await c.findOne({ _id: 1 }, { session: s }))._id, 1);
    } finally {
      await s.endSession();
    }
  });
  await check('change streams', 'collection.watch()', async () => {
    const c = await fresh();
    const cs = c.watch();
    try {
      const next = cs.tryNext();
      await next;
    } finally {
      await cs.close();
    }
  });
  await check('write concern', "insert with writeConcern { w: 'majority', j: true }", async () => {
    const c = await fresh();
    await c.insertOne({ _id: 1 }, { writeConcern: { w: 'majority', j: true } });
  });
  await check('read concern', "find with readConcern 'majority'", async () => {
    const c = await fresh([{ _id: 1 }]);
    await c.find({}, { readConcern: { level: 'majority' } }).toArray();
  });

  // ---- update operators ----
  const upd = async (name, doc, update, expected, opts) =>
    check('update', name, async () => {
      const c = await fresh([{ _id: 1, ...doc }]);
      await c.updateOne({ _id: 1 }, update, opts);
      const { _id, ...got } = await c.findOne({ _id: 1 });
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        throw new Diff(`no error, but got ${JSON.stringify(got)} instead of ${JSON.stringify(expected)}`);
      }
    });
  await upd('$set / $unset (dotted paths create sub-documents)', { a: 1, b: 2 }, { $set: { 'x.y': 1 }, $unset: { b: '' } }, { a: 1, x: { y: 1 } });
  await upd('$inc / $mul', { a: 1, b: 2 }, { $inc: { a: 2, z: 1 }, $mul: { b: 5 } }, { a: 3, b: 10, z: 1 });
  await upd('$min / $max', { a: 5, b: 5 }, { $min: { a: 3 }, $max: { b: 9 } }, { a: 3, b: 9 });
  await upd('$rename', { a: 1 }, { $rename: { a: 'b' } }, { b: 1 });
  await check('update', '$currentDate', async () => {
    const c = await fresh([{ _id: 1 }]);
    await c.updateOne({ _id: 1 }, { $currentDate: { at: true } });
    assert.ok((await c.findOne({ _id: 1 })).at instanceof Date);
  });
  await upd('$push', { t: [1] }, { $push: { t: 2 } }, { t: [1, 2] });
  await upd('$push with $each', { t: [1] }, { $push: { t: { $each: [2, 3] } } }, { t: [1, 2, 3] });
  await upd('$push with $each + $slice', { t: [1, 2] }, { $push: { t: { $each: [3], $slice: -2 } } }, { t: [2, 3] });
  await upd('$push with $each + $sort', { t: [3, 1] }, { $push: { t: { $each: [2], $sort: 1 } } }, { t: [1, 2, 3] });
  await upd('$push with $each + $position', { t: [1, 3] }, { $push: { t: { $each: [2], $position: 1 } } }, { t: [1, 2, 3] });
  await upd('$addToSet with $each', { t: [1] }, { $addToSet: { t: { $each: [1, 2] } } }, { t: [1, 2] });
  await upd('$pull (value)', { t: [1, 2, 1] }, { $pull: { t: 1 } }, { t: [2] });
  await upd('$pull (condition on sub-documents)', { t: [{ k: 1 }, { k: 2 }] }, { $pull: { t: { k: 1 } } }, { t: [{ k: 2 }] });
  await upd('$pull (query operator)', { t: [1, 5, 9] }, { $pull: { t: { $gte: 5 } } }, { t: [1] });
  await upd('$pullAll', { t: [1, 2, 3] }, { $pullAll: { t: [1, 3] } }, { t: [2] });
  await upd('$pop', { t: [1, 2, 3] }, { $pop: { t: 1 } }, { t: [1, 2] });
  await check('update', 'positional $ (t.$.v with a filter on t.k)', async () => {
    const c = await fresh([{ _id: 1, t: [{ k: 1, v: 0 }, { k: 2, v: 0 }] }]);
    await c.updateOne({ _id: 1, 't.k': 2 }, { $set: { 't.$.v': 9 } });
    assert.deepEqual((await c.findOne({ _id: 1 })).t, [{ k: 1, v: 0 }, { k: 2, v: 9 }]);
  });
  await check('update', 'all-positional $[]', async () => {
    const c = await fresh([{ _id: 1, t: [{ v: 0 }, { v: 0 }] }]);
    await c.updateOne({ _id: 1 }, { $set: { 't.$[].v': 1 } });
    assert.deepEqual((await c.findOne({ _id: 1 })).t, [{ v: 1 }, { v: 1 }]);
  });
  await check('update', 'filtered positional $[e] with arrayFilters', async () => {
    const c = await fresh([{ _id: 1, t: [{ k: 1, v: 0 }, { k: 2, v: 0 }] }]);
    await c.updateOne({ _id: 1 }, { $set: { 't.$[e].v': 9 } }, { arrayFilters: [{ 'e.k': 2 }] });
    assert.deepEqual((await c.findOne({ _id: 1 })).t, [{ k: 1, v: 0 }, { k: 2, v: 9 }]);
  });
  await check('update', 'update by array index (t.1.v)', async () => {
    const c = await fresh([{ _id: 1, t: [{ v: 0 }, { v: 0 }] }]);
    await c.updateOne({ _id: 1 }, { $set: { 't.1.v': 5 } });
    assert.deepEqual((await c.findOne({ _id: 1 })).t, [{ v: 0 }, { v: 5 }]);
  });
  await check('update', 'aggregation-pipeline update ([{ $set: ... }])', async () => {
    const c = await fresh([{ _id: 1, a: 1 }]);
    await c.updateOne({ _id: 1 }, [{ $set: { b: '$a' } }]);
    assert.equal((await c.findOne({ _id: 1 })).b, 1);
  });
  await check('update', 'upsert with $setOnInsert', async () => {
    const c = await fresh();
    const r = await c.updateOne({ _id: 'x' }, { $set: { a: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    assert.equal(r.upsertedId, 'x');
    await c.updateOne({ _id: 'x' }, { $set: { a: 2 }, $setOnInsert: { created: false } }, { upsert: true });
    assert.deepEqual(await c.findOne({ _id: 'x' }), { _id: 'x', a: 2, created: true });
  });
  await check('update', 'upsert from an equality filter copies its fields', async () => {
    const c = await fresh();
    await c.updateOne({ k: 'a', n: 1 }, { $set: { v: 1 } }, { upsert: true });
    assert.deepEqual(strip(await c.find().toArray()), [{ k: 'a', n: 1, v: 1 }]);
  });
  await check('update', 'replaceOne with upsert', async () => {
    const c = await fresh([{ _id: 1, a: 1 }]);
    await c.replaceOne({ _id: 1 }, { b: 2 }, { upsert: true });
    await c.replaceOne({ _id: 2 }, { b: 3 }, { upsert: true });
    assert.deepEqual(await c.find().sort({ _id: 1 }).toArray(), [{ _id: 1, b: 2 }, { _id: 2, b: 3 }]);
  });
  await check('update', "findOneAndUpdate (returnDocument 'after', upsert)", async () => {
    const c = await fresh();
    const r = await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' });
    assert.deepEqual(r, { _id: 1, n: 1 });
  });
  await check('update', 'findOneAndDelete / findOneAndReplace with sort', async () => {
    const c = await fresh([{ _id: 1, p: 2 }, { _id: 2, p: 1 }]);
    assert.equal((await c.findOneAndDelete({}, { sort: { p: 1 } }))._id, 2);
    assert.equal((await c.findOneAndReplace({}, { p: 9 }, { returnDocument: 'after' })).p, 9);
  });
  await check('update', 'updateMany / deleteMany counts', async () => {
    const c = await fresh([{ g: 1 }, { g: 1 }, { g: 2 }]);
    assert.equal((await c.updateMany({ g: 1 }, { $set: { h: 1 } })).modifiedCount, 2);
    assert.equal((await c.deleteMany({ g: 1 })).deletedCount, 2);
  });
  await check('update', 'bulkWrite (ordered, mixed operations)', async () => {
    const c = await fresh();
    const r = await c.bulkWrite([
      { insertOne: { document: { _id: 1 } } },
      { updateOne: { filter: { _id: 1 }, update: { $set: { a: 1 } } } },
      { updateOne: { filter: { _id: 2 }, update: { $set: { a: 2 } }, upsert: true } },
      { deleteOne: { filter: { _id: 1 } } },
    ]);
    assert.deepEqual([r.insertedCount, r.modifiedCount, r.upsertedCount, r.deletedCount], [1, 1, 1, 1]);
  });
  await check('update', 'unordered insertMany with a duplicate: the others are written, error 11000', async () => {
    const c = await fresh([{ _id: 2 }]);
    await assert.rejects(c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }], { ordered: false }), (e) => e.code === 11000);
    assert.equal(await c.countDocuments(), 3);
  });
  await check('update', 'ordered insertMany with a duplicate stops there', async () => {
    const c = await fresh([{ _id: 2 }]);
    await assert.rejects(c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }]), (e) => e.code === 11000);
    assert.equal(await c.countDocuments(), 2);
  });
};
