import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
export const PYTHON_SDK_CACHE = join(ROOT, '.cache/python-sdk');
export const PYTHON_SMOKE_SCRIPT = join(ROOT, 'test/python/users_sdk_smoke.py');

/** The Python SDK generations we run: the one of Appwrite 1.3 and the newest on PyPI. */
export const PYTHON_SDKS = {
  '2.0.2': 'appwrite==2.0.2',
  latest: 'appwrite',
} as const;
export type PythonSdk = keyof typeof PYTHON_SDKS;

interface Ran {
  status: number | null;
  output: string;
  stdout: string;
}

/** Asynchronous on purpose: the gateway under test runs in this process and must keep answering. */
function exec(cmd: string, args: string[], timeout: number): Promise<Ran> {
  return new Promise((done) => {
    execFile(cmd, args, { encoding: 'utf8', timeout, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      done({ status, stdout, output: `${stdout}${stderr}${err && status === null ? String(err) : ''}` });
    });
  });
}

async function run(cmd: string, args: string[]): Promise<string> {
  const r = await exec(cmd, args, 600_000);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.output}`);
  return r.stdout;
}

/**
 * A venv under .cache/python-sdk/<name> with that SDK installed from PyPI, made once and reused
 * (a `.installed` file names what it holds). Built in a temporary folder and renamed into place,
 * so a run that dies half-way leaves nothing that looks ready. Throws, never skips, when it
 * cannot be made (no python3, no PyPI): a missing SDK is a failed test.
 */
export async function ensurePythonSdk(name: PythonSdk): Promise<{ python: string; version: string }> {
  const dir = join(PYTHON_SDK_CACHE, name);
  const marker = join(dir, '.installed');
  const python = join(dir, 'bin', 'python');
  if (existsSync(marker) && existsSync(python)) return { python, version: readFileSync(marker, 'utf8').trim() };

  mkdirSync(PYTHON_SDK_CACHE, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await run('python3', ['-m', 'venv', tmp]);
    const pip = join(tmp, 'bin', 'pip');
    await run(pip, ['install', '--disable-pip-version-check', '--no-input', '--quiet', PYTHON_SDKS[name]]);
    const version = (await run(join(tmp, 'bin', 'python'), ['-c', 'import importlib.metadata as m; print(m.version("appwrite"))'])).trim();
    writeFileSync(join(tmp, '.installed'), `${version}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return { python, version };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`Cannot set up the Python SDK "${PYTHON_SDKS[name]}" in ${dir} (needs python3 and PyPI): ${(err as Error).message}`);
  }
}

/** Runs the smoke script with that interpreter; resolves with its exit code and output. */
export function runPythonSmoke(python: string, endpoint: string, project: string, key: string, userId: string): Promise<Ran> {
  return exec(python, [PYTHON_SMOKE_SCRIPT, endpoint, project, key, userId], 120_000);
}
