/**
 * API key administration against the configured event store, the one the gateway reads
 * (EVENT_STORE: the SQLite file in DATA_DIR, or EventStoreDB). A running gateway picks the
 * change up from the log within a moment. `npm run keys -- --help` prints the usage below.
 */
import { parseArgs } from 'node:util';
import { parseQueryDate } from '@lib/appwrite';
import type { EventStore } from '@lib/event-store';
import { createEventStore, loadConfig, ServiceConfig } from '@lib/platform';
import { ApiKeyNotCreatedError, KNOWN_SCOPES, ProjectAdmin, projectStreamId } from '@lib/projects';

const USAGE = `usage: npm run keys -- <command> [options]

Manages the API keys of a project in the event store the gateway uses (EVENT_STORE, DATA_DIR,
EVENTSTORE_CONNECTION_STRING: the same settings as the gateway).

  create --project <id> [--name <name>] [--scopes <scope,...>] [--expire <date>] [--create-project]
      Creates a key and prints it as one JSON line {project, keyId, name, scopes, expire, secret}.
      The secret is shown only this once; only its hash is stored.
      --scopes          ${KNOWN_SCOPES.join(', ')} (default: all of them)
      --expire          a future ISO 8601 date, e.g. 2030-01-01 or 2030-01-01T12:00:00+02:00
                        (no offset: UTC); default: never
      --create-project  create the project if it does not exist (otherwise it is refused)
  list   --project <id>
      One JSON line per key (no secrets).
  revoke --project <id> --key <keyId>
  settings --project <id> [--login-rehash on|off]
      Prints the project's settings as one JSON line {project, loginRehash}, after changing
      the ones given. --login-rehash: whether a login re-stores a legacy password hash (bcrypt,
      md5, sha, phpass, scrypt, weaker argon2) with the default Argon2id (default: on).

Exit status: 0 done, 1 refused (unknown project, key or scope, bad --expire, store unreachable),
2 usage error.
`;

const OPTIONS = {
  project: { type: 'string' },
  name: { type: 'string' },
  scopes: { type: 'string' },
  expire: { type: 'string' },
  key: { type: 'string' },
  'login-rehash': { type: 'string' },
  'create-project': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** The options each command takes; --project is required by every one. */
const COMMANDS: Record<string, { allowed: Array<keyof typeof OPTIONS>; required: Array<keyof typeof OPTIONS> }> = {
  create: { allowed: ['project', 'name', 'scopes', 'expire', 'create-project'], required: ['project'] },
  list: { allowed: ['project'], required: ['project'] },
  revoke: { allowed: ['project', 'key'], required: ['project', 'key'] },
  settings: { allowed: ['project', 'login-rehash'], required: ['project'] },
};

/** Wrong command line: usage and exit 2. */
class UsageError extends Error {}
/** A valid command line the CLI will not carry out: exit 1. */
class Refused extends Error {}

function parseCommandLine(argv: string[]): { command: 'help' } | { command: string; values: Values } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return { command: 'help' };
  const [command, ...extra] = positionals;
  if (!command) throw new UsageError('no command given');
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`unknown command: ${command}`);
  if (extra.length) throw new UsageError(`unexpected argument: ${extra[0]}`);
  for (const name of Object.keys(values) as Array<keyof typeof OPTIONS>) {
    if (!spec.allowed.includes(name)) throw new UsageError(`${command} does not take --${name}`);
  }
  for (const name of spec.required) if (!values[name]) throw new UsageError(`${command} needs --${name}`);
  return { command, values };
}

