#!/usr/bin/env node
/**
 * The build, plain Node (it runs before anything is compiled):
 *
 *   node libs/build/build.js               `npm run build`: tsc -p tsconfig.build.json (incremental,
 *                                        dist/.tsbuildinfo is kept), then a stamp of what it built
 *   node libs/build/build.js --if-changed  `npm start` and `npm ci` (prepare): the same, unless the
 *                                        stamp says nothing changed; then tsc does not even start
 *
 * The stamp (<outDir>/.build-stamp.json) holds a SHA-256 over every file under the folders the
 * build's `include` names (minus its `exclude`), the tsconfig files, package.json,
 * package-lock.json and the TypeScript version. "Nothing changed" also needs every
 * `node dist/...js` entry point of package.json's scripts to exist. Outputs deleted by hand
 * would not come back from an incremental tsc (it trusts its .tsbuildinfo), so a missing entry
 * point drops the .tsbuildinfo first.
 *
 * Without tsconfig.build.json (the Docker build runs `npm ci` before copying the sources)
 * --if-changed has nothing to build and says so.
 */
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve, sep } = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = resolve(__dirname, '../..');
const CONFIG = 'tsconfig.build.json';
const log = (message) => process.stdout.write(`build: ${message}\n`);

/** tsconfig files are JSON with comments; plain JSON first, TypeScript's own reader otherwise. */
function readJsonc(file) {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    const ts = require(require.resolve('typescript', { paths: [ROOT] }));
    const { config, error } = ts.parseConfigFileTextToJson(file, text);
    if (error) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
    return config;
  }
}

/** The settings of the build config and the configs it extends; paths resolved like tsc does. */
function buildSettings() {
  const settings = { configFiles: [], include: null, exclude: null, outDir: null, tsBuildInfoFile: null };
  let file = join(ROOT, CONFIG);
  while (file) {
    const json = readJsonc(file);
    const base = dirname(file);
    settings.configFiles.push(file);
    const options = json.compilerOptions ?? {};
    if (settings.include === null && json.include) settings.include = json.include.map((p) => resolve(base, p));
    if (settings.exclude === null && json.exclude) settings.exclude = json.exclude.map((p) => resolve(base, p));
    if (settings.outDir === null && options.outDir) settings.outDir = resolve(base, options.outDir);
    if (settings.tsBuildInfoFile === null && options.tsBuildInfoFile) settings.tsBuildInfoFile = resolve(base, options.tsBuildInfoFile);
    file = json.extends ? resolve(base, json.extends.endsWith('.json') ? json.extends : `${json.extends}.json`) : null;
  }
  settings.include ??= [join(ROOT, '**/*')];
  settings.exclude ??= [];
  settings.outDir ??= ROOT;
  return settings;
}

