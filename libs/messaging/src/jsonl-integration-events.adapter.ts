import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { CLOUD_EVENT_TYPE_PREFIX, type CloudEventMessage } from './cloud-events';
import { IntegrationEventsPort } from './integration-events.port';

export interface JsonlIntegrationEventsOptions {
  /** The JSON-lines file; created (with its folder) if missing. */
  file: string;
  /** Names the publisher's checkpoint; default `jsonl:<file name>` (stable when DATA_DIR moves). */
  destination?: string;
}

const TAIL_CHUNK = 64 * 1024;
const ERASED_TYPE = `${CLOUD_EVENT_TYPE_PREFIX}.user.erased.v`;

/** A user's key in the file: its project and id. */
const userKey = (projectid: unknown, subject: unknown) => JSON.stringify([projectid, subject]);

/** The users a batch erases (their `user.erased` events). */
function erasedUsers(events: CloudEventMessage[]): Set<string> {
  const erased = new Set<string>();
  for (const e of events) {
    if (!e.value.includes(ERASED_TYPE)) continue;
    const ce = JSON.parse(e.value) as { type?: string; projectid?: unknown; subject?: unknown };
    if (ce.type?.startsWith(ERASED_TYPE)) erased.add(userKey(ce.projectid, ce.subject));
  }
  return erased;
}

/**
 * The embedded sink: appends each message's CloudEvent JSON as one line to a file and fsyncs once
 * per batch before publish() resolves. A crash mid-write can leave a torn last line; it is cut off
 * when the file is next opened, and the publisher writes those events again from its checkpoint
 * (so, as with Kafka, delivery is at least once: readers drop repeated ids).
 *
 * The file is a downstream copy of users' personal data, so it does what the `user.erased`
 * contract asks of every consumer: once it holds a user's `user.erased` event, it is rewritten
 * without that user's earlier events (the erasure event itself stays).
 */
export class JsonlIntegrationEventsAdapter extends IntegrationEventsPort {
  readonly destination: string;
  readonly file: string;
  private handle: Promise<fs.FileHandle> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: JsonlIntegrationEventsOptions) {
    super();
    this.file = path.resolve(options.file);
    this.destination = options.destination ?? `jsonl:${path.basename(this.file)}`;
  }

  publish(events: CloudEventMessage[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('integration-event file is closed'));
    if (events.length === 0) return Promise.resolve();
    const run = this.queue.then(() => this.append(events));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    const handle = await this.handle?.catch(() => undefined);
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  private async append(events: CloudEventMessage[]): Promise<void> {
    const pending = (this.handle ??= this.open());
    try {
      const fh = await pending;
      const bytes = Buffer.from(events.map((e) => `${e.value}\n`).join(''), 'utf8');
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesWritten } = await fh.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
      }
      await fh.sync();
    } catch (err) {
      // The tail may be torn: reopen (and repair) before the next batch.
      if (this.handle === pending) this.handle = undefined;
      await pending.then((fh) => fh.close()).catch(() => undefined);
      throw err;
    }
    const erased = erasedUsers(events);
    if (erased.size > 0) await this.dropEarlierEventsOf(erased);
  }

  /**
   * Rewrites the file without the events of `erased` users but their erasure, into a new file
   * renamed over the old one (a crash leaves either whole; the publisher then sends the erasure
   * again, which rewrites again). The next batch reopens the file.
   */
  private async dropEarlierEventsOf(erased: Set<string>): Promise<void> {
    await (await this.handle)?.close();
    this.handle = undefined;
    const rewritten = `${this.file}.erasing`;
    const out = await fs.open(rewritten, 'w', 0o600);
    try {
      const lines = createInterface({ input: createReadStream(this.file, 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        if (line === '') continue;
        const ce = JSON.parse(line) as { type?: string; projectid?: unknown; subject?: unknown; source?: string };
        const ofErasedUser = ce.source?.endsWith('/users') && erased.has(userKey(ce.projectid, ce.subject)) && !ce.type?.startsWith(ERASED_TYPE);
        if (!ofErasedUser) await out.write(`${line}\n`);
      }
      await out.sync();
    } finally {
      await out.close();
    }
    await fs.rename(rewritten, this.file);
    await syncDirectory(path.dirname(this.file));
  }

  private async open(): Promise<fs.FileHandle> {
    const dir = path.dirname(this.file);
    await fs.mkdir(dir, { recursive: true });
    const existed = await this.repairTail();
    const fh = await fs.open(this.file, 'a');
    if (!existed) await syncDirectory(dir);
    return fh;
  }

  /** Cuts a torn last line (no trailing newline) off the file. Returns whether the file existed. */
  private async repairTail(): Promise<boolean> {
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(this.file, 'r+');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    try {
      const { size } = await fh.stat();
      let end = size;
      let keep = 0;
      while (end > 0) {
        const start = Math.max(0, end - TAIL_CHUNK);
        const chunk = Buffer.alloc(end - start);
        await fh.read(chunk, 0, chunk.length, start);
        const newline = chunk.lastIndexOf(0x0a);
        if (newline >= 0) {
          keep = start + newline + 1;
          break;
        }
        end = start;
      }
      if (keep !== size) {
        await fh.truncate(keep);
        await fh.sync();
      }
      return true;
    } finally {
      await fh.close();
    }
  }
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const fh = await fs.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Not every platform can fsync a directory; the file's own fsync still holds the data.
  }
}
