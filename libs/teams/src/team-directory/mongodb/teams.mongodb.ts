import type { Collection, Document, IndexDescription } from 'mongodb';
import type { TeamAttribute, TeamListQuery } from '@lib/appwrite';
import { ListResult, MongoReadModels, MongoStorage, MongoWrites, putDocument, recordKey, runMongoList, Stamp, StoredDoc, tombstone } from '@lib/read-models';
import { tokenize } from '@lib/users';
import { compileMongoList, MongoField, searchTextOf } from '../../list-query/mongodb/mongodb-list';
import { TEAMS_CHANGE_KINDS, TeamDirectory, TeamRecord, TeamsChange } from '../teams.port';

const TEAMS = 'teams';
const MEMBERS = 'team_members';
const USERS = 'team_users';
const CAS_ATTEMPTS = 50;

const SORT_FIELDS = ['idLc', 'createdAt', 'updatedAt', 'nameLc', 'total'];
const FIELDS: Record<TeamAttribute, MongoField> = {
  $id: { field: 'idLc', type: 'string', nullable: false },
  $createdAt: { field: 'createdAt', type: 'datetime', nullable: false },
  $updatedAt: { field: 'updatedAt', type: 'datetime', nullable: false },
  name: { field: 'nameLc', type: 'string', nullable: false },
  total: { field: 'total', type: 'integer', nullable: false },
};
const INDEXES: Record<string, IndexDescription[]> = {
  [TEAMS]: [
    { key: { projectId: 1, id: 1 }, name: 'teams_by_project_id', unique: true },
    { key: { projectId: 1, sequence: 1 }, name: 'teams_by_sequence' },
    ...SORT_FIELDS.map((field) => ({ key: { projectId: 1, [field]: 1, sequence: 1 }, name: `teams_by_${field}` })),
    { key: { projectId: 1, words: 1 }, name: 'teams_by_word' },
  ],
  [MEMBERS]: [
    { key: { projectId: 1, teamId: 1 }, name: 'team_members_by_team' },
    { key: { projectId: 1, userId: 1 }, name: 'team_members_by_user' },
  ],
  [USERS]: [],
};
const TEAM_PROJECTION: Readonly<Document> = Object.freeze(Object.fromEntries(['_id', '_ws', '_wr', '_v', '_ord', 'idLc', 'nameLc', 'words', 'searchText'].map((f) => [f, 0])));

function teamFields(t: TeamRecord): Document {
  const words = tokenize(`${t.id} ${t.name}`);
  return {
    projectId: t.projectId, id: t.id, sequence: t.sequence, createdAt: t.createdAt, updatedAt: t.updatedAt, name: t.name,
    prefs: JSON.stringify(t.prefs), total: t.total, idLc: t.id.toLowerCase(), nameLc: t.name.toLowerCase(), words: [...new Set(words)], searchText: searchTextOf(words),
  };
}

function toTeam(doc: Document): TeamRecord {
  return {
    projectId: doc.projectId as string, id: doc.id as string, name: doc.name as string, createdAt: doc.createdAt as string, updatedAt: doc.updatedAt as string,
    prefs: JSON.parse(doc.prefs as string) as Record<string, unknown>, total: Number(doc.total ?? 0), sequence: String(doc.sequence),
  };
}

/** Reads, changes and writes a team back under a compare-and-set on `_v` (search fields depend on the name). */
async function updateTeam(teams: Collection<StoredDoc>, projectId: string, teamId: string, change: (t: TeamRecord) => TeamRecord | null, stamp: Stamp | null): Promise<void> {
  const _id = recordKey(projectId, teamId);
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    const doc = await teams.findOne({ _id });
    if (doc === null || doc.projectId !== projectId) return;
    if (stamp !== null && doc._ws === stamp._ws && Number(doc._wr) > stamp._wr) return;
    const next = change(toTeam(doc));
    if (next === null) return;
    const r = await teams.updateOne({ _id, _v: doc._v }, { $set: { ...teamFields(next), ...(stamp ?? {}) }, $inc: { _v: 1 } });
    if (r.matchedCount === 1) return;
  }
  throw new Error(`Team ${projectId}/${teamId} kept changing; giving up for now`);
}

/** Sets `total` to the number of confirmed members; a changed count moves `updatedAt`. */
async function recount(writes: MongoWrites, projectId: string, teamId: string, at: string): Promise<void> {
  const n = await writes.collection(MEMBERS).countDocuments({ projectId, teamId, confirm: true });
  await updateTeam(writes.collection(TEAMS), projectId, teamId, (t) => (t.total === n ? null : { ...t, total: n, updatedAt: at }), null);
}

