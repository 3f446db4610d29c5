#!/usr/bin/env node
/*
 * What the FerretDB of `npm run infra:up` (1.24, SQLite backend) does and does not do of what a
 * MongoDB read-model adapter may use. Each check runs against a scratch database and reports
 *   ok      behaves as MongoDB does
 *   DIFF    answers, but not as MongoDB would (details given)
 *   NO      refused (the server's error code and message given)
 * Usage: node test/infra/ferretdb-compat.js [--json]    (reads MONGODB_URL or .infra/env)
 * Informational: exits 0 whatever it finds (1 only if it cannot connect).
 * The checks live in ferretdb-compat/<area>.js, run in the order of `sections` below.
 */
'use strict';

const { MongoClient } = require('mongodb');
const { mongoUrl, results } = require('./ferretdb-compat/harness');

const sections = [
  require('./ferretdb-compat/server-updates'),
  require('./ferretdb-compat/queries'),
  require('./ferretdb-compat/indexes'),
  require('./ferretdb-compat/aggregate'),
  require('./ferretdb-compat/collections'),
];

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
  // One counter for every scratch collection name, shared by all sections.
  const seq = () => n++;

  for (const run of sections) await run({ client, db, fresh, seq });

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
