import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@lib/event-store';
import { ACCESS } from '@lib/projects';
import { MongoReadModels, ReadModelDefinition, ReadModelStore, SqliteReadModels } from '@lib/read-models';
import { USERS_READ_MODELS } from '@lib/users';
import { TEAMS_READ_MODELS } from '@lib/teams';
import type { ServiceConfig } from './config';

/** Every read model of every context. */
export const ALL_READ_MODELS: ReadModelDefinition[] = [...USERS_READ_MODELS, ACCESS, ...TEAMS_READ_MODELS];
export const ALL_PROJECTIONS = ALL_READ_MODELS.map((m) => m.projection);

/** The read store the configuration selects, with every read model's storage registered, and each read model's queries. */
export interface ReadModels {
  store: ReadModelStore;
  /** The query port of each read model, by its token. */
  queries: Map<ReadModelDefinition['port'], unknown>;
}

export async function createReadModels(config: ServiceConfig, events: EventStore, definitions: ReadModelDefinition[] = ALL_READ_MODELS): Promise<ReadModels> {
  const comparePositions = (a: string | null, b: string | null) => events.comparePositions(a, b);
  const byName = <S>(storage: (d: ReadModelDefinition) => S) => Object.fromEntries(definitions.map((d) => [d.projection.name, storage(d)]));
  if (config.readModel === 'mongodb') {
    const store = await MongoReadModels.connect(config.mongodbUrl!, config.mongodbDatabase, byName((d) => d.mongodb.storage), { comparePositions });
    return { store, queries: new Map(definitions.map((d) => [d.port, d.mongodb.queries(store)])) };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const store = new SqliteReadModels(join(config.dataDir, 'read-model.sqlite'), byName((d) => d.sqlite.storage), { comparePositions });
  const context = { soleWriter: config.projections === 'inline' };
  return { store, queries: new Map(definitions.map((d) => [d.port, d.sqlite.queries(store.database, context)])) };
}
