import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHasher } from '@lib/passwords';
import { createLogger, loadHasherConfig, runProcess, serveMetrics, ServiceMetrics } from '@lib/platform';

// The container healthcheck looks for this file: written once the job consumer has joined its group.
const readyFile = join(tmpdir(), 'hasher-ready');

runProcess(async () => {
  const config = loadHasherConfig(process.env);
  const logger = createLogger(config.logLevel, 'users-hasher');
  const metrics = ServiceMetrics.create(config.metrics);
  // Its only HTTP (METRICS_PORT, else PORT), listening first: a taken port stops the start before it joins the group.
  const listener = metrics && (await serveMetrics(metrics, config.metrics));
  const hasher = await startHasher(config, logger, {
    onFatal: () => {
      logger.fatal({}, 'job consumer stopped for good; exiting');
      process.exit(1);
    },
    onWaited: metrics?.hashingWaits('local'),
  });
  metrics?.watchHashingQueue('local', () => hasher.hashing.queueDepth);
  writeFileSync(readyFile, String(process.pid));
  return {
    stop: async () => {
      logger.info({}, 'shutting down');
      rmSync(readyFile, { force: true });
      await listener?.close();
      await hasher.stop();
    },
  };
});
