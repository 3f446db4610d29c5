import type { Collection, Document, IndexDescription } from 'mongodb';
import type { UserListQuery } from '@lib/appwrite';
import { ListResult, MongoReadModels, MongoStorage, prefixUpperBound, putDocument, recordKey, runMongoList, StoredDoc, tombstone } from '@lib/read-models';
import { searchableWords } from '../search-plan';
import { applyTargetChange } from '../../user';
import { USER_CHANGE_KINDS, UserDirectory, UserDirectoryChange, UserRecord, UserScan } from '../user-directory.port';
import { compileUserList, searchTextOf } from './mongodb-user-query';

const USERS = 'users';
const CAS_ATTEMPTS = 50;

/*
 * Users carry lower-cased shadows of their string attributes (`idLc`, `nameLc`, `emailLc`,
 * `phoneLc`) that every comparison and sort uses, the distinct searchable words (`words`,
 * multikey-indexed) and the padded word string (`searchText`) for phrase searches. `hashOptions`
 * and `prefs` are stored as JSON text: returned verbatim and free of BSON's key restrictions.
 * Each List Users order has one (projectId, field, sequence) index. `labels` is an array
 * (multikey-indexed for the array filters); `labelsJson`, its JSON text, is what ordering by
 * labels sorts on.
 */
const SORT_FIELDS = ['idLc', 'createdAt', 'updatedAt', 'nameLc', 'emailLc', 'phoneLc', 'status', 'emailVerification', 'phoneVerification', 'passwordUpdate', 'registration', 'labelsJson', 'impersonator', 'accessedAt'];
const INDEXES: IndexDescription[] = [
  { key: { projectId: 1, id: 1 }, name: 'users_by_project_id', unique: true },
  { key: { projectId: 1, sequence: 1 }, name: 'users_by_sequence' },
  ...SORT_FIELDS.map((field) => ({ key: { projectId: 1, [field]: 1, sequence: 1 }, name: `users_by_${field}` })),
  { key: { projectId: 1, words: 1 }, name: 'users_by_word' },
  { key: { projectId: 1, labels: 1 }, name: 'users_by_label' },
];

/** What a user read returns: no bookkeeping, no shadows, no search fields. */
const USER_PROJECTION: Readonly<Document> = Object.freeze(
  Object.fromEntries(['_id', '_ws', '_wr', '_v', '_ord', 'idLc', 'nameLc', 'emailLc', 'phoneLc', 'words', 'searchText', 'labelsJson'].map((f) => [f, 0])),
);

/** A user read with its key (paging by `_id`). */
const USER_PROJECTION_WITH_KEY: Readonly<Document> = Object.freeze(Object.fromEntries(Object.entries(USER_PROJECTION).filter(([f]) => f !== '_id')));

export const userDirectoryMongoStorage: MongoStorage<UserDirectoryChange> = {
  collections: { [USERS]: INDEXES },
  validate(change) {
    if (!USER_CHANGE_KINDS.has(change?.kind)) throw new Error(`Unknown user-directory change ${String(change?.kind)}`);
  },
  async apply(writes, change, stamp) {
    const users = writes.collection(USERS);
    switch (change.kind) {
      case 'put':
        return putDocument(users, recordKey(change.user.projectId, change.user.id), userFields(change.user), stamp);
      case 'delete':
        return tombstone(users, { _id: recordKey(change.projectId, change.userId), projectId: change.projectId }, stamp);
      case 'patch': {
        // Read, merge and write back under a compare-and-set on `_v`: the search words depend on several fields.
        const _id = recordKey(change.projectId, change.userId);
        for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
          const doc = await users.findOne({ _id });
          if (doc === null || doc.projectId !== change.projectId) return;
          if (doc._ws === stamp._ws && Number(doc._wr) > stamp._wr) return;
          const r = await users.updateOne({ _id, _v: doc._v }, { $set: { ...userFields(patched(doc, change)), ...stamp }, $inc: { _v: 1 } });
          if (r.matchedCount === 1) return;
        }
        throw new Error(`User ${change.projectId}/${change.userId} kept changing during a patch; giving up for now`);
      }
    }
  },
  // The same writes for a whole batch: the users it touches read at once, its changes made in
  // memory in order, each user written out once by the store (see BatchedCollection).
  async applyBatch(writes, items) {
    const users = writes.batched(USERS);
    const keyOf = (change: UserDirectoryChange) => (change.kind === 'put' ? recordKey(change.user.projectId, change.user.id) : recordKey(change.projectId, change.userId));
    await users.load(items.map(({ change }) => keyOf(change)));
    for (const { change, stamp } of items) {
      const _id = keyOf(change);
      if (change.kind === 'put') users.put(_id, userFields(change.user), stamp);
      else if (change.kind === 'delete') users.tombstone(_id, change.projectId, stamp);
      else {
        const doc = users.get(_id);
        if (doc === null || doc.projectId !== change.projectId) continue;
        if (doc._ws === stamp._ws && Number(doc._wr) > stamp._wr) continue;
        users.replace(_id, { ...doc, ...userFields(patched(doc, change)), ...stamp, _v: Number(doc._v) + 1 });
      }
    }
  },
};

/** A stored user with a patch applied (what both patch paths write back). */
function patched(doc: Document, change: Extract<UserDirectoryChange, { kind: 'patch' }>): UserRecord {
  const user = toUser(doc) as unknown as Record<string, unknown>;
  const patch = change.patch as Record<string, unknown>;
  for (const key of Object.keys(patch)) if (patch[key] !== undefined && key !== 'projectId' && key !== 'id' && key !== 'sequence') user[key] = patch[key];
  if (change.targets) user.targets = applyTargetChange(user.targets as UserRecord['targets'], change.targets);
  return user as unknown as UserRecord;
}

