'use strict';
// Checks: aggregation stages, accumulators and expression operators.

const assert = require('node:assert/strict');
const { Diff, check } = require('./harness');

module.exports = async function aggregate({ db, fresh }) {
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
};