export const teamsMongoStorage: MongoStorage<TeamsChange> = {
  collections: INDEXES,
  validate(change) {
    if (!TEAMS_CHANGE_KINDS.has(change?.kind)) throw new Error(`Unknown teams change ${String(change?.kind)}`);
  },
  async apply(writes, change, stamp) {
    const teams = writes.collection(TEAMS);
    const members = writes.collection(MEMBERS);
    switch (change.kind) {
      case 'team.put':
        await tombstone(members, { projectId: change.team.projectId, teamId: change.team.id }, stamp);
        return putDocument(teams, recordKey(change.team.projectId, change.team.id), teamFields(change.team), stamp);
      case 'team.patch': {
        const { name, prefs, updatedAt } = change.patch;
        return updateTeam(teams, change.projectId, change.teamId, (t) => ({ ...t, ...(name !== undefined ? { name } : {}), ...(prefs !== undefined ? { prefs } : {}), updatedAt }), stamp);
      }
      case 'team.delete':
        await tombstone(members, { projectId: change.projectId, teamId: change.teamId }, stamp);
        return tombstone(teams, { _id: recordKey(change.projectId, change.teamId), projectId: change.projectId }, stamp);
      case 'member.add': {
        const [team, user] = await Promise.all([
          teams.findOne({ _id: recordKey(change.projectId, change.teamId), projectId: change.projectId }),
          writes.collection(USERS).findOne({ _id: recordKey(change.projectId, change.userId), projectId: change.projectId }),
        ]);
        if (team === null || user === null) return;
        const { projectId, membershipId, teamId, userId, confirm } = change;
        await putDocument(members, recordKey(projectId, membershipId), { projectId, membershipId, teamId, userId, confirm }, stamp);
        return recount(writes, projectId, teamId, change.at);
      }
      case 'member.remove': {
        const member = await members.findOne({ _id: recordKey(change.projectId, change.membershipId), projectId: change.projectId });
        if (member === null) return;
        await tombstone(members, { _id: member._id, projectId: change.projectId }, stamp);
        return recount(writes, change.projectId, member.teamId as string, change.at);
      }
      case 'user.alive':
        return putDocument(writes.collection(USERS), recordKey(change.projectId, change.userId), { projectId: change.projectId, userId: change.userId }, stamp);
      case 'user.gone': {
        const teamIds = (await members.distinct('teamId', { projectId: change.projectId, userId: change.userId })) as string[];
        await tombstone(members, { projectId: change.projectId, userId: change.userId }, stamp);
        await tombstone(writes.collection(USERS), { _id: recordKey(change.projectId, change.userId), projectId: change.projectId }, stamp);
        for (const teamId of teamIds) await recount(writes, change.projectId, teamId, change.at);
        return;
      }
    }
  },
  // A batch of only new users (what most of a log is, for this read model) is written in bulk;
  // any other batch change by change, as `apply` does.
  async applyBatch(writes, items) {
    const alive = items.flatMap(({ change, stamp }) => (change.kind === 'user.alive' ? [{ ...change, stamp, _id: recordKey(change.projectId, change.userId) }] : []));
    if (alive.length === items.length) {
      const users = writes.batched(USERS);
      await users.load(alive.map((a) => a._id));
      for (const a of alive) users.put(a._id, { projectId: a.projectId, userId: a.userId }, a.stamp);
      return;
    }
    await writes.direct();
    for (const { change, stamp } of items) await teamsMongoStorage.apply(writes, change, stamp);
  },
};

export class MongoTeamDirectory extends TeamDirectory {
  private readonly teams: Collection<StoredDoc>;
  constructor(private readonly store: MongoReadModels) {
    super();
    this.teams = store.collection(TEAMS);
  }

  async get(projectId: string, teamId: string): Promise<TeamRecord | null> {
    await this.store.init();
    const doc = await this.teams.findOne({ _id: recordKey(projectId, teamId) }, { projection: TEAM_PROJECTION });
    return doc === null || doc.projectId !== projectId ? null : toTeam(doc);
  }

  async list(projectId: string, query: TeamListQuery): Promise<ListResult<TeamRecord>> {
    await this.store.init();
    let cursorDoc: Document | null = null;
    if (query.cursor) {
      const found = await this.teams.findOne({ _id: recordKey(projectId, query.cursor.id) });
      cursorDoc = found !== null && found.projectId === projectId ? found : null;
      if (cursorDoc === null) return { total: (await runMongoList(this.teams, compileMongoList(FIELDS, { projectId }, { ...query, cursor: undefined, limit: 0 }, null), TEAM_PROJECTION)).total, items: [] };
    }
    const { total, docs } = await runMongoList(this.teams, compileMongoList(FIELDS, { projectId }, query, cursorDoc), TEAM_PROJECTION);
    return { total, items: docs.map(toTeam) };
  }
}