function parseScopes(given: string | undefined): string[] {
  if (given === undefined) return [...KNOWN_SCOPES];
  const scopes = [...new Set(given.split(',').map((s) => s.trim()).filter(Boolean))];
  if (!scopes.length) throw new Refused(`--scopes is empty; known scopes: ${KNOWN_SCOPES.join(', ')}`);
  const unknown = scopes.filter((s) => !(KNOWN_SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new Refused(`unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}; known scopes: ${KNOWN_SCOPES.join(', ')}`);
  return scopes;
}

/** The wire-format expiry, or null for a key that never expires. */
function parseExpire(given: string | undefined, now = Date.now()): string | null {
  if (given === undefined) return null;
  const expire = parseQueryDate(given.trim());
  if (!expire) throw new Refused(`--expire is not an ISO 8601 date: "${given}" (e.g. 2030-01-01 or 2030-01-01T12:00:00Z)`);
  if (Date.parse(expire) <= now) throw new Refused(`--expire is in the past: ${expire}; a key must expire in the future`);
  return expire;
}

function describeStore(config: ServiceConfig): string {
  return config.eventStore === 'eventstoredb' ? 'the EventStoreDB event store (EVENT_STORE=eventstoredb)' : `the SQLite event store in ${config.dataDir}`;
}

async function execute(command: string, values: Values, config: ServiceConfig, events: EventStore): Promise<void> {
  const admin = new ProjectAdmin(events);
  const project = values.project!;
  const out = (line: unknown) => process.stdout.write((typeof line === 'string' ? line : JSON.stringify(line)) + '\n');

  if (command === 'create') {
    // Everything the command line says is checked before anything is written.
    const scopes = parseScopes(values.scopes);
    const expire = parseExpire(values.expire);
    const name = values.name ?? 'cli';
    if (values['create-project']) {
      if (await admin.ensureProject(project)) process.stderr.write(`created project ${project}\n`);
    } else if (!(await admin.projectExists(project))) {
      throw new Refused(`project "${project}" does not exist in ${describeStore(config)}; pass --create-project to create it`);
    }
    try {
      const key = await admin.createKey(project, { name, scopes, expire });
      out({ project, keyId: key.keyId, name, scopes, expire, secret: key.secret });
    } catch (err) {
      if (err instanceof ApiKeyNotCreatedError) throw new Refused(`no key created: ${err.message}`);
      throw err;
    }
    return;
  }

  if (!(await admin.projectExists(project))) throw new Refused(`project "${project}" does not exist in ${describeStore(config)}`);
  if (command === 'settings') {
    const rehash = values['login-rehash'];
    if (rehash !== undefined) {
      if (rehash !== 'on' && rehash !== 'off') throw new Refused(`--login-rehash is on or off, not "${rehash}"`);
      await admin.setLoginRehash(project, rehash === 'on');
    }
    out({ project, loginRehash: await admin.loginRehash(project) });
    return;
  }
  if (command === 'revoke') {
    const keyId = values.key!;
    const keys = await listKeys(events, project);
    if (!keys.has(keyId)) throw new Refused(`project "${project}" has no key ${keyId}`);
    out((await admin.revokeKey(project, keyId)) ? `revoked ${keyId}` : `${keyId} was already revoked`);
    return;
  }
  for (const key of (await listKeys(events, project)).values()) out(key);
}

/** The keys of a project as the log tells them, without their hashes. */
async function listKeys(events: EventStore, project: string): Promise<Map<string, Record<string, unknown>>> {
  const keys = new Map<string, Record<string, unknown>>();
  for (const e of await events.readStream(projectStreamId(project))) {
    if (e.type === 'ApiKeyCreated') {
      const { secretHash: _hidden, ...data } = e.data as Record<string, unknown>;
      keys.set(String(data.keyId), { ...data, createdAt: e.metadata.occurredAt, revoked: false });
    }
    if (e.type === 'ApiKeyRevoked') {
      const key = keys.get(String(e.data.keyId));
      if (key) key.revoked = true;
    }
  }
  return keys;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`keys: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (!('values' in parsed)) {
    process.stdout.write(USAGE);
    return 0;
  }
  let events: EventStore | undefined;
  try {
    const config = loadConfig();
    events = createEventStore(config);
    await execute(parsed.command, parsed.values, config, events);
    return 0;
  } catch (err) {
    process.stderr.write(`keys: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await events?.close().catch(() => undefined);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`keys: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
