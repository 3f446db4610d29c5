import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

/** What the writing connection still checkpoints on its own if the background one falls behind (pages of 4 KiB). */
const FALLBACK_AUTOCHECKPOINT_PAGES = 16_384;
const INTERVAL_MS = 100;

/*
 * Runs in the worker: its own connection to the file, a PASSIVE checkpoint every interval
 * (never waits for readers or writers), then tells the parent it is done when asked to stop.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next round or the fallback does it */ } };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.postMessage('closed'); });
`;

export interface WalCheckpointer {
  close(): Promise<void>;
}

/**
 * Moves WAL checkpoints of a SQLite file off the event loop. In WAL mode the connection that
 * commits past `wal_autocheckpoint` copies the log back into the database inside its commit:
 * with the read models' indexes that is a fifth of a write's time, on the thread answering
 * requests. A worker thread checkpoints instead (PASSIVE: it never blocks a reader or the
 * writer); the writer keeps a far higher threshold of its own, so the WAL stays bounded even
 * if the worker falls behind or dies. Durability is unchanged: commits are in the WAL either way.
 */
export function startWalCheckpointer(db: Database.Database, file: string): WalCheckpointer {
  db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  // A WAL grown by a burst is cut back once checkpointed, instead of keeping its largest size.
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), file, intervalMs: INTERVAL_MS } });
  worker.unref();
  let exited = false;
  const gone = new Promise<void>((resolve) => worker.once('exit', () => ((exited = true), resolve())));
  worker.on('error', () => undefined);
  return {
    async close() {
      if (exited) return;
      const closed = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage('close');
      await Promise.race([closed, gone, new Promise((r) => setTimeout(r, 2000).unref())]);
      await worker.terminate();
    },
  };
}

export class WalTruncateError extends Error {
  constructor(file: string) {
    super(`${file}: other connections kept the WAL checkpoint (TRUNCATE) from finishing`);
    this.name = 'WalTruncateError';
  }
}

/**
 * Copies every page of the WAL back into the database and cuts the WAL to zero bytes, so that no
 * earlier version of a changed page survives in it (what deleting with `secure_delete` needs to be
 * complete). Waits for other connections up to the busy timeout; throws when they still held it up.
 */
export function truncateWal(db: Database.Database): void {
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
  if (result.busy !== 0) throw new WalTruncateError(db.name);
}
