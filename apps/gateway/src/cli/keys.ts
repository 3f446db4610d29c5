/**
 * API key administration against the event store in DATA_DIR (a running gateway picks the
 * change up from the log within a moment):
 *   npm run keys -- create --project <id> --name <name> --scopes users.read,users.write [--expire <ISO date>]
 *   npm run keys -- list   --project <id>
 *   npm run keys -- revoke --project <id> --key <keyId>
 * `create` makes the project if needed and prints the secret once; only its hash is stored.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import { SqliteEventStore } from '@lib/event-store';
import { loadConfig } from '@lib/platform';
import { KNOWN_SCOPES, ProjectAdmin, projectStreamId } from '@lib/projects';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { project: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' }, expire: { type: 'string' }, key: { type: 'string' } },
  });
  if (!values.project || !['create', 'list', 'revoke'].includes(command ?? '')) {
    process.stderr.write('usage: keys create|list|revoke --project <id> [--name n] [--scopes a,b] [--expire date] [--key id]\n');
    return 2;
  }
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const events = new SqliteEventStore(join(config.dataDir, 'events.sqlite'));
  const admin = new ProjectAdmin(events);
  try {
    if (command === 'create') {
      const scopes = (values.scopes ?? KNOWN_SCOPES.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
      if (values.expire && Number.isNaN(Date.parse(values.expire))) throw new Error(`--expire is not a date: ${values.expire}`);
      await admin.ensureProject(values.project);
      const key = await admin.createKey(values.project, {
        name: values.name ?? 'cli',
        scopes,
        expire: values.expire ? new Date(values.expire).toISOString().replace('Z', '+00:00') : null,
      });
      process.stdout.write(JSON.stringify({ project: values.project, keyId: key.keyId, scopes, secret: key.secret }) + '\n');
    } else if (command === 'revoke') {
      if (!values.key) throw new Error('--key is required');
      await admin.revokeKey(values.project, values.key);
      process.stdout.write(`revoked ${values.key}\n`);
    } else {
      const keys = new Map<string, Record<string, unknown>>();
      for (const e of await events.readStream(projectStreamId(values.project))) {
        if (e.type === 'ApiKeyCreated') {
          const { secretHash: _hidden, ...data } = e.data as Record<string, unknown>;
          keys.set(String(data.keyId), { ...data, createdAt: e.metadata.occurredAt, revoked: false });
        }
        if (e.type === 'ApiKeyRevoked') keys.get(String(e.data.keyId))!.revoked = true;
      }
      for (const k of keys.values()) process.stdout.write(JSON.stringify(k) + '\n');
    }
    return 0;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  } finally {
    await events.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
