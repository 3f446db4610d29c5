'use strict';
// Shared by ferretdb-compat.js and its sections: where the server is, and how a check is recorded.

const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');

function mongoUrl() {
  if (process.env.MONGODB_URL) return process.env.MONGODB_URL;
  const file = path.join(process.env.INFRA_DATA_DIR || path.join(__dirname, '..', '..', '..', '.infra'), 'env');
  const m = /^MONGODB_URL=(.*)$/m.exec(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  if (!m) throw new Error('no MONGODB_URL: run npm run infra:up first');
  return m[1].trim();
}

/** Every check's outcome, in the order the checks ran. */
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

module.exports = { mongoUrl, results, Diff, check, strip };
