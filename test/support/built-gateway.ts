import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './run-process';

/** A built gateway that became ready (its URL, a SIGTERM stop), or one that exited first (its code and output). */
export type BuiltGateway = { ready: true; url: string; stop: () => Promise<void> } | { ready: false; code: number | null; output: string };

/**
 * `dist/apps/gateway/src/main.js` as a process of its own, on loopback `port`, with exactly `env`
 * (plus PORT and HOST), until `/readyz` answers 200 or the process exits: for start-up guards a
 * test expects to refuse as well as to pass.
 */
export function runBuiltGateway(port: number, env: Record<string, string | undefined>): Promise<BuiltGateway> {
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, [join(ROOT, 'dist/apps/gateway/src/main.js')], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  return new Promise((done) => {
    proc.on('exit', (code) => done({ ready: false, code, output }));
    const poll = async () => {
      if (proc.exitCode !== null) return;
      try {
        if ((await fetch(`${url}/readyz`)).status === 200) {
          done({ ready: true, url, stop: () => new Promise((stopped) => (proc.once('exit', () => stopped()), proc.kill('SIGTERM'))) });
          return;
        }
      } catch {
        /* not listening yet */
      }
      setTimeout(poll, 100);
    };
    void poll();
  });
}