export class MongoUserDirectory extends UserDirectory {
  private readonly users: Collection<StoredDoc>;
  constructor(private readonly store: MongoReadModels) {
    super();
    this.users = store.collection(USERS);
  }

  async get(projectId: string, userId: string): Promise<UserRecord | null> {
    await this.store.init();
    const doc = await this.users.findOne({ _id: recordKey(projectId, userId) }, { projection: USER_PROJECTION });
    return doc === null || doc.projectId !== projectId ? null : toUser(doc);
  }

  async list(projectId: string, query: UserListQuery): Promise<ListResult<UserRecord>> {
    await this.store.init();
    let cursorDoc: Document | null = null;
    if (query.cursor) {
      const found = await this.users.findOne({ _id: recordKey(projectId, query.cursor.userId) });
      cursorDoc = found !== null && found.projectId === projectId ? found : null;
      if (cursorDoc === null) {
        const { total } = await runMongoList(this.users, compileUserList(projectId, { ...query, cursor: undefined, limit: 0 }, null), USER_PROJECTION);
        return { total, items: [] };
      }
    }
    const { total, docs } = await runMongoList(this.users, compileUserList(projectId, query, cursorDoc), USER_PROJECTION);
    return { total, items: docs.map(toUser) };
  }

  /**
   * No snapshot (FerretDB has no snapshot reads): pages by `_id`, whose order is the user id's
   * (`["<project>","<id>"]`, ids have no character JSON escapes), tombstones included, so that
   * every user of the checkpoint is seen once, as it is now or as deleted.
   */
  async scan(projectId: string): Promise<UserScan> {
    const position = await this.store.getCheckpoint('users');
    const first = recordKey(projectId, '');
    const prefix = first.slice(0, -2);
    const users = this.users;
    let after = first;
    return {
      position,
      snapshot: false,
      async next(limit) {
        const docs = await users.find({ _id: { $gt: after, $lt: prefixUpperBound(prefix)! } }, { projection: USER_PROJECTION_WITH_KEY }).sort({ _id: 1 }).limit(limit).toArray();
        if (docs.length > 0) after = docs[docs.length - 1]._id;
        // A tombstone keeps nothing of the record: the user id is read from its key.
        return docs.map((doc) => ({ userId: (JSON.parse(doc._id) as [string, string])[1], record: doc.projectId === projectId ? toUser(doc) : null }));
      },
      async close() {},
    };
  }
}

/** The stored form of a user (without `_id` and the bookkeeping stamps). */
export function userFields(user: UserRecord): Document {
  const words = searchableWords(user);
  return {
    projectId: user.projectId,
    id: user.id,
    sequence: user.sequence,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    name: user.name,
    email: user.email,
    phone: user.phone,
    status: user.status,
    emailVerification: user.emailVerification,
    phoneVerification: user.phoneVerification,
    password: user.password,
    hash: user.hash,
    hashOptions: JSON.stringify(user.hashOptions),
    passwordUpdate: user.passwordUpdate,
    registration: user.registration,
    prefs: JSON.stringify(user.prefs),
    labels: user.labels,
    labelsJson: JSON.stringify(user.labels),
    mfa: user.mfa,
    impersonator: user.impersonator,
    accessedAt: user.accessedAt,
    targets: user.targets,
    revision: user.revision,
    idLc: user.id.toLowerCase(),
    nameLc: user.name.toLowerCase(),
    emailLc: user.email === null ? null : user.email.toLowerCase(),
    phoneLc: user.phone === null ? null : user.phone.toLowerCase(),
    words: [...new Set(words)],
    searchText: searchTextOf(words),
  };
}

function toUser(doc: Document): UserRecord {
  return {
    projectId: doc.projectId as string,
    id: doc.id as string,
    sequence: String(doc.sequence),
    createdAt: doc.createdAt as string,
    updatedAt: doc.updatedAt as string,
    name: doc.name as string,
    email: (doc.email ?? null) as string | null,
    phone: (doc.phone ?? null) as string | null,
    status: doc.status === true,
    emailVerification: doc.emailVerification === true,
    phoneVerification: doc.phoneVerification === true,
    password: (doc.password ?? null) as string | null,
    hash: doc.hash as string,
    hashOptions: JSON.parse(doc.hashOptions as string) as Record<string, unknown>,
    passwordUpdate: (doc.passwordUpdate ?? null) as string | null,
    registration: doc.registration as string,
    prefs: JSON.parse(doc.prefs as string) as Record<string, unknown>,
    labels: ((doc.labels ?? []) as string[]).slice(),
    mfa: doc.mfa === true,
    impersonator: doc.impersonator === true,
    accessedAt: (doc.accessedAt ?? null) as string | null,
    targets: ((doc.targets ?? []) as Document[]).map(toTarget),
    revision: doc.revision as number,
  };
}

/** Targets come back with exactly the record's keys, in the record's order (BSON may add none, but keeps what it got). */
function toTarget(doc: Document): UserRecord['targets'][number] {
  return {
    id: doc.id as string,
    createdAt: doc.createdAt as string,
    updatedAt: doc.updatedAt as string,
    name: (doc.name ?? null) as string | null,
    providerId: (doc.providerId ?? null) as string | null,
    providerType: doc.providerType as UserRecord['targets'][number]['providerType'],
    identifier: doc.identifier as string,
    expired: doc.expired === true,
  };
}
