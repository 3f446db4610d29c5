import type { Document, IndexDescription } from 'mongodb';
import type { UserRecord } from '../read-store.port';
import { searchableWords } from '../search/search-plan';
import { searchTextOf } from './mongodb-user-query';

/** Collection names (one database holds the whole read model). */
export const COLLECTIONS = {
  users: 'users',
  sessions: 'sessions',
  memberships: 'memberships',
  logs: 'logs',
  projects: 'projects',
  apiKeys: 'api_keys',
  streams: 'projection_streams',
  checkpoints: 'projection_checkpoints',
} as const;

/** Collections a projection owns: `reset(projection)` empties exactly these. */
export const PROJECTION_COLLECTIONS: Readonly<Record<string, readonly string[]>> = {
  users: [COLLECTIONS.users],
  sessions: [COLLECTIONS.sessions],
  memberships: [COLLECTIONS.memberships],
  logs: [COLLECTIONS.logs],
  access: [COLLECTIONS.apiKeys, COLLECTIONS.projects],
};

/*
 * Documents.
 *
 * Every record lives under a deterministic `_id` (JSON of [projectId, id]; a project's own id for
 * projects), so a put (insert, or overwrite on a duplicate `_id`) can never create a twin; the
 * unique (projectId, id) indexes state the same invariant in the record's own terms.
 *
 * Records are stored as plain fields (queryable, readable in any Mongo tool) beside bookkeeping
 * fields that all start with "_" and are projected away on reads:
 * - `_ws` / `_wr`: stream and revision of the event that wrote the document last (the write guard,
 *   see mongodb-read-store.ts);
 * - `_v`: incremented by every write (compare-and-set for read-modify-write patches);
 * - `_ord`: insertion order, the tie-breaker of equal creation times (sessions, memberships,
 *   keys), like SQLite's rowid; set once, on insert.
 * A deleted record becomes a tombstone: `projectId` is replaced by `{ deleted: projectId }`. No
 * query on a project (a string) can match it, the unique index stays unique, and its stamp
 * keeps a stale writer from resurrecting the record.
 *
 * Users additionally carry lower-cased shadows of their string attributes (`idLc`, `nameLc`,
 * `emailLc`, `phoneLc`) that every comparison and sort uses, the distinct searchable words
 * (`words`, multikey-indexed) and the padded word string (`searchText`) for phrase searches.
 * `hashOptions` and `prefs` are stored as JSON text: returned verbatim (key order, number
 * spelling) and free of the key restrictions BSON field names have ("$…", ".").
 */

export const INTERNAL_FIELDS = ['_id', '_ws', '_wr', '_v', '_ord'] as const;

/** Excludes the bookkeeping from a read. */
export const RECORD_PROJECTION: Readonly<Document> = Object.freeze(
  Object.fromEntries(INTERNAL_FIELDS.map((f) => [f, 0])),
);

/** What a user read returns: no bookkeeping, no shadows, no search fields. */
export const USER_PROJECTION: Readonly<Document> = Object.freeze({
  ...RECORD_PROJECTION,
  idLc: 0,
  nameLc: 0,
  emailLc: 0,
  phoneLc: 0,
  words: 0,
  searchText: 0,
});

export function recordKey(projectId: string, id: string): string {
  return JSON.stringify([projectId, id]);
}

export function streamKey(projection: string, streamId: string): string {
  return JSON.stringify([projection, streamId]);
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
    idLc: user.id.toLowerCase(),
    nameLc: user.name.toLowerCase(),
    emailLc: user.email === null ? null : user.email.toLowerCase(),
    phoneLc: user.phone === null ? null : user.phone.toLowerCase(),
    words: [...new Set(words)],
    searchText: searchTextOf(words),
  };
}

export function toUser(doc: Document): UserRecord {
  return {
    projectId: doc.projectId as string,
    id: doc.id as string,
    sequence: Number(doc.sequence),
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
  };
}

/** A stored record without its bookkeeping (sessions, memberships, logs, projects, keys). */
export function toRecord<T>(doc: Document): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) out[k] = v;
  return out as T;
}

/*
 * Indexes: each List Users order has one (projectId, field, sequence) index, `sequence` being the
 * tie-breaker of every order, so one index serves the filter on the project, the sort and the
 * keyset condition of a cursor. Names are fixed so that createIndexes is idempotent.
 */
const USER_SORT_FIELDS = [
  'idLc',
  'createdAt',
  'updatedAt',
  'nameLc',
  'emailLc',
  'phoneLc',
  'status',
  'emailVerification',
  'phoneVerification',
  'passwordUpdate',
  'registration',
];

export const INDEXES: Readonly<Record<string, IndexDescription[]>> = {
  [COLLECTIONS.users]: [
    { key: { projectId: 1, id: 1 }, name: 'users_by_project_id', unique: true },
    { key: { projectId: 1, sequence: 1 }, name: 'users_by_sequence' },
    ...USER_SORT_FIELDS.map((field) => ({ key: { projectId: 1, [field]: 1, sequence: 1 }, name: `users_by_${field}` })),
    { key: { projectId: 1, words: 1 }, name: 'users_by_word' },
  ],
  [COLLECTIONS.sessions]: [
    { key: { projectId: 1, id: 1 }, name: 'sessions_by_project_id', unique: true },
    { key: { projectId: 1, userId: 1, createdAt: 1, _ord: 1 }, name: 'sessions_by_user' },
  ],
  [COLLECTIONS.memberships]: [
    { key: { projectId: 1, id: 1 }, name: 'memberships_by_project_id', unique: true },
    { key: { projectId: 1, userId: 1, createdAt: 1, _ord: 1 }, name: 'memberships_by_user' },
  ],
  [COLLECTIONS.logs]: [
    { key: { projectId: 1, id: 1 }, name: 'logs_by_project_id', unique: true },
    { key: { projectId: 1, userId: 1, time: 1, sequence: 1 }, name: 'logs_by_user' },
  ],
  [COLLECTIONS.apiKeys]: [
    { key: { projectId: 1, id: 1 }, name: 'api_keys_by_project_id', unique: true },
    { key: { projectId: 1, createdAt: 1, _ord: 1 }, name: 'api_keys_by_project' },
  ],
  [COLLECTIONS.streams]: [{ key: { projection: 1 }, name: 'streams_by_projection' }],
};
