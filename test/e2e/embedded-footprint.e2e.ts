import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/test-stack';
import { runBuiltGateway } from '../support/built-gateway';

const PROJECT = 'footprint';
const KEY = 'footprint-key-' + 'k'.repeat(30);
const headers = { 'content-type': 'application/json', 'x-appwrite-project': PROJECT, 'x-appwrite-key': KEY };

/** The distributed stack's drivers: the embedded one (SQLite, local pool, no broker) has no use for them. */
const DISTRIBUTED_DRIVERS = /[\\/]node_modules[\\/](mongodb|bson|kafkajs|@eventstore[\\/]db-client|@grpc)[\\/]/;

describe('the embedded stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'users-footprint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves writes, reads, lists and metrics without loading the MongoDB, Kafka or EventStoreDB drivers', async () => {
    const preload = join(dir, 'list-modules.js');
    const modules = join(dir, 'modules.json');
    // Written as the gateway exits: every module it loaded, by file.
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(modules)}, JSON.stringify(Object.keys(require.cache))));\n`);
    const port = await freePort();
    const gateway = await runBuiltGateway(port, {
      ...process.env,
      NODE_OPTIONS: `--require ${preload}`,
      DATA_DIR: join(dir, 'data'),
      BOOTSTRAP_PROJECT_ID: PROJECT,
      BOOTSTRAP_API_KEY: KEY,
      LOG_LEVEL: 'warn',
    });
    if (!gateway.ready) throw new Error(gateway.output);
    try {
      const url = gateway.url;
      const created = await fetch(`${url}/v1/users`, { method: 'POST', headers, body: JSON.stringify({ userId: 'ada', email: 'ada@example.com', password: 'correct horse battery' }) });
      expect(created.status).toBe(201);
      expect((await fetch(`${url}/v1/users/ada`, { headers })).status).toBe(200);
      expect(((await (await fetch(`${url}/v1/users`, { headers })).json()) as { total: number }).total).toBe(1);
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
    } finally {
      await gateway.stop();
    }
    const loaded = JSON.parse(readFileSync(modules, 'utf8')) as string[];
    expect(loaded.some((file) => /better-sqlite3/.test(file))).toBe(true);
    expect(loaded.filter((file) => DISTRIBUTED_DRIVERS.test(file))).toEqual([]);
  });
});
