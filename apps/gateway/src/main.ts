import 'reflect-metadata';
import { loadConfig } from '../../../libs/platform/src/config';
import { startGateway } from './gateway.app';

async function main() {
  const { app } = await startGateway(loadConfig());
  // Close in order (HTTP, projections, hashing pool, stores) and exit 0, so a stop is not a crash.
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
});
