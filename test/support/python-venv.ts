import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
export const PYTHON_VENV_CACHE = join(ROOT, '.cache/python-venv');

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Asynchronous, never throws on a non-zero exit (a timeout or a missing program: status null). */
export function execPython(cmd: string, args: string[], timeoutMs: number): Promise<Ran> {
  return new Promise((done) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      done({ status, stdout, stderr: `${stderr}${err && status === null ? String(err) : ''}` });
    });
  });
}

async function run(cmd: string, args: string[]): Promise<string> {
  const r = await execPython(cmd, args, 600_000);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/**
 * A venv under .cache/python-venv/<name> with a requirements file installed from PyPI, made once
 * and reused while the file is unchanged (`.installed` holds its hash and `pip freeze`). Built in
 * a temporary folder and renamed into place, so a run that dies half-way leaves nothing that looks
 * ready. Throws, never skips, when it cannot be made (no python3, no PyPI): a test that needs it fails.
 */
export async function ensurePythonVenv(name: string, requirementsFile: string): Promise<{ python: string; packages: string }> {
  const dir = join(PYTHON_VENV_CACHE, name);
  const marker = join(dir, '.installed');
  const python = join(dir, 'bin', 'python');
  const wanted = createHash('sha256').update(readFileSync(requirementsFile)).digest('hex');
  if (existsSync(marker) && existsSync(python)) {
    const [hash, ...packages] = readFileSync(marker, 'utf8').split('\n');
    if (hash === wanted) return { python, packages: packages.join('\n').trim() };
  }
  mkdirSync(PYTHON_VENV_CACHE, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await run('python3', ['-m', 'venv', tmp]);
    await run(join(tmp, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--no-input', '--quiet', '-r', requirementsFile]);
    const packages = (await run(join(tmp, 'bin', 'pip'), ['freeze', '--disable-pip-version-check'])).trim();
    writeFileSync(join(tmp, '.installed'), `${wanted}\n${packages}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return { python, packages };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`Cannot set up the Python venv "${name}" in ${dir} from ${requirementsFile} (needs python3 and PyPI): ${(err as Error).message}`);
  }
}
