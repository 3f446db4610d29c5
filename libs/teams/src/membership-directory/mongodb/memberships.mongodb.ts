import type { Collection, Document, IndexDescription } from 'mongodb';
import type { MembershipAttribute, MembershipListQuery } from '@lib/appwrite';
import { guardedUpdate, ListResult, MongoReadModels, MongoStorage, putDocument, recordKey, runMongoList, StoredDoc, tombstone } from '@lib/read-models';
import { tokenize } from '@lib/users';
import { compileMongoList, MongoField, searchTextOf } from '../../list-query/mongodb/mongodb-list';
import { MembershipDirectory, MembershipRecord, membershipSearchSource, MEMBERSHIPS_CHANGE_KINDS, MembershipsChange, MembershipView } from '../memberships.port';

const MEMBERSHIPS = 'memberships';
const USERS = 'membership_users';
const TEAMS = 'membership_teams';

const FIELDS: Record<MembershipAttribute, MongoField> = {
  $id: { field: 'idLc', type: 'string', nullable: false },
  $createdAt: { field: 'createdAt', type: 'datetime', nullable: false },
  $updatedAt: { field: 'updatedAt', type: 'datetime', nullable: false },
  userId: { field: 'userIdLc', type: 'string', nullable: false },
  teamId: { field: 'teamIdLc', type: 'string', nullable: false },
  invited: { field: 'invited', type: 'datetime', nullable: false },
  joined: { field: 'joined', type: 'datetime', nullable: true },
  confirm: { field: 'confirm', type: 'boolean', nullable: false },
};
const SORT_FIELDS = ['idLc', 'createdAt', 'updatedAt', 'userIdLc', 'invited', 'joined', 'confirm'];
const INDEXES: Record<string, IndexDescription[]> = {
  [MEMBERSHIPS]: [
    { key: { projectId: 1, id: 1 }, name: 'memberships_by_project_id', unique: true },
    { key: { projectId: 1, teamId: 1, sequence: 1 }, name: 'memberships_by_team' },
    { key: { projectId: 1, userId: 1, sequence: 1 }, name: 'memberships_by_user' },
    ...SORT_FIELDS.map((field) => ({ key: { projectId: 1, teamId: 1, [field]: 1, sequence: 1 }, name: `memberships_by_team_${field}` })),
    { key: { projectId: 1, words: 1 }, name: 'memberships_by_word' },
  ],
  [USERS]: [],
  [TEAMS]: [],
};
const PROJECTION: Readonly<Document> = Object.freeze(Object.fromEntries(['_id', '_ws', '_wr', '_v', '_ord', 'idLc', 'teamIdLc', 'userIdLc', 'words', 'searchText'].map((f) => [f, 0])));

function membershipFields(m: MembershipRecord): Document {
  const words = tokenize(membershipSearchSource(m));
  return {
    projectId: m.projectId, id: m.id, teamId: m.teamId, userId: m.userId, roles: [...m.roles], invited: m.invited, joined: m.joined, confirm: m.confirm,
    createdAt: m.createdAt, updatedAt: m.updatedAt, sequence: m.sequence, idLc: m.id.toLowerCase(), teamIdLc: m.teamId.toLowerCase(), userIdLc: m.userId.toLowerCase(),
    words: [...new Set(words)], searchText: searchTextOf(words),
  };
}

function toMembership(doc: Document): MembershipRecord {
  return {
    projectId: doc.projectId as string, id: doc.id as string, teamId: doc.teamId as string, userId: doc.userId as string, roles: [...(doc.roles as string[])],
    invited: doc.invited as string, joined: (doc.joined ?? null) as string | null, confirm: doc.confirm === true,
    createdAt: doc.createdAt as string, updatedAt: doc.updatedAt as string, sequence: String(doc.sequence),
  };
}

