'use strict';
// Checks: index kinds and options, unique-index errors.

const assert = require('node:assert/strict');
const { Diff, check } = require('./harness');

module.exports = async function indexes({ fresh }) {
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
};
