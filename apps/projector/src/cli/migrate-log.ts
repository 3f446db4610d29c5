/**
 * `npm run migrate-log`: copies an event log written before personal-data sealing into a new,
 * empty one, sealing every user's personal fields with a fresh data key of theirs and giving the
 * email, phone and push-token reservations their keyed names (log-copy.ts). The old log is read
 * with the `SOURCE_`-prefixed settings, the new one written with the usual ones. `--help` prints
 * the usage below.
 */
import 'reflect-metadata';
import { chmodSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventStore } from '@lib/event-store';
import { ConfigError, ENV_VARS, GENERATED_MASTER_KEY_FILE, loadConfig, loadMasterKey, openEventLog, ServiceConfig, withPersonalData } from '@lib/platform';
import { ReservationNames, USER_PERSONAL_DATA } from '@lib/users';
import { copyLog, LogCopyProgress, LogCopyRefusedError } from './log-copy';

const USAGE = `usage: npm run migrate-log [-- --resume]

Copies the event log of a version from before personal-data sealing (stopped) into a new, empty
event log, sealing every user's personal fields and renaming the email, phone and push-token
reservations. Then start this version on the new log.

  The old log:  SOURCE_EVENT_STORE (sqlite | eventstoredb, default sqlite), SOURCE_DATA_DIR
                (its events.sqlite) or SOURCE_EVENTSTORE_CONNECTION_STRING. Only for a log an
                upgraded version wrote into (sealed events): SOURCE_DATA_ENCRYPTION_KEY (else
                SOURCE_DATA_DIR/data-encryption-key) and SOURCE_READ_MODEL, SOURCE_MONGODB_URL,
                SOURCE_MONGODB_DATABASE (where its data keys are; else SOURCE_DATA_DIR).
  The new log:  the settings every app reads (EVENT_STORE, DATA_DIR,
                EVENTSTORE_CONNECTION_STRING, DATA_ENCRYPTION_KEY, READ_MODEL, MONGODB_URL, ...).

  --resume      go on with a copy that stopped half-way (the new log must hold its start)

Progress goes to stderr, a JSON summary to stdout. Exit status: 0 copied, 1 refused or failed
(the new log is not empty, the old log is the new one or grew meanwhile, the old keys are missing),
2 usage error.
`;

class UsageError extends Error {}

/** The old log's settings: the SOURCE_ variables, unprefixed, through the one configuration loader. */
function sourceConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const unprefixed = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('SOURCE_')).map(([k, v]) => [k.slice('SOURCE_'.length), v]));
  let config: ServiceConfig;
  try {
    config = loadConfig(unprefixed);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new LogCopyRefusedError(err.message.replace(/\b[A-Z][A-Z0-9_]+\b/g, (name) => (name in ENV_VARS ? `SOURCE_${name}` : name)));
  }
  if (config.eventStore === 'sqlite') {
    if (!unprefixed.DATA_DIR) throw new LogCopyRefusedError('SOURCE_DATA_DIR is not set: name the DATA_DIR of the old log (or SOURCE_EVENT_STORE=eventstoredb and SOURCE_EVENTSTORE_CONNECTION_STRING)');
    if (!existsSync(join(config.dataDir, 'events.sqlite'))) throw new LogCopyRefusedError(`SOURCE_DATA_DIR ${config.dataDir} holds no events.sqlite`);
  }
  return config;
}

function refuseSameLog(source: ServiceConfig, target: ServiceConfig): void {
  const same =
    source.eventStore === target.eventStore &&
    (source.eventStore === 'sqlite' ? resolve(source.dataDir) === resolve(target.dataDir) : source.eventstoreConnectionString === target.eventstoreConnectionString);
  if (same) throw new LogCopyRefusedError('the old log and the new one are the same: the copy goes into a new, empty log (another DATA_DIR or EventStoreDB)');
}

