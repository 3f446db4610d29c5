import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
/** The compiled keys CLI, as `npm run keys` runs it (build first). */
export const KEYS_CLI = resolve(ROOT, 'dist/apps/gateway/src/cli/keys.js');

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end with exactly `env` (plus PATH and HOME), never throwing on a non-zero exit. */
export function runProcess(command: string, args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<ProcessResult> {
  return new Promise((ok, fail) => {
    const proc = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 30_000,
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('error', fail);
    proc.on('close', (code) => ok({ code, stdout, stderr }));
  });
}

/** `npm run keys -- <args>` without npm: the compiled CLI on a given DATA_DIR (or other store settings). */
export function runKeys(args: string[], env: Record<string, string>): Promise<ProcessResult> {
  return runProcess(process.execPath, [KEYS_CLI, ...args], { env });
}

/** The JSON lines of a command's output (npm's own banner lines are skipped). */
export function jsonLines(stdout: string): Array<Record<string, any>> {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}
