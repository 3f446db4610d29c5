import type { RecordedEvent } from '@lib/event-store';
import { MongoReadModels, ReadModelDefinition, ReadModelStore, SqliteReadModels } from '@lib/read-models';
import { describeWithMongo, OpenReadModels, sqliteReadModelsForTests } from '@lib/read-models/testing';
import { cutIntoBatches, refOf, userHistory } from '@lib/users/testing';
import { MEMBERSHIPS } from './membership-directory/memberships.read-model';
import { TEAMS } from './team-directory/teams.read-model';

/*
 * The batch path (`applyBatch`, what projections and rebuilds use) of the teams and memberships
 * read models, whose MongoDB storages write a batch of users' changes in bulk and any other batch
 * change by change: a log of users created, changed and deleted must leave exactly the documents
 * (rows) its events leave applied one by one, in batches and in a rebuild's shadow alike.
 */

const P = 'team-batches';
const MODELS: ReadModelDefinition[] = [TEAMS, MEMBERSHIPS];


const changesOf = (m: ReadModelDefinition, batch: RecordedEvent[]) => batch.map((e) => ({ ref: refOf(e), changes: m.projection.project(e) }));

/** Every stored row or document of both read models, in a stable order. */
async function dump(store: ReadModelStore): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const m of MODELS) {
    if (store instanceof SqliteReadModels) {
      for (const table of m.sqlite.storage.tables) out[table] = store.database.prepare(`SELECT * FROM ${table}`).all().map((r) => JSON.stringify(r)).sort();
    } else {
      for (const name of Object.keys(m.mongodb.storage.collections)) out[name] = await (store as MongoReadModels).collection(name).find().sort({ _id: 1 }).toArray();
    }
  }
  return out;
}

function contract(adapter: string, open: OpenReadModels): void {
  describe(`applyBatch of teams and memberships: ${adapter}`, () => {
    const events = userHistory(P, 29, 200);
    const stores: ReadModelStore[] = [];
    const fresh = async () => {
      const store = await open(MODELS);
      await store.bindLog('log');
      stores.push(store);
      return store;
    };
    afterAll(async () => {
      for (const s of stores) await s.close();
    });

    it('leaves what the events leave one by one: in batches, again, and through a shadow', async () => {
      const [single, batched, rebuilt] = [await fresh(), await fresh(), await fresh()];
      for (const e of events) for (const m of MODELS) await single.apply(m.projection.name, refOf(e), m.projection.project(e));
      const want = await dump(single);
      expect(Object.values(want).some((rows) => rows.length > 5)).toBe(true);
      for (const batch of cutIntoBatches(events, 3)) for (const m of MODELS) await batched.applyBatch(m.projection.name, changesOf(m, batch));
      expect(await dump(batched)).toEqual(want);
      for (const batch of cutIntoBatches(events, 5)) for (const m of MODELS) await batched.applyBatch(m.projection.name, changesOf(m, batch));
      expect(await dump(batched)).toEqual(want);
      for (const m of MODELS) {
        const shadow = await rebuilt.openShadow(m.projection.name);
        for (const batch of cutIntoBatches(events, 7)) await shadow.applyBatch(m.projection.name, changesOf(m, batch));
        await rebuilt.swapIn(m.projection.name, shadow, async () => undefined);
      }
      // A swap gives the revisions a new epoch: only the read models' own rows are compared.
      expect(await dump(rebuilt)).toEqual(want);
    });
  });
}

contract('sqlite', sqliteReadModelsForTests());
describeWithMongo('applyBatch of teams and memberships on MongoDB', (server) => contract('mongodb', server.open));
