#!/usr/bin/env node
/*
 * What the FerretDB of `npm run infra:up` (1.24, SQLite backend) does and does not do of what a
 * MongoDB read-model adapter may use. Each check runs against a scratch database and reports
 *   ok      behaves as MongoDB does
 *   DIFF    answers, but not as MongoDB would (details given)
 *   NO      refused (the server's error code and message given)
 * Usage: node test/infra/ferretdb-compat.js [--json]    (reads MONGODB_URL or .infra/env)
 * Informational: exits 0 whatever it finds (1 only if it cannot connect).
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');
const { MongoClient, Decimal128, Long, Binary, ObjectId } = require('mongodb');

function mongoUrl() {
  if (process.env.MONGODB_URL) return process.env.MONGODB_URL;
  const file = path.join(process.env.INFRA_DATA_DIR || path.join(__dirname, '..', '..', '.infra'), 'env');
  const m = /^MONGODB_URL=(.*)$/m.exec(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  if (!m) throw new Error('no MONGODB_URL: run npm run infra:up first');
  return m[1].trim();
}

const results = [];
class Diff extends Error {}

async function check(area, name, fn) {
  try {
    await fn();
    results.push({ area, name, status: 'ok' });
  } catch (e) {
    if (e instanceof Diff || e instanceof assert.AssertionError) {
      results.push({ area, name, status: 'DIFF', detail: e.message.split('\n')[0] });
    } else {
      const code = e.code != null ? `${e.code}${e.codeName ? ` ${e.codeName}` : ''}: ` : '';
      results.push({ area, name, status: 'NO', detail: `${code}${(e.message || String(e)).split('\n')[0]}` });
    }
  }
}

const strip = (docs) => docs.map(({ _id, ...rest }) => rest);

async function main() {
  const client = new MongoClient(mongoUrl(), { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const db = client.db(`compat_${Date.now()}`);
  let n = 0;
  const fresh = async (docs = []) => {
    const c = db.collection(`c${n++}`);
    if (docs.length) await c.insertMany(docs);
    return c;
  };

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

  // ---- queries ----
  const q = async (name, docs, filter, expectedIds, opts = {}) =>
    check('query', name, async () => {
      const c = await fresh(docs.map((d, i) => ({ _id: i + 1, ...d })));
      const got = (await c.find(filter, opts).toArray()).map((d) => d._id);
      if (!opts.sort) got.sort();
      if (JSON.stringify(got) !== JSON.stringify(expectedIds)) {
        throw new Diff(`no error, but matched _id ${JSON.stringify(got)} instead of ${JSON.stringify(expectedIds)}`);
      }
    });
  await q('$regex, option i', [{ s: 'Ada' }, { s: 'bob' }], { s: { $regex: '^a', $options: 'i' } }, [1]);
  await q('$regex, JS RegExp /^a/i', [{ s: 'Ada' }, { s: 'bob' }], { s: /^a/i }, [1]);
  await q('$regex, option m', [{ s: 'x\nAda' }, { s: 'bob' }], { s: { $regex: '^Ada', $options: 'm' } }, [1]);
  await q('$regex, option s', [{ s: 'a\nb' }, { s: 'ab' }], { s: { $regex: 'a.b', $options: 's' } }, [1]);
  await q('$regex, option x', [{ s: 'ab' }], { s: { $regex: 'a b # comment', $options: 'x' } }, [1]);
  await q('$regex on an array field', [{ t: ['xa', 'yb'] }, { t: ['c'] }], { t: { $regex: '^y' } }, [1]);
  await q('$in with a regex', [{ s: 'Ada' }, { s: 'bob' }, { s: 'cy' }], { s: { $in: [/^a/i, 'cy'] } }, [1, 3]);
  await q('$not with a regex', [{ s: 'Ada' }, { s: 'bob' }], { s: { $not: /^a/i } }, [2]);
  await q('dotted path into sub-documents and arrays', [{ a: { b: [{ c: 1 }, { c: 2 }] } }, { a: { b: [{ c: 3 }] } }], { 'a.b.c': 2 }, [1]);
  await q('$elemMatch on sub-documents ({ k: 1, v: 2 })', [{ t: [{ k: 1, v: 2 }] }, { t: [{ k: 1 }, { v: 2 }] }], { t: { $elemMatch: { k: 1, v: 2 } } }, [1]);
  await q('$elemMatch with operators on scalars ({ $gte, $lt })', [{ t: [1, 5] }, { t: [9] }], { t: { $elemMatch: { $gte: 2, $lt: 6 } } }, [1]);
  await q('$ne / $nin / $gt on strings', [{ s: 'a' }, { s: 'b' }, { s: 'c' }], { s: { $ne: 'a', $nin: ['c'], $gt: 'a' } }, [2]);
  await q('$exists false / null matches missing', [{ a: 1 }, { a: null }, {}], { a: null }, [2, 3]);
  await q('$type', [{ a: 1 }, { a: 'x' }], { a: { $type: 'string' } }, [2]);
  await q('$all / $size', [{ t: [1, 2] }, { t: [1] }], { t: { $all: [1, 2], $size: 2 } }, [1]);
  await q('$or / $nor / $and', [{ a: 1 }, { a: 2 }, { a: 3 }], { $or: [{ a: 1 }, { a: 3 }], $nor: [{ a: 3 }] }, [1]);
  await q('$mod', [{ a: 4 }, { a: 5 }], { a: { $mod: [2, 0] } }, [1]);
  await q('$expr', [{ a: 1, b: 2 }, { a: 3, b: 2 }], { $expr: { $gt: ['$a', '$b'] } }, [2]);
  await q('$where', [{ a: 1 }], { $where: 'this.a === 1' }, [1]);
  await q('$text (needs a text index)', [{ s: 'hello world' }], { $text: { $search: 'hello' } }, [1]);
  await q('compound sort + skip + limit', [{ a: 1, b: 2 }, { a: 1, b: 1 }, { a: 0, b: 9 }], {}, [2, 1], { sort: { a: -1, b: 1 }, limit: 2 });
  await q('sort across types (null < numbers < strings)', [{ a: 'x' }, { a: 2 }, { a: null }], {}, [3, 2, 1], { sort: { a: 1 } });
  await q('sort on a dotted path', [{ a: { b: 2 } }, { a: { b: 1 } }], {}, [2, 1], { sort: { 'a.b': 1 } });
  await q('find with collation (case-insensitive equality)', [{ s: 'Ada' }, { s: 'ada' }], { s: 'ADA' }, [1, 2], { collation: { locale: 'en', strength: 2 } });
  await q('find with hint', [{ a: 1 }], { a: 1 }, [1], { hint: { _id: 1 } });
  await q('find with maxTimeMS', [{ a: 1 }], { a: 1 }, [1], { maxTimeMS: 1000 });
  const proj = async (name, filter, projection, expected) =>
    check('query', `projection: ${name}`, async () => {
      const c = await fresh([{ _id: 1, a: 1, b: { c: 2, d: 3 }, t: [1, 2, 3], u: [{ k: 1 }, { k: 2 }] }]);
      assert.deepEqual(await c.findOne(filter, { projection }), expected);
    });
  await proj('inclusion with a dotted path', {}, { a: 1, 'b.c': 1 }, { _id: 1, a: 1, b: { c: 2 } });
  await proj('exclusion', {}, { b: 0, t: 0, u: 0 }, { _id: 1, a: 1 });
  await proj('$slice', {}, { t: { $slice: 2 }, _id: 0, a: 0, b: 0, u: 0 }, { t: [1, 2] });
  await proj('$elemMatch', {}, { u: { $elemMatch: { k: 2 } }, _id: 0 }, { u: [{ k: 2 }] });
  await proj('positional u.$ (array of sub-documents)', { 'u.k': 2 }, { 'u.$': 1, _id: 0 }, { u: [{ k: 2 }] });
  await proj('positional t.$ (array of scalars)', { t: 2 }, { 't.$': 1, _id: 0 }, { t: [2] });
  await check('query', 'countDocuments / estimatedDocumentCount / distinct', async () => {
    const c = await fresh([{ g: 'a' }, { g: 'b' }, { g: 'a' }]);
    assert.equal(await c.countDocuments({ g: 'a' }), 2);
    assert.equal(await c.estimatedDocumentCount(), 3);
    assert.deepEqual((await c.distinct('g')).sort(), ['a', 'b']);
  });
  await check('query', 'large result through getMore batches (1,000 documents, batchSize 100)', async () => {
    const c = await fresh(Array.from({ length: 1000 }, (_, i) => ({ i })));
    assert.equal((await c.find({}, { batchSize: 100 }).toArray()).length, 1000);
  });

  // ---- BSON types ----
  const roundTrip = async (name, value, same = (a, b) => assert.deepEqual(a, b)) =>
    check('types', name, async () => {
      const c = await fresh([{ _id: 1, v: value }]);
      same((await c.findOne({ _id: 1 })).v, value);
    });
  await roundTrip('Date', new Date('2024-01-02T03:04:05.678Z'));
  await roundTrip('ObjectId', new ObjectId());
  await roundTrip('Int64 (Long) beyond 2^53', Long.fromString('9007199254740993'), (a, b) => assert.equal(String(a), String(b)));
  await roundTrip('Binary', new Binary(Buffer.from([1, 2, 3])), (a, b) => assert.deepEqual(Buffer.from(a.buffer), Buffer.from(b.buffer)));
  await roundTrip('Decimal128 (FerretDB 1.24: the server drops the connection)', Decimal128.fromString('1.10'), (a, b) => assert.equal(String(a), String(b)));
  await roundTrip('empty sub-document and empty array', { e: {}, a: [] });
  await roundTrip('nested arrays', { a: [[1], []] });
  await roundTrip('field name with a dot', { 'a.b': 1 });
  await roundTrip('field name starting with $', { $x: 1 });
  await roundTrip('unicode strings, case-insensitive regex on them', 'Émile', async (a) => assert.equal(a, 'Émile'));
  await q('sort of strings is binary (B < a < b), as MongoDB without collation', [{ s: 'b' }, { s: 'B' }, { s: 'a' }], {}, [2, 3, 1], { sort: { s: 1 } });
  await q('case-insensitive regex on non-ASCII', [{ s: 'Émile' }], { s: /^émile$/i }, [1]);
  await check('types', 'Date range query and sort', async () => {
    const c = await fresh([{ _id: 1, at: new Date(1000) }, { _id: 2, at: new Date(3000) }]);
    assert.deepEqual((await c.find({ at: { $gt: new Date(2000) } }).toArray()).map((d) => d._id), [2]);
  });

  // ---- indexes ----
  const idx = async (name, spec, options, after) =>
    check('indexes', name, async () => {
      const c = await fresh();
      await c.insertOne({ _id: 0, seed: true });
      await c.createIndex(spec, { name: 'i', ...options });
      const got = (await c.listIndexes().toArray()).find((i) => i.name === 'i');
      if (!got) throw new Diff('created but not listed');
      for (const [k, v] of Object.entries(options)) {
        if (JSON.stringify(got[k]) !== JSON.stringify(v)) throw new Diff(`accepted, but the option is dropped: listIndexes shows ${k}=${JSON.stringify(got[k])}`);
      }
      if (after) await after(c);
    });
  await idx('unique: insert of a duplicate gives 11000', { email: 1 }, { unique: true }, async (c) => {
    await c.insertOne({ email: 'a' });
    await assert.rejects(c.insertOne({ email: 'a' }), (e) => e.code === 11000);
  });
  await idx('unique: the 11000 error names the index, with keyPattern/keyValue', { email: 1 }, { unique: true }, async (c) => {
    await c.insertOne({ email: 'a' });
    const e = await c.insertOne({ email: 'a' }).then(() => null, (err) => err);
    if (!/index: i /.test(`${e.message} `) || !e.keyValue || !e.keyPattern) {
      throw new Diff(`no index name, keyPattern or keyValue; message is: ${e.message}`);
    }
  });
  await idx('unique, compound', { p: 1, email: 1 }, { unique: true }, async (c) => {
    await c.insertMany([{ p: 1, email: 'a' }, { p: 2, email: 'a' }]);
    await assert.rejects(c.insertOne({ p: 1, email: 'a' }), (e) => e.code === 11000);
  });
  await idx('unique, on a nested field', { 'a.b': 1 }, { unique: true }, async (c) => {
    await c.insertOne({ a: { b: 1 } });
    await assert.rejects(c.insertOne({ a: { b: 1 } }), (e) => e.code === 11000);
  });
  await idx('unique: a missing field counts as null (second doc without it is a duplicate)', { phone: 1 }, { unique: true }, async (c) => {
    await c.insertOne({ x: 1 }).then(
      () => {
        throw new Diff('a second document without the field was accepted (MongoDB: E11000, the seed already has phone: null)');
      },
      (e) => assert.equal(e.code, 11000),
    );
  });
  for (const [how, write] of [
    ['updateOne $set', (c) => c.updateOne({ _id: 2 }, { $set: { email: 'a' } })],
    ['replaceOne', (c) => c.replaceOne({ _id: 2 }, { email: 'a' })],
    ['findOneAndUpdate', (c) => c.findOneAndUpdate({ _id: 2 }, { $set: { email: 'a' } })],
    ['upsert that inserts', (c) => c.updateOne({ _id: 3 }, { $set: { email: 'a' } }, { upsert: true })],
  ]) {
    await idx(`unique: a duplicate made by ${how} gives 11000`, { email: 1 }, { unique: true }, async (c) => {
      await c.insertMany([{ _id: 1, email: 'a' }, { _id: 2, email: 'b' }]);
      const e = await write(c).then(() => null, (err) => err);
      if (!e) throw new Diff('accepted: the duplicate was written');
      if (e.code !== 11000) throw new Diff(`refused, but with code ${e.code} ${e.codeName || ''}: ${e.message.split('\n')[0].slice(-110)}`);
      assert.equal(await c.countDocuments({ email: 'a' }), 1);
    });
  }
  await idx('unique: createIndex over existing duplicates fails with 11000', { other: 1 }, {}, async (c) => {
    await c.insertMany([{ d: 1 }, { d: 1 }]);
    const e = await c.createIndex({ d: 1 }, { unique: true, name: 'u' }).then(() => null, (err) => err);
    if (!e) throw new Diff('accepted');
    if (e.code !== 11000) throw new Diff(`refused, but with code ${e.code} ${e.codeName || ''}: ${e.message.split('\n')[0].slice(-90)}`);
  });
  await idx('unique: two explicit nulls are duplicates', { s: 1 }, { unique: true }, async (c) => {
    await c.insertOne({ s: null });
    await assert.rejects(c.insertOne({ s: null }), (e) => e.code === 11000);
  });
  await idx('descending, compound', { a: 1, b: -1 }, {});
  await idx('sparse', { s: 1 }, { sparse: true });
  await idx('unique + sparse (several docs without the field)', { s: 1 }, { unique: true, sparse: true }, async (c) => {
    await c.insertMany([{ x: 1 }, { x: 2 }]);
  });
  await idx('partialFilterExpression', { s: 1 }, { unique: true, partialFilterExpression: { s: { $exists: true } } });
  await idx('TTL (expireAfterSeconds)', { at: 1 }, { expireAfterSeconds: 3600 });
  await idx('collation', { s: 1 }, { collation: { locale: 'en', strength: 2 } });
  await idx('hidden', { s: 1 }, { hidden: true });
  await check('indexes', 'text index', async () => {
    const c = await fresh();
    await c.createIndex({ s: 'text' });
  });
  await check('indexes', 'hashed index', async () => {
    const c = await fresh();
    await c.createIndex({ s: 'hashed' });
  });
  await check('indexes', 'wildcard index', async () => {
    const c = await fresh();
    await c.createIndex({ '$**': 1 });
  });
  await check('indexes', '2dsphere index', async () => {
    const c = await fresh();
    await c.createIndex({ loc: '2dsphere' });
  });
  await check('indexes', 'createIndexes idempotent, dropIndex, dropIndexes', async () => {
    const c = await fresh();
    await c.createIndex({ a: 1 }, { name: 'a_1', unique: true });
    await c.createIndex({ a: 1 }, { name: 'a_1', unique: true });
    await c.dropIndex('a_1');
    await c.createIndex({ b: 1 });
    await c.dropIndexes();
    assert.deepEqual((await c.listIndexes().toArray()).map((i) => i.name), ['_id_']);
  });
  await check('indexes', 'createIndex: same name, other options is refused (85/86)', async () => {
    const c = await fresh();
    await c.createIndex({ a: 1 }, { name: 'x' });
    const e = await c.createIndex({ a: 1 }, { name: 'x', unique: true }).then(() => null, (err) => err);
    if (!e) {
      const unique = (await c.listIndexes().toArray()).find((i) => i.name === 'x').unique;
      throw new Diff(`accepted silently; the index stays ${unique ? 'unique' : 'NOT unique'}`);
    }
    assert.ok([85, 86].includes(e.code));
  });
  await check('indexes', 'createIndex: same keys under another name is refused (85)', async () => {
    const c = await fresh();
    await c.createIndex({ a: 1 }, { name: 'x' });
    await assert.rejects(c.createIndex({ a: 1 }, { name: 'y' }), (e) => e.code === 85);
  });

  // ---- aggregation ----
  const agg = async (name, docs, pipeline, expected, prep) =>
    check('aggregate', name, async () => {
      const c = await fresh(docs);
      if (prep) await prep(c);
      const got = await c.aggregate(pipeline).toArray();
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        throw new Diff(`no error, but got ${JSON.stringify(got)} instead of ${JSON.stringify(expected)}`);
      }
    });
  const people = [
    { _id: 1, g: 'a', n: 1, t: ['x', 'y'] },
    { _id: 2, g: 'a', n: 2, t: ['x'] },
    { _id: 3, g: 'b', n: 5, t: [] },
  ];
  const grp = (acc) => [{ $sort: { _id: 1 } }, { $group: { _id: '$g', v: acc } }, { $sort: { _id: 1 } }];
  await agg('$match + $group { $sum: 1 } + $sort', people, [{ $match: { n: { $gte: 1 } } }, ...grp({ $sum: 1 })], [{ _id: 'a', v: 2 }, { _id: 'b', v: 1 }]);
  await agg("$group { $sum: '$n' }", people, grp({ $sum: '$n' }), [{ _id: 'a', v: 3 }, { _id: 'b', v: 5 }]);
  await agg("$group { c: { $sum: 1 }, s: { $sum: '$n' } } in one stage", people, [
    { $group: { _id: '$g', c: { $sum: 1 }, s: { $sum: '$n' } } },
    { $sort: { _id: 1 } },
  ], [{ _id: 'a', c: 2, s: 3 }, { _id: 'b', c: 1, s: 5 }]);
  await agg('$group $count accumulator', people, grp({ $count: {} }), [{ _id: 'a', v: 2 }, { _id: 'b', v: 1 }]);
  await agg('$group $min', people, grp({ $min: '$n' }), [{ _id: 'a', v: 1 }, { _id: 'b', v: 5 }]);
  await agg('$group $max', people, grp({ $max: '$n' }), [{ _id: 'a', v: 2 }, { _id: 'b', v: 5 }]);
  await agg('$group $avg', people, grp({ $avg: '$n' }), [{ _id: 'a', v: 1.5 }, { _id: 'b', v: 5 }]);
  await agg('$group $push', people, grp({ $push: '$_id' }), [{ _id: 'a', v: [1, 2] }, { _id: 'b', v: [3] }]);
  await agg('$group $first', people, grp({ $first: '$_id' }), [{ _id: 'a', v: 1 }, { _id: 'b', v: 3 }]);
  await agg('$group $last', people, grp({ $last: '$_id' }), [{ _id: 'a', v: 2 }, { _id: 'b', v: 3 }]);
  await agg('$group $addToSet', people, grp({ $addToSet: '$g' }), [{ _id: 'a', v: ['a'] }, { _id: 'b', v: ['b'] }]);
  await agg('$count', people, [{ $match: { g: 'a' } }, { $count: 'n' }], [{ n: 2 }]);
  await agg('$skip / $limit / $project / $addFields / $set / $unset', people, [
    { $sort: { _id: 1 } }, { $skip: 1 }, { $limit: 1 }, { $addFields: { k: 1 } }, { $set: { j: 2 } }, { $unset: 't' }, { $project: { g: 1, k: 1, j: 1 } },
  ], [{ _id: 2, g: 'a', k: 1, j: 2 }]);
  await agg('$unwind', people, [{ $unwind: '$t' }, { $group: { _id: '$t', c: { $sum: 1 } } }, { $sort: { _id: 1 } }], [{ _id: 'x', c: 2 }, { _id: 'y', c: 1 }]);
  for (const [op, expr, value] of [
    ['$concat', { $concat: ['$a', '-'] }, 'x-'],
    ['$toUpper / $toLower', { $toUpper: '$a' }, 'X'],
    ['$cond', { $cond: [{ $gt: ['$n', 2] }, 'big', 'small'] }, 'big'],
    ['$literal', { $literal: '$a' }, '$a'],
    ['$sum (of an array)', { $sum: '$t' }, 3],
    ['$type', { $type: '$a' }, 'string'],
    ['$size', { $size: '$t' }, 2],
    ['$ifNull', { $ifNull: ['$missing', 0] }, 0],
  ]) {
    await agg(`$project expression ${op}`, [{ _id: 1, a: 'x', n: 3, t: [1, 2] }], [{ $project: { _id: 0, v: expr } }], [{ v: value }]);
  }
  await agg('$lookup', [{ _id: 1, u: 10 }], [{ $lookup: { from: 'people', localField: 'u', foreignField: '_id', as: 'p' } }], [{ _id: 1, u: 10, p: [] }]);
  await agg('$facet', people, [{ $facet: { total: [{ $count: 'n' }] } }], [{ total: [{ n: 3 }] }]);
  await agg('$sortByCount', people, [{ $sortByCount: '$g' }], [{ _id: 'a', count: 2 }, { _id: 'b', count: 1 }]);
  await agg('$replaceRoot', [{ _id: 1, d: { a: 1 } }], [{ $replaceRoot: { newRoot: '$d' } }], [{ a: 1 }]);
  await agg('$unionWith', [{ _id: 1 }], [{ $unionWith: 'other' }], [{ _id: 1 }]);
  await check('aggregate', '$out / $merge', async () => {
    const c = await fresh(people);
    await c.aggregate([{ $match: { g: 'a' } }, { $out: `${c.collectionName}_out` }]).toArray();
    assert.equal(await db.collection(`${c.collectionName}_out`).countDocuments(), 2);
  });

  // ---- collections ----
  await check('collections', 'createCollection with a $jsonSchema validator', async () => {
    const name = `v${n++}`;
    await db.createCollection(name, { validator: { $jsonSchema: { required: ['a'] } } });
    await assert.rejects(db.collection(name).insertOne({ b: 1 }), (e) => e.code === 121);
  });
  await check('collections', 'createCollection with a default collation', async () => {
    await db.createCollection(`col${n++}`, { collation: { locale: 'en', strength: 2 } });
  });
  await check('collections', 'capped collection', async () => {
    await db.createCollection(`cap${n++}`, { capped: true, size: 4096 });
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

  await db.dropDatabase().catch(() => {});
  await client.close();

  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(results, null, 2));
  } else {
    let area = '';
    const areas = [...new Set(results.map((r) => r.area))];
    for (const r of areas.flatMap((a) => results.filter((x) => x.area === a))) {
      if (r.area !== area) console.log(`\n${(area = r.area)}`);
      console.log(`  ${r.status.padEnd(4)} ${r.name}${r.detail ? `\n         -> ${r.detail}` : ''}`);
    }
    const count = (s) => results.filter((r) => r.status === s).length;
    console.log(`\n${count('ok')} ok, ${count('DIFF')} differ, ${count('NO')} refused (of ${results.length})`);
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