/** The old log's master key, read and never made: only a log that holds sealed events needs it. */
function sourceMasterKey(source: ServiceConfig): Buffer {
  if (source.dataEncryptionKey) return source.dataEncryptionKey;
  const file = join(source.dataDir, GENERATED_MASTER_KEY_FILE);
  if (source.eventStore !== 'sqlite' || !existsSync(file)) {
    throw new LogCopyRefusedError('the old log holds sealed events (an upgraded version wrote into it): set SOURCE_DATA_ENCRYPTION_KEY to the master key they were sealed under');
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}

/**
 * User JWTs and the sealed MFA recovery codes of the old log hang on the JWT secret: without
 * JWT_SECRET it is a file of DATA_DIR, which the new DATA_DIR must have too.
 */
function carryJwtSecret(source: ServiceConfig, target: ServiceConfig): 'JWT_SECRET' | 'copied' | 'present' | 'none' {
  if (target.jwtSecret) return 'JWT_SECRET';
  const to = join(target.dataDir, 'jwt-secret');
  if (existsSync(to)) return 'present';
  const from = join(source.dataDir, 'jwt-secret');
  if (source.eventStore !== 'sqlite' || !existsSync(from)) return 'none';
  copyFileSync(from, to);
  chmodSync(to, 0o600);
  return 'copied';
}

function progressLine(p: LogCopyProgress): string {
  if (p.total === 0) return `${p.phase.padEnd(6)} ${p.done} events`;
  const width = 30;
  const ratio = Math.min(1, p.done / p.total);
  const filled = Math.round(ratio * width);
  return `${p.phase.padEnd(6)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${p.done}/${p.total} events`;
}

async function main(argv: string[]): Promise<number> {
  let resume = false;
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { resume: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    resume = values.resume ?? false;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const target = loadConfig();
  const source = sourceConfig(process.env);
  refuseSameLog(source, target);
  const sourceLog = openEventLog(source);
  let sourceReader: EventStore = sourceLog;
  const targetLog = openEventLog(target);
  const master = loadMasterKey(target);
  const sealed = withPersonalData(target, targetLog, master);
  try {
    await sealed.keys.ready();
    let last = 0;
    const interactive = process.stderr.isTTY;
    const summary = await copyLog({
      source: sourceLog,
      targetLog,
      target: sealed,
      names: ReservationNames.fromMasterKey(master),
      policy: USER_PERSONAL_DATA,
      resume,
      openSealedSource: async () => {
        const sourceMaster = sourceMasterKey(source);
        if (source.readModel === 'sqlite' && !existsSync(join(source.dataDir, 'data-keys.sqlite'))) {
          throw new LogCopyRefusedError(`the old log holds sealed events, but SOURCE_DATA_DIR ${source.dataDir} has no data-keys.sqlite (SOURCE_READ_MODEL=mongodb: the keys are in SOURCE_MONGODB_URL)`);
        }
        const opened = withPersonalData(source, sourceLog, sourceMaster);
        await opened.keys.ready();
        sourceReader = opened;
        return { events: opened, names: ReservationNames.fromMasterKey(sourceMaster) };
      },
      onProgress: (p) => {
        if (interactive) process.stderr.write(`\r${progressLine(p)}`);
        else if (Date.now() - last > 1000) {
          last = Date.now();
          process.stderr.write(`${progressLine(p)}\n`);
        }
      },
    });
    if (interactive) process.stderr.write('\n');
    const jwtSecret = carryJwtSecret(source, target);
    process.stderr.write(`copied ${summary.copied} of ${summary.events} events in ${summary.seconds} s; ${summary.usersSealed} users sealed; ${summary.reservations.renamed} reservations renamed, ${summary.reservations.unmapped.length} unmapped (left out)\n`);
    process.stdout.write(JSON.stringify({ ...summary, jwtSecret }) + '\n');
    return 0;
  } finally {
    await sealed.close();
    await sourceReader.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`migrate-log ${err instanceof LogCopyRefusedError ? 'refused' : 'failed'}: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
