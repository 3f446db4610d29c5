#!/usr/bin/env node
/*
 * Small helpers for test/infra/infra.sh (plain CommonJS, not compiled by tsc, not a jest suite).
 *
 *   node probe.js free-port [preferred]          print a free loopback TCP port (the preferred one if it is free)
 *   node probe.js cluster-id                     print a new Kafka cluster id (base64url of 16 random bytes)
 *   node probe.js kafka <host:port> <timeoutMs> [pid]   wait until a kafkajs admin metadata request succeeds
 *   node probe.js mongo <url> <timeoutMs> [pid]         wait until a mongodb driver { ping: 1 } succeeds
 *
 * The wait commands exit 0 when ready, 1 on time-out, 2 when the given pid is gone (the server died).
 */
'use strict';

const net = require('node:net');
const crypto = require('node:crypto');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  if (!pid) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function tryListen(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(null));
    srv.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const p = srv.address().port;
      srv.close(() => resolve(p));
    });
  });
}

async function freePort(preferred) {
  const want = Number(preferred);
  if (Number.isInteger(want) && want > 0 && want < 65536) {
    const p = await tryListen(want);
    if (p) return p;
  }
  const p = await tryListen(0);
  if (!p) throw new Error('could not bind any port on 127.0.0.1');
  return p;
}

async function waitFor(name, timeoutMs, pid, attempt) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no attempt yet';
  for (;;) {
    if (!alive(pid)) {
      console.error(`${name}: process ${pid} exited before it was ready (last error: ${last})`);
      return 2;
    }
    try {
      const info = await attempt();
      console.log(`${name}: ready${info ? ` (${info})` : ''}`);
      return 0;
    } catch (e) {
      last = (e && e.message) || String(e);
    }
    if (Date.now() >= deadline) {
      console.error(`${name}: not ready after ${timeoutMs} ms (last error: ${last})`);
      return 1;
    }
    await sleep(500);
  }
}

async function kafkaReady(broker, timeoutMs, pid) {
  const { Kafka, logLevel } = require('kafkajs');
  return waitFor('kafka', Number(timeoutMs), pid, async () => {
    const kafka = new Kafka({
      clientId: 'infra-probe',
      brokers: [broker],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      requestTimeout: 3000,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const topics = await admin.listTopics(); // a real Metadata request
      const cluster = await admin.describeCluster();
      if (!cluster.brokers.length) throw new Error('metadata has no brokers yet');
      if (cluster.controller == null || cluster.controller < 0) throw new Error('no active controller yet');
      return `cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s), ${topics.length} topic(s)`;
    } finally {
      await admin.disconnect().catch(() => {});
    }
  });
}

async function mongoReady(url, timeoutMs, pid) {
  const { MongoClient } = require('mongodb');
  return waitFor('ferretdb', Number(timeoutMs), pid, async () => {
    const client = new MongoClient(url, {
      serverSelectionTimeoutMS: 1000,
      connectTimeoutMS: 1000,
      directConnection: true,
    });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      const info = await client.db('admin').command({ buildInfo: 1 });
      return `reports MongoDB ${info.version}${info.ferretdbVersion ? `, FerretDB ${info.ferretdbVersion}` : ''}`;
    } finally {
      await client.close().catch(() => {});
    }
  });
}

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  switch (cmd) {
    case 'free-port':
      console.log(await freePort(args[0]));
      return 0;
    case 'cluster-id':
      console.log(crypto.randomBytes(16).toString('base64url'));
      return 0;
    case 'kafka':
      return kafkaReady(args[0], args[1] || 60000, args[2]);
    case 'mongo':
      return mongoReady(args[0], args[1] || 60000, args[2]);
    default:
      console.error('usage: probe.js free-port [preferred] | cluster-id | kafka <host:port> <timeoutMs> [pid] | mongo <url> <timeoutMs> [pid]');
      return 64;
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  },
);
