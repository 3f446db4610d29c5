import 'reflect-metadata';
import { loadConfig, runProcess } from '@lib/platform';
import { startGateway } from './gateway.app';

// Closes in order (HTTP, projections, hashing pool, stores) and exits 0, so a stop is not a crash.
runProcess(async () => {
  const { app } = await startGateway(loadConfig());
  return { stop: () => app.close() };
});