/** tsc's include/exclude patterns as regular expressions (`**`, `*`, `?`; a plain path also covers what is under it). */
function patternToRegExp(pattern) {
  const parts = pattern.split(/(\*\*\/|\*\*|\*|\?)/).map((p) => {
    if (p === '**/') return '(?:.*/)?';
    if (p === '**') return '.*';
    if (p === '*') return '[^/]*';
    if (p === '?') return '[^/]';
    return p.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${parts.join('')}(?:/.*)?$`);
}

/** The part of a pattern before its first wildcard: the folder (or file) to look in. */
function staticPrefix(pattern) {
  const parts = pattern.split('/');
  const wild = parts.findIndex((p) => /[*?{[]/.test(p));
  return (wild === -1 ? parts : parts.slice(0, wild)).join('/');
}

const toPosix = (p) => p.split(sep).join('/');

/** Every file under the folders the include patterns start from, minus the excluded ones, sorted. */
function sourceFiles(settings) {
  const excluded = settings.exclude.map((p) => patternToRegExp(toPosix(p)));
  const outDir = toPosix(settings.outDir);
  const out = new Set();
  const visit = (path) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (name === 'node_modules' || name.startsWith('.') || excluded.some((re) => re.test(path))) return;
    if (path === outDir && settings.outDir !== ROOT) return;
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(`${path}/${entry}`);
    else if (stat.isFile()) out.add(path);
  };
  for (const root of new Set(settings.include.map((p) => staticPrefix(toPosix(p))))) visit(root);
  return [...out].sort();
}

function fingerprint(settings, typescriptVersion) {
  const files = [...new Set([...sourceFiles(settings), ...settings.configFiles, join(ROOT, 'package.json'), join(ROOT, 'package-lock.json')])].filter((f) => existsSync(f));
  const hash = createHash('sha256').update(`typescript ${typescriptVersion}\n`);
  for (const file of files) hash.update(`${relative(ROOT, file)}\0`).update(readFileSync(file)).update('\0');
  return { value: hash.digest('hex'), files: files.length };
}

/** `node dist/...js` in package.json's scripts: what npm start and friends run. */
function entryPoints(settings) {
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
  const outDir = toPosix(relative(ROOT, settings.outDir));
  const found = new Set();
  for (const command of Object.values(scripts)) {
    for (const m of String(command).matchAll(/\bnode\s+(?:\.\/)?(\S+\.js)\b/g)) if (outDir && m[1].startsWith(`${outDir}/`)) found.add(join(ROOT, m[1]));
  }
  return [...found];
}

function main(argv) {
  const ifChanged = argv.includes('--if-changed');
  if (!existsSync(join(ROOT, CONFIG))) {
    if (ifChanged) {
      log(`no ${CONFIG} here yet, nothing to build`);
      return 0;
    }
    log(`${CONFIG} is missing`);
    return 1;
  }
  let tsc;
  let typescriptVersion;
  try {
    const pkg = require.resolve('typescript/package.json', { paths: [ROOT] });
    typescriptVersion = JSON.parse(readFileSync(pkg, 'utf8')).version;
    tsc = join(dirname(pkg), 'bin', 'tsc');
  } catch {
    log('typescript is not installed (run npm ci)');
    return 1;
  }
  const settings = buildSettings();
  const stampFile = join(settings.outDir, '.build-stamp.json');
  const current = fingerprint(settings, typescriptVersion);
  const missing = entryPoints(settings).filter((f) => !existsSync(f));
  let stamp = null;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    /* no previous build */
  }

  if (ifChanged && stamp?.fingerprint === current.value && missing.length === 0) {
    linkLibs();
    log(`up to date (${current.files} files unchanged since the build of ${stamp.builtAt}), tsc not run`);
    return 0;
  }
  if (missing.length && settings.tsBuildInfoFile) rmSync(settings.tsBuildInfoFile, { force: true });
  const reason = !ifChanged ? 'compiling' : !stamp ? 'no previous build, compiling' : missing.length ? `${relative(ROOT, missing[0])} is missing, compiling everything` : 'sources changed, compiling';
  log(`${reason} (tsc -p ${CONFIG})`);
  rmSync(stampFile, { force: true });
  const result = spawnSync(process.execPath, [tsc, '-p', CONFIG], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) return result.status ?? 1;
  const stillMissing = entryPoints(settings).filter((f) => !existsSync(f));
  for (const f of stillMissing) log(`warning: package.json runs ${relative(ROOT, f)}, which the build did not produce`);
  mkdirSync(settings.outDir, { recursive: true });
  linkLibs();
  // The fingerprint taken before tsc ran: a file saved during the build makes the next start rebuild.
  writeFileSync(stampFile, JSON.stringify({ fingerprint: current.value, files: current.files, builtAt: new Date().toISOString() }) + '\n');
  return 0;
}

/** `@lib/<name>` imports resolvable at run time (see link-libs.js). */
function linkLibs() {
  const linker = join(__dirname, 'link-libs.js');
  if (existsSync(linker)) require(linker).linkLibs(ROOT);
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  log(err.message);
  process.exitCode = 1;
}
