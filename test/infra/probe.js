#!/usr/bin/env node
/*
 * Small helpers for test/infra/infra.sh (plain CommonJS, not compiled by tsc, not a jest suite).
 *
 *   node probe.js free-ports <preferred|0>...    print one free, distinct loopback TCP port per argument
 *                                                (the preferred one where it is free, else one the OS picks)
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

// A pid that exists and is no zombie (a server that died but was not reaped yet is gone for us).
function alive(pid) {
  if (!pid) return true;
  try {
    process.kill(Number(pid), 0);
  } catch (e) {
    if (e.code !== 'EPERM') return false;
  }
  try {
    const stat = require('node:fs').readFileSync(`/proc/${Number(pid)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

function listenOn(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(null));
    srv.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(srv));
  });
}

// Holds every chosen port open until all are chosen, so the answers are distinct.
async function freePorts(preferred) {
  const held = [];
  try {
    for (const pref of preferred) {
      const want = Number(pref);
      let srv = Number.isInteger(want) && want > 0 && want < 65536 ? await listenOn(want) : null;
      if (!srv) srv = await listenOn(0);
      if (!srv) throw new Error('could not bind any port on 127.0.0.1');
      held.push(srv);
    }
    return held.map((s) => s.address().port);
  } finally {
    await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
  }
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
      // FindCoordinator for a group: creates __consumer_offsets on first use and waits until the
      // group coordinator has loaded it, so that the first consumer group of a test does not.
      const { groups } = await admin.describeGroups(['infra-probe']);
      if (!groups.length) throw new Error('group coordinator not answering yet');
      // InitProducerId: the broker's producer-id block comes from the controller after a start,
      // and until then idempotent producers get COORDINATOR_LOAD_IN_PROGRESS.
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 3, initialRetryTime: 100 } });
      try {
        await producer.connect();
      } finally {
        await producer.disconnect().catch(() => {});
      }
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
      return `reports MongoDB ${info.version}`;
    } finally {
      await client.close().catch(() => {});
    }
  });
}

async function main() {
  const [cmd, ...args] = process.argv.slice(2);
  switch (cmd) {
    case 'free-ports':
      console.log((await freePorts(args.length ? args : ['0'])).join(' '));
      return 0;
    case 'cluster-id': {
      // As Kafka's own Uuid.randomUuid: never a leading '-', which the storage tool's argument parser takes for an option.
      let id;
      do id = crypto.randomBytes(16).toString('base64url');
      while (id.startsWith('-'));
      console.log(id);
      return 0;
    }
    case 'kafka':
      return kafkaReady(args[0], args[1] || 60000, args[2]);
    case 'mongo':
      return mongoReady(args[0], args[1] || 60000, args[2]);
    default:
      console.error('usage: probe.js free-ports <preferred|0>... | cluster-id | kafka <host:port> <timeoutMs> [pid] | mongo <url> <timeoutMs> [pid]');
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
