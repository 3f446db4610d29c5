import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from '../../apps/gateway/src/gateway.app';
import { openEventStoreDb } from '@lib/event-store';
import { FakeEventStoreDbClient } from '@lib/event-store/testing';
import { createLogger, loadConfig, PlatformOverrides } from '@lib/platform';
import { rawHttp } from './raw-http';

import { TEST_DATA_ENCRYPTION_KEY, TEST_KEY, TEST_PROJECT } from './test-constants';

export { TEST_KEY, TEST_PROJECT };

export interface TestGateway {
  url: string;
  endpoint: string;
  dataDir: string;
  app: Awaited<ReturnType<typeof startGateway>>['app'];
  /** Raw HTTP with the test project's key unless headers override it. */
  http(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  close(): Promise<void>;
}

/**
 * The event log of the in-process gateway: its SQLite file, or (E2E_STACK=eventstoredb-double)
 * the real EventStoreDB adapter over the in-process double of the client and server, one double
 * per gateway, producing the positions, revisions and errors a real server gives.
 */
export const testEventStore = (): 'sqlite' | 'eventstoredb-double' => (process.env.E2E_STACK === 'eventstoredb-double' ? 'eventstoredb-double' : 'sqlite');

/** The real gateway (same code as `npm start`) in this process, on a free loopback port, on a temp DATA_DIR. */
export async function startTestGateway(options: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<TestGateway> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'users-e2e-'));
  const loaded = loadConfig(options.env ?? {});
  const config = {
    ...loaded,
    dataEncryptionKey: loaded.dataEncryptionKey ?? Buffer.from(TEST_DATA_ENCRYPTION_KEY, 'base64'),
    // In the gateway's own DATA_DIR (loadConfig put it under the working directory's ./data).
    eventsFile: options.env?.EVENTS_FILE ? loaded.eventsFile : join(dataDir, 'integration-events.jsonl'),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    bootstrapProjectId: TEST_PROJECT,
    bootstrapApiKey: TEST_KEY,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
  };
  const overrides: PlatformOverrides = testEventStore() === 'eventstoredb-double' ? { eventStore: () => openEventStoreDb(new FakeEventStoreDbClient({ systemNoise: true }) as never) } : {};
  const { app, url } = await startGateway(config, createLogger(config.logLevel), overrides);
  return {
    url,
    endpoint: `${url}/v1`,
    dataDir,
    app,
    http: (method, path, body, headers) => rawHttp(url, method, path, body, headers),
    async close() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
