import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT, runProcess } from '../support/run-process';

/**
 * `npm start` compiles only when something changed (libs/build/build.js --if-changed as prestart;
 * also npm ci's prepare). Checked on a tiny project with the real script, the real npm and the
 * real tsc behind a recording wrapper: the wrapper's log says whether tsc ran. No timings.
 */
describe('npm start builds only when the sources changed (libs/build/build.js)', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const realTsc = join(dirname(require.resolve('typescript/package.json', { paths: [ROOT] })), 'bin', 'tsc');
  let dir: string;
  const calls = () => (existsSync(join(dir, 'tsc-calls.log')) ? readFileSync(join(dir, 'tsc-calls.log'), 'utf8').trim().split('\n').length : 0);
  const file = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const check = () => runProcess(process.execPath, ['libs/build/build.js', '--if-changed'], { cwd: dir });
  const npmStart = () => runProcess('npm', ['start', '--silent'], { cwd: dir, timeoutMs: 60_000, env: { npm_config_update_notifier: 'false' } });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'users-build-'));
    mkdirSync(join(dir, 'libs/build'), { recursive: true });
    copyFileSync(join(ROOT, 'libs/build/build.js'), join(dir, 'libs/build/build.js'));
    file('package.json', JSON.stringify({ name: 'tiny', private: true, scripts: { build: pkg.scripts.build, prestart: pkg.scripts.prestart, start: 'node dist/src/main.js' } }));
    file('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'ES2022', strict: true, types: [], outDir: './dist', rootDir: '.', incremental: true } }));
    // Comments, as tsconfig files may have.
    file('tsconfig.build.json', '// the build\n{ "extends": "./tsconfig.json", "compilerOptions": { "tsBuildInfoFile": "./dist/.tsbuildinfo" }, "include": ["src/**/*.ts"], "exclude": ["**/*.spec.ts"] }\n');
    file('src/main.ts', "import { greeting } from './greeting';\nconsole.log(greeting);\n");
    file('src/greeting.ts', "export const greeting: string = 'hello';\n");
    file('src/greeting.spec.ts', '// a test, not part of the build\n');
    // A typescript package whose tsc logs each run, then is the real tsc (and its API the real one).
    file('node_modules/typescript/package.json', JSON.stringify({ name: 'typescript', version: '0.0.0-recording', main: 'index.js' }));
    file('node_modules/typescript/index.js', `module.exports = require(${JSON.stringify(dirname(realTsc) + '/..')});\n`);
    file('node_modules/typescript/bin/tsc', `require('fs').appendFileSync(${JSON.stringify(join(dir, 'tsc-calls.log'))}, JSON.stringify(process.argv.slice(2)) + '\\n');\nrequire(${JSON.stringify(realTsc)});\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('package.json: npm start and npm ci (prepare) run the check, npm run build always compiles', () => {
    expect(pkg.scripts.prestart).toBe('node libs/build/build.js --if-changed');
    expect(pkg.scripts.prepare).toBe('node libs/build/build.js --if-changed');
    expect(pkg.scripts.build).toBe('node libs/build/build.js');
    expect(pkg.scripts.start).toMatch(/^node dist\//);
    // CI: npm ci, then npm test, which builds on its own.
    expect(pkg.scripts.pretest).toMatch(/^npm run build\b/);
  });

  it('npm start: the first start compiles, the second reports up to date and does not run tsc', async () => {
    const first = await npmStart();
    expect([first.code, first.stdout]).toEqual([0, expect.stringContaining('hello')]);
    expect(first.stdout).toContain('build: no previous build, compiling');
    expect(calls()).toBe(1);

    const second = await npmStart();
    expect([second.code, second.stdout]).toEqual([0, expect.stringContaining('hello')]);
    expect(second.stdout).toMatch(/build: up to date .*tsc not run/);
    expect(calls()).toBe(1);
  });

  it('compiles again after a source changes, not after a touch or a change to an excluded file', async () => {
    expect((await check()).code).toBe(0);
    expect(calls()).toBe(1);

    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'src/greeting.ts'), later, later);
    appendFileSync(join(dir, 'src/greeting.spec.ts'), '// more\n');
    expect((await check()).stdout).toMatch(/up to date/);
    expect(calls()).toBe(1);

    file('src/greeting.ts', "export const greeting: string = 'changed';\n");
    expect((await check()).stdout).toContain('sources changed, compiling');
    expect(calls()).toBe(2);
    expect((await runProcess(process.execPath, ['dist/src/main.js'], { cwd: dir })).stdout).toBe('changed\n');
    expect((await check()).stdout).toMatch(/up to date/);

    file('tsconfig.json', readFileSync(join(dir, 'tsconfig.json'), 'utf8').replace('ES2022', 'ES2021'));
    expect((await check()).stdout).toContain('sources changed');
    expect(calls()).toBe(3);
  });

  it('an entry point deleted by hand is compiled again (an incremental tsc alone would not re-emit it)', async () => {
    await check();
    rmSync(join(dir, 'dist/src/main.js'));
    expect((await check()).stdout).toContain('dist/src/main.js is missing, compiling everything');
    expect(existsSync(join(dir, 'dist/src/main.js'))).toBe(true);
    expect((await check()).stdout).toMatch(/up to date/);
    expect(calls()).toBe(2);
  });

  it('a failed compile leaves no stamp: the next start tries again', async () => {
    file('src/greeting.ts', 'export const greeting: number = "not a number";\n');
    expect((await check()).code).not.toBe(0);
    const again = await check();
    expect(again.code).not.toBe(0);
    expect(again.stdout).not.toMatch(/up to date/);
    expect(calls()).toBe(2);
  });

  it('npm run build always runs tsc', async () => {
    await check();
    const res = await runProcess(process.execPath, ['libs/build/build.js'], { cwd: dir });
    expect(res.code).toBe(0);
    expect(calls()).toBe(2);
    expect((await check()).stdout).toMatch(/up to date/);
  });

  it('before the sources are there (the Docker build runs npm ci first) there is nothing to build', async () => {
    rmSync(join(dir, 'tsconfig.build.json'));
    expect(await check()).toMatchObject({ code: 0, stdout: 'build: no tsconfig.build.json here yet, nothing to build\n' });
    expect(calls()).toBe(0);
  });
});
