/**
 * The thread of a SqliteShadowThread: it opens the shadow (a SqliteReadModels of one storage,
 * loaded from the module the storage names) and runs the calls its owner posts, one after the
 * other, in the order they were posted. Loaded as compiled JavaScript (see compiled-module.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteReadModels } from './sqlite-read-models';
import type { ShadowCall, ShadowReply, ShadowThreadData } from './sqlite-shadow-thread';
import type { SqliteStorage } from './sqlite-storage';

const data = workerData as ShadowThreadData;
const port = parentPort!;

const errorOf = (error: unknown) => (error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'Error', message: String(error) });

let store: SqliteReadModels;
try {
  const storage = (require(data.module) as Record<string, SqliteStorage | undefined>)[data.exportName];
  if (!storage) throw new Error(`${data.module} exports no ${data.exportName}`);
  // What the owner checks against its own storage: a stale build would write another schema.
  const loaded = { version: storage.version, ddl: storage.ddl };
  store = new SqliteReadModels(data.file, { [data.projection]: storage }, { busyTimeoutMs: data.busyTimeoutMs }, true);
  if (data.log !== null) void store.bindLog(data.log);
  port.postMessage({ id: 0, result: loaded } satisfies ShadowReply);
} catch (error) {
  port.postMessage({ id: 0, error: errorOf(error) } satisfies ShadowReply);
  port.close();
}

const run = (call: ShadowCall): Promise<unknown> => {
  switch (call.op) {
    case 'applyBatch':
      return store.applyBatch(data.projection, call.events);
    case 'apply':
      return store.apply(data.projection, call.ref, call.changes);
    case 'getCheckpoint':
      return store.getCheckpoint(data.projection);
    case 'finishLoad':
      return store.finishLoad();
    case 'close':
      return store.close();
  }
};

let queue: Promise<unknown> = Promise.resolve();
port.on('message', (call: ShadowCall) => {
  queue = queue.then(async () => {
    try {
      port.postMessage({ id: call.id, result: await run(call) } satisfies ShadowReply);
    } catch (error) {
      port.postMessage({ id: call.id, error: errorOf(error) } satisfies ShadowReply);
    }
    if (call.op === 'close') port.close();
  });
});
