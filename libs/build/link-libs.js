#!/usr/bin/env node
'use strict';
/**
 * After `tsc`, makes the `@lib/<name>` imports resolvable at run time: tsc keeps path aliases
 * as written, so each lib gets a package `dist/node_modules/@lib/<name>` whose main is the
 * lib's compiled entry point. Node finds it from every file under dist/ (worker threads too).
 */
const { mkdirSync, readdirSync, writeFileSync, existsSync } = require('node:fs');
const { join, relative } = require('node:path');

function linkLibs(root = join(__dirname, '../..')) {
  const dist = join(root, 'dist');
  if (!existsSync(join(root, 'libs'))) return;
  for (const name of readdirSync(join(root, 'libs'))) {
    const entry = join(dist, 'libs', name, 'src', 'index.js');
    if (!existsSync(entry)) continue;
    const pkg = join(dist, 'node_modules', '@lib', name);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: `@lib/${name}`, private: true, main: relative(pkg, entry) }, null, 2) + '\n');
  }
}

module.exports = { linkLibs };
if (require.main === module) linkLibs();
