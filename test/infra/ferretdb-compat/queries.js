'use strict';
// Checks: query operators, sorts, projections, BSON types.

const assert = require('node:assert/strict');
const { Decimal128, Long, Binary, ObjectId } = require('mongodb');
const { Diff, check } = require('./harness');

module.exports = async function queriesAndTypes({ fresh }) {
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
};
