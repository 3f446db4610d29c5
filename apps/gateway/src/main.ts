import 'reflect-metadata';
import { loadConfig } from './config';
import { startGateway } from './gateway.app';

startGateway(loadConfig()).catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
});
