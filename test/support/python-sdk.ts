import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
export const PYTHON_SDK_CACHE = join(ROOT, '.cache/python-sdk');
const PYTHON_SCRIPTS = join(ROOT, 'test/python');

/**
 * The Python SDK generations we run: the one of Appwrite 1.3 and the newest we check against
 * (pinned, so a new release on PyPI cannot change what the suite asserts; raise it on purpose).
 */
export const PYTHON_SDKS = {
  '2.0.2': 'appwrite==2.0.2',
  latest: 'appwrite==27.0.0',
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
  const pinned = PYTHON_SDKS[name].split('==')[1];
  if (existsSync(marker) && existsSync(python)) {
    const installed = readFileSync(marker, 'utf8').trim();
    if (!pinned || installed === pinned) return { python, version: installed };
  }

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

/** One line of a check script (test/python/sdk_checks.py): a named check and how it went. */
export interface PythonCheck {
  check: string;
  method: string;
  ok: boolean;
  error: string;
}

export interface PythonCheckRun {
  status: number | null;
  checks: PythonCheck[];
  failed: { check: string; error: string }[];
  summary: { methods_passing: string[]; methods_failing: string[]; [key: string]: unknown } | null;
  notes: string[];
  /** `X-Appwrite-Warning` headers the SDK printed (`Warning: ...` lines). */
  warnings: string[];
  /** Everything the script wrote that is not one of its JSON lines (tracebacks, warnings). */
  other: string;
}

/**
 * Runs a check script of test/python (`<script> ENDPOINT PROJECT KEY PREFIX`) with that
 * interpreter and parses its JSON lines: one per check, notes, and the summary.
 */
export async function runPythonChecks(python: string, script: string, args: { endpoint: string; project: string; key: string; prefix: string }): Promise<PythonCheckRun> {
  const ran = await exec(python, [join(PYTHON_SCRIPTS, script), args.endpoint, args.project, args.key, args.prefix], 300_000);
  const checks: PythonCheck[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  let summary: PythonCheckRun['summary'] = null;
  const other: string[] = [];
  for (const line of ran.output.split('\n')) {
    let parsed: any;
    try {
      parsed = line.startsWith('{') ? JSON.parse(line) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed.check === 'string') checks.push(parsed);
    else if (parsed && parsed.summary) summary = parsed.summary;
    else if (parsed && typeof parsed.note === 'string') notes.push(parsed.note);
    else if (line.startsWith('Warning: ')) warnings.push(line.slice('Warning: '.length));
    else if (line.trim()) other.push(line);
  }
  const failed = checks.filter((c) => !c.ok).map(({ check, error }) => ({ check, error }));
  return { status: ran.status, checks, failed, summary, notes, warnings: [...new Set(warnings)], other: other.join('\n') };
}
