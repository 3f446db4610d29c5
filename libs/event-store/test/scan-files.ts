import { spawnSync } from 'node:child_process';

/*
 * Runs in a process of its own, as anyone reading the disk would: a SQLite file opened and
 * closed by the process that has it open drops that process's locks on it (POSIX advisory locks
 * go with the close of any descriptor of the file), which lets concurrent writers corrupt it.
 */
const SCAN = `
const { existsSync, readFileSync } = require('node:fs');
const [files, needles] = JSON.parse(process.argv[1]);
const hits = files.filter((file) => existsSync(file)).flatMap((file) => {
  const text = readFileSync(file).toString('latin1').toLowerCase();
  return needles.filter((n) => text.includes(n.toLowerCase())).map((n) => file + ': ' + n);
});
process.stdout.write(JSON.stringify(hits));
`;

/**
 * Which of `needles` (ASCII) occur in which of `files`, byte for byte and ignoring case, as
 * `<file>: <needle>`; read by another process, so it is safe on databases this one has open.
 */
export function scanFiles(files: readonly string[], needles: readonly string[]): string[] {
  const run = spawnSync(process.execPath, ['-e', SCAN, JSON.stringify([files, needles])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`file scan failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}
