import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A server the bench started, logging to its own file. */
export interface Child {
  name: string;
  process: ChildProcess;
  logFile: string;
  /** Settles when the process is gone, with its exit code or the signal that ended it. */
  exited: Promise<string>;
}

const running = new Set<Child>();

export function startChild(name: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Child {
  const fd = openSync(options.logFile, 'a');
  // Its own process group: kc.sh runs java as a child and only forwards TERM once it knows the
  // pid, so the whole group is signalled; and Ctrl-C in the terminal reaches only us, which
  // then stops the servers in order instead of racing them.
  const proc = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const child: Child = {
    name,
    process: proc,
    logFile: options.logFile,
    exited: new Promise((resolve) => {
      proc.once('error', (err) => resolve(`failed to start: ${err.message}`));
      proc.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit ${code}`));
    }),
  };
  running.add(child);
  void child.exited.then(() => running.delete(child));
  return child;
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  if (child.process.pid === undefined) return;
  try {
    process.kill(-child.process.pid, signal);
  } catch {
    /* already gone */
  }
}

/** TERM to every server still running, KILL to those still there after `graceMs`. */
export async function stopAll(graceMs = 15_000): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      signalGroup(child, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([child.exited, late]);
      clearTimeout(timer);
      signalGroup(child, 'SIGKILL');
    }),
  );
}

/**
 * Servers are stopped (then `cleanUp` runs) on Ctrl-C and TERM as well as on the normal path,
 * where the caller stops them itself; and should this process
 * end without having stopped them (process.exit elsewhere), the exit hook kills what is left,
 * since a stray JVM keeps a port and half a gigabyte.
 */
let signalled = false;

/** Whether Ctrl-C or TERM came: the run's failures from then on are the servers going away. */
export const interrupted = () => signalled;

export function stopOnExit(log: (line: string) => void, cleanUp: () => void): void {
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    signalled = true;
    log(`${signal}: stopping Keycloak and the gateway`);
    void stopAll(5_000)
      .then(cleanUp)
      .finally(() => process.exit(code));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.once('exit', () => {
    for (const child of running) signalGroup(child, 'SIGKILL');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it is true; fails early, with the log's tail, if the server exits first. */
export async function waitUntil(child: Child, what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  let gone: string | null = null;
  void child.exited.then((how) => (gone = how));
  while (Date.now() - start < timeoutMs) {
    if (gone) throw new Error(`${child.name} stopped (${gone}) before ${what}:\n${tail(child.logFile)}`);
    try {
      if (await probe()) return Date.now() - start;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.name}: no ${what} within ${timeoutMs / 1000} s:\n${tail(child.logFile)}`);
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
