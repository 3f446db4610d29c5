#!/usr/bin/env node
/*
 * Smoke test of the servers that `npm run infra:up` started (reads .infra/env, or the environment):
 *   Kafka:    create a topic, produce, consume it back through a consumer group.
 *   FerretDB: insert/find, a unique index, the duplicate-key error (code 11000).
 * Usage: node test/infra/smoke.js     (exit 0 when both pass). Plain CommonJS; not a jest suite.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
const { Kafka, logLevel } = require('kafkajs');
const { MongoClient } = require('mongodb');

function loadEnv() {
  const file = path.join(process.env.INFRA_DATA_DIR || path.join(__dirname, '..', '..', '.infra'), 'env');
  const env = {};
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (m) env[m[1]] = m[2];
    }
  }
  return { ...env, ...pick(process.env, ['KAFKA_BROKERS', 'MONGODB_URL']) };
}
const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o[k]).map((k) => [k, o[k]]));

async function kafkaSmoke(brokers) {
  const t0 = Date.now();
  const kafka = new Kafka({ clientId: 'infra-smoke', brokers: brokers.split(','), logLevel: logLevel.WARN });
  const topic = `infra-smoke-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  assert.equal(await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true }), true);
  await admin.disconnect();

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ key: 'k1', value: 'hello' }, { key: 'k2', value: 'world' }] });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `${topic}-group`, sessionTimeout: 10000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`consumed ${got.length}/2 messages in 30 s`)), 30000);
    consumer
      .run({
        eachMessage: async ({ message }) => {
          got.push(`${message.key}=${message.value}`);
          if (got.length === 2) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect(); // commits the offsets
  assert.deepEqual(got.sort(), ['k1=hello', 'k2=world']);

  const admin2 = kafka.admin();
  await admin2.connect();
  const offsets = await admin2.fetchOffsets({ groupId: `${topic}-group`, topics: [topic] });
  const committed = offsets[0].partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  assert.equal(committed, 2, 'the group committed both offsets');
  await admin2.deleteTopics({ topics: [topic] });
  await admin2.disconnect();
  console.log(`kafka ok: topic ${topic} (2 partitions), produced and consumed 2 messages via a group, offsets committed (${Date.now() - t0} ms)`);
}

async function mongoSmoke(url) {
  const t0 = Date.now();
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  try {
    const db = client.db(`infra_smoke_${Date.now()}`);
    const users = db.collection('users');
    await users.insertOne({ _id: 'u1', email: 'ada@example.com', name: 'Ada' });
    assert.deepEqual(await users.findOne({ email: 'ada@example.com' }), { _id: 'u1', email: 'ada@example.com', name: 'Ada' });
    assert.equal(await users.createIndex({ email: 1 }, { unique: true, name: 'email_unique' }), 'email_unique');
    await assert.rejects(users.insertOne({ _id: 'u2', email: 'ada@example.com' }), (e) => e.code === 11000);
    await db.dropDatabase();
  } finally {
    await client.close();
  }
  console.log(`ferretdb ok: insert/find, unique index, duplicate key error 11000 (${Date.now() - t0} ms)`);
}

async function main() {
  const env = loadEnv();
  if (!env.KAFKA_BROKERS || !env.MONGODB_URL) throw new Error('no KAFKA_BROKERS / MONGODB_URL: run npm run infra:up first');
  await Promise.all([kafkaSmoke(env.KAFKA_BROKERS), mongoSmoke(env.MONGODB_URL)]);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error('smoke test FAILED:', e && e.stack ? e.stack : e);
    process.exit(1);
  },
);