export const membershipsMongoStorage: MongoStorage<MembershipsChange> = {
  collections: INDEXES,
  validate(change) {
    if (!MEMBERSHIPS_CHANGE_KINDS.has(change?.kind)) throw new Error(`Unknown memberships change ${String(change?.kind)}`);
  },
  async apply(writes, change, stamp) {
    const memberships = writes.collection(MEMBERSHIPS);
    const users = writes.collection(USERS);
    const teams = writes.collection(TEAMS);
    switch (change.kind) {
      case 'membership.put': {
        const m = change.membership;
        const [team, user] = await Promise.all([
          teams.findOne({ _id: recordKey(m.projectId, m.teamId), projectId: m.projectId }),
          users.findOne({ _id: recordKey(m.projectId, m.userId), projectId: m.projectId }),
        ]);
        if (team === null || user === null) return;
        return putDocument(memberships, recordKey(m.projectId, m.id), membershipFields(m), stamp);
      }
      case 'membership.patch':
        return guardedUpdate(memberships, { _id: recordKey(change.projectId, change.membershipId), projectId: change.projectId }, { roles: change.roles, updatedAt: change.updatedAt }, stamp);
      case 'membership.delete':
        return tombstone(memberships, { _id: recordKey(change.projectId, change.membershipId), projectId: change.projectId }, stamp);
      case 'user.put': {
        const { projectId, userId, name, email, phone, mfa } = change;
        // A put is a new user: never accessed yet.
        return putDocument(users, recordKey(projectId, userId), { projectId, userId, name, email, phone, mfa, accessedAt: null }, stamp);
      }
      case 'user.patch': {
        const { projectId, userId, name, email, phone, mfa, accessedAt } = change;
        const set = Object.fromEntries(Object.entries({ name, email, phone, mfa, accessedAt }).filter(([, value]) => value !== undefined));
        return guardedUpdate(users, { _id: recordKey(projectId, userId), projectId }, set, stamp);
      }
      case 'user.delete':
        await tombstone(memberships, { projectId: change.projectId, userId: change.userId }, stamp);
        return tombstone(users, { _id: recordKey(change.projectId, change.userId), projectId: change.projectId }, stamp);
      case 'team.put':
        await tombstone(memberships, { projectId: change.projectId, teamId: change.teamId }, stamp);
        return putDocument(teams, recordKey(change.projectId, change.teamId), { projectId: change.projectId, teamId: change.teamId, name: change.name }, stamp);
      case 'team.rename':
        return guardedUpdate(teams, { _id: recordKey(change.projectId, change.teamId), projectId: change.projectId }, { name: change.name }, stamp);
      case 'team.delete':
        await tombstone(memberships, { projectId: change.projectId, teamId: change.teamId }, stamp);
        return tombstone(teams, { _id: recordKey(change.projectId, change.teamId), projectId: change.projectId }, stamp);
    }
  },
  // A batch of only users' puts and patches (what most of a log is, for this read model) is
  // written in bulk; any other batch change by change, as `apply` does.
  async applyBatch(writes, items) {
    const ofUsers = items.flatMap(({ change, stamp }) => (change.kind === 'user.put' || change.kind === 'user.patch' ? [{ change, stamp, _id: recordKey(change.projectId, change.userId) }] : []));
    if (ofUsers.length === items.length) {
      const users = writes.batched(USERS);
      await users.load(ofUsers.map((u) => u._id));
      for (const { change, stamp, _id } of ofUsers) {
        const { projectId, userId, name, email, phone, mfa } = change;
        // A put is a new user: never accessed yet.
        if (change.kind === 'user.put') users.put(_id, { projectId, userId, name, email, phone, mfa, accessedAt: null }, stamp);
        else users.guardedUpdate(_id, { projectId }, Object.fromEntries(Object.entries({ name, email, phone, mfa, accessedAt: change.accessedAt }).filter(([, value]) => value !== undefined)), stamp);
      }
      return;
    }
    await writes.direct();
    for (const { change, stamp } of items) await membershipsMongoStorage.apply(writes, change, stamp);
  },
};

export class MongoMembershipDirectory extends MembershipDirectory {
  private readonly memberships: Collection<StoredDoc>;
  constructor(private readonly store: MongoReadModels) {
    super();
    this.memberships = store.collection(MEMBERSHIPS);
  }

  async get(projectId: string, membershipId: string): Promise<MembershipView | null> {
    await this.store.init();
    const doc = await this.memberships.findOne({ _id: recordKey(projectId, membershipId) }, { projection: PROJECTION });
    return doc === null || doc.projectId !== projectId ? null : (await this.views(projectId, [doc]))[0];
  }

  async listOfTeam(projectId: string, teamId: string, query: MembershipListQuery): Promise<ListResult<MembershipView>> {
    return this.list(projectId, { projectId, teamId }, query);
  }

  async listOfUser(projectId: string, userId: string, query: MembershipListQuery): Promise<ListResult<MembershipView>> {
    return this.list(projectId, { projectId, userId }, query);
  }

  /** A list within one team or one user (top-level equalities, matched by the memberships_by_team / _by_user indexes). */
  private async list(projectId: string, scope: Document, query: MembershipListQuery): Promise<ListResult<MembershipView>> {
    await this.store.init();
    let cursorDoc: Document | null = null;
    if (query.cursor) {
      const found = await this.memberships.findOne({ _id: recordKey(projectId, query.cursor.id) });
      cursorDoc = found !== null && found.projectId === projectId ? found : null;
      if (cursorDoc === null) return { total: (await runMongoList(this.memberships, compileMongoList(FIELDS, scope, { ...query, cursor: undefined, limit: 0 }, null), PROJECTION)).total, items: [] };
    }
    const { total, docs } = await runMongoList(this.memberships, compileMongoList(FIELDS, scope, query, cursorDoc), PROJECTION);
    return { total, items: await this.views(projectId, docs) };
  }

  /**
   * Joins each membership with its user's and team's current fields. User documents written
   * before phone, mfa and accessedAt were kept lack them: they read as '', false and null.
   */
  private async views(projectId: string, docs: Document[]): Promise<MembershipView[]> {
    if (docs.length === 0) return [];
    const records = docs.map(toMembership);
    const userKeys = [...new Set(records.map((m) => recordKey(projectId, m.userId)))];
    const teamKeys = [...new Set(records.map((m) => recordKey(projectId, m.teamId)))];
    const [users, teams] = await Promise.all([
      this.store.collection(USERS).find({ _id: { $in: userKeys }, projectId }).toArray(),
      this.store.collection(TEAMS).find({ _id: { $in: teamKeys }, projectId }).toArray(),
    ]);
    const userOf = new Map(users.map((u) => [u.userId as string, u]));
    const teamOf = new Map(teams.map((t) => [t.teamId as string, t]));
    return records.map((m) => {
      const user = userOf.get(m.userId);
      return {
        ...m,
        userName: (user?.name as string | undefined) ?? '',
        userEmail: (user?.email as string | null | undefined) ?? '',
        userPhone: (user?.phone as string | null | undefined) ?? '',
        userMfa: user?.mfa === true,
        userAccessedAt: (user?.accessedAt as string | null | undefined) ?? null,
        teamName: (teamOf.get(m.teamId)?.name as string | undefined) ?? '',
      };
    });
  }

}
