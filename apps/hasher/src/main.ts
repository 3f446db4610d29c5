import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHasherConfig } from './config';
import { startHasher } from './hasher.app';
import { createLogger } from '../../../libs/platform/src/logger';

/** Longest a SIGTERM/SIGINT shutdown may take before the process gives up and exits 1. */
const SHUTDOWN_LIMIT_MS = 30_000;

async function main(): Promise<void> {
  const config = loadHasherConfig(process.env);
  const logger = createLogger(config.logLevel, 'users-hasher');
  const hasher = await startHasher(config, logger, {
    onFatal: () => {
      logger.fatal({}, 'job consumer stopped for good; exiting');
      process.exit(1);
    },
  });
  // The container healthcheck looks for this file: written once the job consumer has joined its group.
  const readyFile = join(tmpdir(), 'hasher-ready');
  writeFileSync(readyFile, String(process.pid));
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      logger.info({ signal }, 'shutting down');
      rmSync(readyFile, { force: true });
      setTimeout(() => {
        logger.error({ limitMs: SHUTDOWN_LIMIT_MS }, 'shutdown took too long; exiting');
        process.exit(1);
      }, SHUTDOWN_LIMIT_MS).unref();
      hasher.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((err: unknown) => {
  // Config errors name the variable and never echo a secret; Kafka errors carry no payloads.
  // eslint-disable-next-line no-console
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
  process.exit(1);
});
