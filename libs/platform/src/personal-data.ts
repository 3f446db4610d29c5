import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@lib/event-store';
import { DataKeys, DataKeyStore, MongoDataKeyStore, PersonalDataEventStore, PersonalDataPolicy, SqliteDataKeyStore } from '@lib/personal-data';
import { USER_PERSONAL_DATA } from '@lib/users';
import type { ServiceConfig } from './config';
import { generatedSecret } from './generated-secret';

/** The generated master key's file in DATA_DIR when DATA_ENCRYPTION_KEY is not set. */
export const GENERATED_MASTER_KEY_FILE = 'data-encryption-key';

/**
 * The master key that wraps every data key: DATA_ENCRYPTION_KEY (checked when the configuration
 * loads), else one generated into DATA_DIR on first start. Whoever loses it loses every personal
 * field of the log; the key store refuses a different one at start.
 */
export function loadMasterKey(config: ServiceConfig): Buffer {
  return config.dataEncryptionKey ?? generatedSecret(config.dataDir, GENERATED_MASTER_KEY_FILE);
}

/**
 * Where data keys live: beside the read models of the distributed stack (every gateway and
 * projector shares them), else a SQLite file of its own in DATA_DIR.
 */
export function createDataKeyStore(config: ServiceConfig): DataKeyStore {
  if (config.readModel === 'mongodb') return MongoDataKeyStore.connect(config.mongodbUrl!, config.mongodbDatabase);
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteDataKeyStore(join(config.dataDir, 'data-keys.sqlite'));
}

/** The event log as every reader and writer must use it: personal fields sealed on the way in, opened on the way out. */
export function withPersonalData(config: ServiceConfig, log: EventStore, master: Buffer = loadMasterKey(config), policy: PersonalDataPolicy = USER_PERSONAL_DATA): PersonalDataEventStore {
  return new PersonalDataEventStore(log, new DataKeys(createDataKeyStore(config), master), policy);
}
