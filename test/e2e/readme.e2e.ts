import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from '../../apps/gateway/src/gateway.app';
import { createLogger, ENV_VARS, loadConfig } from '@lib/platform';
import { CodeBlock, envVarsUsed, fencedBlocks, isNpmRun, npmScriptsUsed, segments, shellCommands } from '../support/markdown-blocks';
import { parseExposition } from '../support/prometheus-text';
import { rawHttp } from '../support/raw-http';
import { jsonLines, ROOT, runProcess } from '../support/run-process';

/**
 * The README's code blocks do what they say, whatever blocks the README has:
 *  - ```js (javascript, cjs, mjs) blocks run as Node scripts, saved as .js (.cjs, .mjs) files in a
 *    temp folder whose node_modules/node-appwrite is this project's (9.0.0, then the newest),
 *    against a gateway bootstrapped with the project and key the README uses;
 *  - ```bash (sh, shell) blocks name only npm scripts package.json has and environment variables
 *    libs/platform/src/config.ts knows, and their `npm run keys -- ...` lines run as written;
 *  - the curl lines of a block whose lines promise a status (`# → <status> [<word>]`) run as written, in order, against a gateway bootstrapped like the js
 *    blocks', and answer what their `# → <status> [<word>]` comment says (the status curl -i
 *    printed, and a word the answer holds).
 *    any other block that calls curl runs whole (bash -e) against such a gateway, in a temp folder.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const blocks = fencedBlocks(README);
const JS_EXTENSIONS: Record<string, string> = { js: '.js', javascript: '.js', cjs: '.cjs', mjs: '.mjs' };
const jsBlocks = blocks.filter((b) => b.lang in JS_EXTENSIONS);
const shellBlocks = blocks.filter((b) => ['bash', 'sh', 'shell', 'zsh'].includes(b.lang));
const commands = shellBlocks.flatMap(shellCommands);
/** Blocks whose lines promise an answer (`# → 201`): run line by line and checked; other blocks that call curl run whole. */
const statusBlocks = shellBlocks.filter((b) => shellCommands(b).some((c) => /→\s*\d{3}/.test(c.comment)));
/** Variables of the machine, not of the service, that a README may well mention. */
const SHELL_VARS = ['PATH', 'HOME', 'PWD', 'NODE_OPTIONS'];

