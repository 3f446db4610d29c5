import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

/** What the writing connection still checkpoints on its own if the background one falls behind (pages of 4 KiB). */
const FALLBACK_AUTOCHECKPOINT_PAGES = 16_384;
const INTERVAL_MS = 100;
/** How long a file's drop may wait behind a checkpoint under way before the worker is ended instead. */
const DROP_TIMEOUT_MS = 30_000;

/*
 * Runs in the worker: its own connection to each file it is given, a PASSIVE checkpoint of each
 * every interval (never waits for readers or writers); a file it is told to drop gets a last
 * checkpoint and is closed before the worker answers.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const files = new Map();
const checkpoint = (db) => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next round or the fallback does it */ } };
setInterval(() => { for (const db of files.values()) checkpoint(db); }, workerData.intervalMs);
parentPort.on('message', ({ op, id, file }) => {
  if (op === 'add') {
    try { const db = new Database(file); db.pragma('busy_timeout = 1000'); files.set(id, db); } catch { /* the writer's fallback checkpoints it */ }
    return;
  }
  const db = files.get(id);
  files.delete(id);
  if (db) { checkpoint(db); db.close(); }
  parentPort.postMessage(id);
});
`;

export interface WalCheckpointer {
  close(): Promise<void>;
}

/** The one worker thread that checkpoints every file of this process, while it has files. */
interface SharedCheckpointer {
  worker: Worker;
  files: number;
  /** Files being dropped, by id: resolved when the worker has closed its connection. */
  dropping: Map<number, () => void>;
  gone: Promise<void>;
  exited: boolean;
}

let shared: SharedCheckpointer | null = null;
let nextId = 0;

function sharedCheckpointer(): SharedCheckpointer {
  if (shared !== null && !shared.exited) return shared;
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), intervalMs: INTERVAL_MS } });
  worker.unref();
  worker.on('error', () => undefined);
  const started: SharedCheckpointer = { worker, files: 0, dropping: new Map(), exited: false, gone: Promise.resolve() };
  worker.on('message', (id: number) => started.dropping.get(id)?.());
  started.gone = new Promise<void>((resolve) => worker.once('exit', () => ((started.exited = true), resolve())));
  return (shared = started);
}

/** Worker threads checkpointing now (0 or 1): each costs an isolate, some 9 MB. */
export function walCheckpointerThreads(): number {
  return shared !== null && !shared.exited ? 1 : 0;
}

/**
 * Moves WAL checkpoints of a SQLite file off the event loop. In WAL mode the connection that
 * commits past `wal_autocheckpoint` copies the log back into the database inside its commit:
 * with the read models' indexes that is a fifth of a write's time, on the thread answering
 * requests. A worker thread checkpoints instead (PASSIVE: it never blocks a reader or the
 * writer), one for every file of the process; the writer keeps a far higher threshold of its own,
 * so the WAL stays bounded even if the worker falls behind or dies. Durability is unchanged:
 * commits are in the WAL either way.
 */
export function startWalCheckpointer(db: Database.Database, file: string): WalCheckpointer {
  db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  // A WAL grown by a burst is cut back once checkpointed, instead of keeping its largest size.
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const checkpointer = sharedCheckpointer();
  const id = nextId++;
  checkpointer.files++;
  checkpointer.worker.postMessage({ op: 'add', id, file });
  let closed = false;
  return {
    async close() {
      if (closed) return;
      closed = true;
      const { worker } = checkpointer;
      if (!checkpointer.exited) {
        const dropped = new Promise<boolean>((resolve) => checkpointer.dropping.set(id, () => resolve(true)));
        worker.postMessage({ op: 'drop', id });
        // The caller may delete the file next: the worker's connection must be gone first. It answers
        // after the checkpoint under way (of any file); one that never answers is ended, as a whole.
        const answered = await Promise.race([dropped, checkpointer.gone.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), DROP_TIMEOUT_MS).unref())]);
        checkpointer.dropping.delete(id);
        if (!answered) {
          if (shared === checkpointer) shared = null;
          await worker.terminate();
          return;
        }
      }
      if (--checkpointer.files > 0) return;
      if (shared === checkpointer) shared = null;
      await worker.terminate();
    },
  };
}

/** How long a truncation keeps trying while other connections hold it up, before giving up. */
const TRUNCATE_DEADLINE_MS = 10_000;
/** How long one attempt may wait for readers: it blocks the thread, so the waiting is done between attempts. */
const TRUNCATE_ATTEMPT_BUSY_MS = 20;

export class WalTruncateError extends Error {
  /** The connections holding it up are busy for a moment, not for good: a retry may succeed. */
  readonly retryAfterSeconds = 1;
  constructor(file: string) {
    super(`${file}: other connections kept the WAL checkpoint (TRUNCATE) from finishing`);
    this.name = 'WalTruncateError';
  }
}

/**
 * Copies every page of the WAL back into the database and cuts the WAL to zero bytes, so that no
 * earlier version of a changed page survives in it (what deleting with `secure_delete` needs to be
 * complete). A checkpoint under way elsewhere (the background checkpointer's) makes SQLite refuse
 * at once, without the busy handler, and a reader can hold it up past the busy timeout: so it
 * tries again, yielding to the event loop in between, until `deadlineMs`; then it throws.
 */
export async function truncateWal(db: Database.Database, deadlineMs = TRUNCATE_DEADLINE_MS): Promise<void> {
  const giveUpAt = Date.now() + deadlineMs;
  for (let pauseMs = 2; ; pauseMs = Math.min(pauseMs * 2, 50)) {
    if (attemptTruncation(db)) return;
    if (Date.now() + pauseMs > giveUpAt) throw new WalTruncateError(db.name);
    await new Promise((resume) => setTimeout(resume, pauseMs));
  }
}

function attemptTruncation(db: Database.Database): boolean {
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${Math.min(busyTimeout, TRUNCATE_ATTEMPT_BUSY_MS)}`);
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    return result.busy === 0;
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}