const where = (line: number, text: string) => `README.md:${line}: ${text}`;
/** The one change to a snippet: the service it talks to is the test gateway on its free port, not localhost:3000. */
const LOCAL_SERVICE = /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::\d+)?/g;
/** The metric names the "Metrics" section's table lists (prom-client's own `process_*`, `nodejs_*` aside). */
const metricsSection = /^## Metrics\n([\s\S]*?)(?=^## )/m.exec(README)?.[1] ?? '';
const README_METRICS = [...metricsSection.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
const values = (code: string, pattern: RegExp) => [...code.matchAll(pattern)].map((m) => m[2]);
const jsCode = jsBlocks.map((b) => b.code).join('\n');
const shellCode = commands.map((c) => c.text).join('\n');
const jsProjects = values(jsCode, /\.setProject\(\s*(['"`])([^'"`]+)\1\s*\)/g);
const jsKeys = values(jsCode, /\.setKey\(\s*(['"`])([^'"`]+)\1\s*\)/g);
const bootProjects = values(shellCode, /\bBOOTSTRAP_PROJECT_ID=(['"]?)([^\s'"]+)\1/g);
const bootKeys = values(shellCode, /\bBOOTSTRAP_API_KEY=(['"]?)([^\s'"]+)\1/g);
/** What the README's reader starts the service with, so that its snippets run as written. */
const BOOTSTRAP = { projectId: jsProjects[0] ?? bootProjects[0] ?? 'readme', apiKey: jsKeys[0] ?? bootKeys[0] ?? 'readme-key-' + 'r'.repeat(32) };

/** `npm start` as the README starts it (bootstrap project and key), in this process, on a free loopback port and a temp DATA_DIR. */
async function startReadmeGateway() {
  const dataDir = mkdtempSync(join(tmpdir(), 'users-readme-'));
  const config = {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    // In its own DATA_DIR: loadConfig put the downstream events file under the working directory.
    eventsFile: join(dataDir, 'integration-events.jsonl'),
    bootstrapProjectId: BOOTSTRAP.projectId,
    bootstrapApiKey: BOOTSTRAP.apiKey,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
  };
  const { app, url } = await startGateway(config, createLogger(config.logLevel));
  return {
    url,
    dataDir,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('README.md', () => {
  it('has code blocks to check', () => {
    expect(jsBlocks.length + shellBlocks.length).toBeGreaterThan(0);
  });

  it('its js blocks use a project and key its shell lines bootstrap', () => {
    for (const project of jsProjects) if (bootProjects.length) expect(bootProjects).toContain(project);
    for (const key of jsKeys) if (bootKeys.length) expect(bootKeys).toContain(key);
  });

  // node-appwrite 9.0.0 (the oldest supported) and the newest, each installed as `node-appwrite`.
  describe.each(['node-appwrite', 'node-appwrite-latest'])('```js blocks as Node scripts with %s', (pkg) => {
    let gw: Awaited<ReturnType<typeof startReadmeGateway>>;
    let dir: string;
    beforeAll(async () => {
      gw = await startReadmeGateway();
      // A user's project: node-appwrite (under its own name) in node_modules, nothing else.
      dir = mkdtempSync(join(tmpdir(), 'users-readme-js-'));
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(realpathSync(join(ROOT, 'node_modules', pkg)), join(dir, 'node_modules', 'node-appwrite'), 'dir');
    });
    afterAll(async () => {
      await gw?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    // In order, on one gateway: a later block may build on an earlier one, as a reader's would.
    it.each(jsBlocks.map((b): [string, CodeBlock] => [where(b.line, b.lang), b]))('%s runs and exits 0', async (_name, block) => {
      // The file name the block names in its first line (`// demo.js`), else one of the block's language.
      const named = /^\s*\/\/\s*([\w.-]+\.[cm]?js)\b/.exec(block.code)?.[1];
      const file = join(dir, named ?? `readme-${block.line}${JS_EXTENSIONS[block.lang]}`);
      writeFileSync(file, block.code.replace(LOCAL_SERVICE, gw.url));
      const res = await runProcess(process.execPath, [file], { cwd: dir, timeoutMs: 60_000 });
      expect([res.code, `${res.stdout}${res.stderr}`]).toEqual([0, expect.any(String)]);
    });
  });

  describe('```bash blocks', () => {
    it('name only npm scripts that package.json has', () => {
      const missing = commands.flatMap((c) => npmScriptsUsed(c.text).filter((s) => !(s in PACKAGE.scripts)).map((s) => where(c.line, `npm script "${s}"`)));
      expect(missing).toEqual([]);
    });

    it('name only environment variables libs/platform/src/config.ts knows (ENV_VARS)', () => {
      const unknown = commands.flatMap((c) => envVarsUsed(c.text).filter((v) => !(v in ENV_VARS) && !SHELL_VARS.includes(v)).map((v) => where(c.line, v)));
      expect(unknown).toEqual([]);
    });

    it('run their curl lines as written against a running gateway, each answering what its comment says', async () => {
      const curls = statusBlocks.flatMap(shellCommands).filter((c) => segments(c.text).some((s) => /^curl\b/.test(s)));
      if (!curls.length) return;
      const gw = await startReadmeGateway();
      try {
        for (const { line, text, comment } of curls) {
          const command = text.replace(/\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::\d+)?/g, gw.url);
          const res = await runProcess('bash', ['-o', 'pipefail', '-c', command], {});
          expect([where(line, text), res.code, res.stderr]).toEqual([where(line, text), 0, expect.any(String)]);
          const expected = /→\s*(\d{3})(?:\s+(\S+))?/.exec(comment);
          if (!expected) continue;
          const statuses = [...res.stdout.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)].map((m) => m[1]);
          expect([where(line, text), statuses.at(-1)]).toEqual([where(line, text), expected[1]]);
          if (expected[2]) expect([where(line, text), res.stdout.includes(expected[2])]).toEqual([where(line, text), true]);
        }
      } finally {
        await gw.close();
      }
    });

    it('run their `curl …/metrics` lines against a running gateway: Prometheus text with every metric the "Metrics" table lists, and no other', async () => {
      const lines = commands.flatMap((c) => segments(c.text).filter((s) => /^curl\s/.test(s) && /\/metrics\b/.test(s)).map((text) => ({ line: c.line, text })));
      if (!lines.length) return;
      const gw = await startReadmeGateway();
      try {
        for (const { line, text } of lines) {
          const res = await runProcess('bash', ['-c', text.replace(LOCAL_SERVICE, gw.url)]);
          expect([where(line, text), res.code, res.stderr]).toEqual([where(line, text), 0, '']);
          const served = [...parseExposition(res.stdout).types.keys()].filter((name) => !/^(process|nodejs)_/.test(name));
          expect([where(line, text), served.sort()]).toEqual([where(line, text), [...README_METRICS].sort()]);
        }
      } finally {
        await gw.close();
      }
    });

    it('that call curl run as written, every command succeeding, against a running gateway', async () => {
      const curlBlocks = shellBlocks.filter((b) => !statusBlocks.includes(b) && shellCommands(b).some((c) => segments(c.text).some((s) => /^curl\s/.test(s))));
      if (!curlBlocks.length) return;
      const gw = await startReadmeGateway();
      const dir = mkdtempSync(join(tmpdir(), 'users-readme-sh-'));
      try {
        // In order, on one gateway, as a reader would run them.
        for (const block of curlBlocks) {
          const script = join(dir, `readme-${block.line}.sh`);
          writeFileSync(script, block.code.replace(LOCAL_SERVICE, gw.url));
          const res = await runProcess('bash', ['-e', '-o', 'pipefail', script], { cwd: dir, timeoutMs: 60_000 });
          expect([where(block.line, block.lang), res.code, res.stderr]).toEqual([where(block.line, block.lang), 0, expect.any(String)]);
        }
      } finally {
        await gw.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('run their `npm run keys -- ...` lines as written, against the DATA_DIR of a running gateway', async () => {
      const lines = commands.flatMap((c) => segments(c.text).filter((s) => isNpmRun(s, 'keys')).map((text) => ({ line: c.line, text })));
      if (!lines.length) return;
      const gw = await startReadmeGateway();
      try {
        // What the lines printed so far: a `<keyId>` placeholder is the keyId printed last.
        const printed: Array<Record<string, any>> = [];
        for (const { line, text } of lines) {
          const command = text
            .replace(/\bDATA_DIR=\S+/g, `DATA_DIR=${gw.dataDir}`)
            .replace(/<([A-Za-z][\w-]*)>/g, (placeholder, name: string) => {
              const field = name.replace(/[-_]/g, '').toLowerCase();
              const from = [...printed].reverse().flatMap((o) => Object.entries(o)).find(([k]) => k.toLowerCase() === field);
              if (!from) throw new Error(`${where(line, text)}: nothing printed before gives ${placeholder}`);
              return String(from[1]);
            });
          const res = await runProcess('bash', ['-c', command], { env: { DATA_DIR: gw.dataDir, npm_config_update_notifier: 'false' } });
          expect([where(line, text), res.code, res.stderr]).toEqual([where(line, text), 0, expect.any(String)]);
          const output = jsonLines(res.stdout);
          printed.push(...output);
          // A key the README creates works on the running service, as the README says.
          for (const key of output.filter((o) => o.secret && o.scopes?.includes('users.read'))) {
            const deadline = Date.now() + 10_000;
            let status = 0;
            while (status !== 200 && Date.now() < deadline) {
              status = (await rawHttp(gw.url, 'GET', '/v1/users', undefined, { 'x-appwrite-project': key.project, 'x-appwrite-key': key.secret })).status;
              if (status !== 200) await new Promise((r) => setTimeout(r, 50));
            }
            expect([where(line, text), status]).toEqual([where(line, text), 200]);
          }
        }
      } finally {
        await gw.close();
      }
    });
  });
});
