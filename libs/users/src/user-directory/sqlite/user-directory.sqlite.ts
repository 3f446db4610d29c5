import type Database from 'better-sqlite3';
import type { UserListQuery } from '@lib/appwrite';
import { type ListResult, type SqliteQueryContext, SqliteSnapshot, type SqliteStorage, StatementCache } from '@lib/read-models';
import { searchableWords } from '../search-plan';
import { applyTargetChange } from '../../user';
import { UserDirectory, UserDirectoryChange, UserRecord, UserScan } from '../user-directory.port';
import { compactSequence, compileUserList, planUserList, userListIndexDdl } from './sqlite-user-query';
import { UserRecordCache, userRecordCache } from './user-record-cache';

/*
 * Users get one column per attribute because List Users filters and sorts on them. String
 * attributes have a `*_lc` shadow (JS toLowerCase) that every comparison and sort uses: SQLite's
 * NOCASE folds ASCII only, and doing the folding in JS keeps this adapter identical to the
 * MongoDB one. Every list index ends in `sort_seq` (`sequence` in a shorter form of the same
 * order, see compactSequence), the tie-breaker of every order, so a single index serves "ORDER
 * BY attr, sequence" and the keyset condition of a cursor.
 * `user_search_words` holds one row per distinct word of a user's search string (see sqlite-user-query.ts),
 * `user_labels` one row per distinct label (the array filters look labels up there; `labels`,
 * the JSON text, is what is returned and what sorts).
 */
const DDL = `
CREATE TABLE IF NOT EXISTS users (
  rid INTEGER PRIMARY KEY, project_id TEXT NOT NULL, id TEXT NOT NULL, id_lc TEXT NOT NULL, sequence TEXT NOT NULL, sort_seq TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, name TEXT NOT NULL, name_lc TEXT NOT NULL,
  email TEXT, email_lc TEXT, phone TEXT, phone_lc TEXT, status INTEGER NOT NULL,
  email_verification INTEGER NOT NULL, phone_verification INTEGER NOT NULL, password TEXT, hash TEXT NOT NULL,
  hash_options TEXT NOT NULL, password_update TEXT, registration TEXT NOT NULL, prefs TEXT NOT NULL, search_text TEXT NOT NULL,
  labels TEXT NOT NULL, mfa INTEGER NOT NULL, impersonator INTEGER NOT NULL, accessed_at TEXT, targets TEXT NOT NULL,
  revision INTEGER NOT NULL, UNIQUE (project_id, id)
);
${userListIndexDdl()}
CREATE TABLE IF NOT EXISTS user_search_words (
  project_id TEXT NOT NULL, word TEXT NOT NULL, rid INTEGER NOT NULL,
  PRIMARY KEY (project_id, word, rid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS user_labels (label TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (label, rid)) WITHOUT ROWID;
`;

interface UserRow {
  rid: number;
  project_id: string;
  id: string;
  sequence: string;
  created_at: string;
  updated_at: string;
  name: string;
  email: string | null;
  phone: string | null;
  status: number;
  email_verification: number;
  phone_verification: number;
  password: string | null;
  hash: string;
  hash_options: string;
  password_update: string | null;
  registration: string;
  prefs: string;
  search_text: string;
  /** JSON array of the labels. */
  labels: string;
  mfa: number;
  impersonator: number;
  accessed_at: string | null;
  /** JSON array of UserTarget. */
  targets: string;
  revision: number;
}

/** The row `rowValues` binds, as a SELECT of it returns it. */
function rowOf(values: ReadonlyArray<string | number | null>, rid: number): UserRow {
  const row: Record<string, string | number | null> = { rid };
  COLUMNS.forEach((column, i) => (row[column] = values[i]));
  return row as unknown as UserRow;
}

const selectUser = (db: Database.Database) => db.prepare<[string, string], UserRow>('SELECT * FROM users WHERE project_id = ? AND id = ?');

const COLUMNS = ['project_id', 'id', 'id_lc', 'sequence', 'sort_seq', 'created_at', 'updated_at', 'name', 'name_lc', 'email', 'email_lc', 'phone', 'phone_lc', 'status', 'email_verification', 'phone_verification', 'password', 'hash', 'hash_options', 'password_update', 'registration', 'prefs', 'search_text', 'labels', 'mfa', 'impersonator', 'accessed_at', 'targets', 'revision'] as const;

/** A user as the values of COLUMNS, in order (as SQLite returns them: booleans 0/1, objects as JSON). */
function rowValues(user: UserRecord, searchText: string, labels: string): Array<string | number | null> {
  const bit = (b: boolean) => (b ? 1 : 0);
  return [
    user.projectId, user.id, user.id.toLowerCase(), user.sequence, compactSequence(user.sequence), user.createdAt, user.updatedAt, user.name, user.name.toLowerCase(),
    user.email, user.email === null ? null : user.email.toLowerCase(), user.phone, user.phone === null ? null : user.phone.toLowerCase(),
    bit(user.status), bit(user.emailVerification), bit(user.phoneVerification), user.password, user.hash, JSON.stringify(user.hashOptions),
    user.passwordUpdate, user.registration, JSON.stringify(user.prefs), searchText, labels, bit(user.mfa), bit(user.impersonator), user.accessedAt, JSON.stringify(user.targets),
    user.revision,
  ];
}

export const userDirectorySqliteStorage: SqliteStorage<UserDirectoryChange> = {
  tables: ['user_search_words', 'user_labels', 'users'],
  ddl: DDL,
  // The writes find a user by (project_id, id), the UNIQUE key, and its side rows by their keys.
  writeIndexes: [],
  thread: { module: __filename, exportName: 'userDirectorySqliteStorage' },
  // 4: user_labels, and list indexes on labels, impersonator, accessed_at. 5: descending indexes
  // on name and labels; the side tables without their rid indexes. 6: revision (the stream's, for ETags).
  // 7: created_at at the end of the id, name, email and phone indexes (CARRIES_CREATED_AT);
  // users_by_rid (the count of users gathered by labels or words, see rowScopeIndex).
  // 8: search_text at the end of the sequence and name indexes (CARRIES_SEARCH_TEXT).
  version: 8,
  replaced: (db) => userRecordCache(db).clear(),
  open: (db) => changeWriter(db).write,
  openBatch(db) {
    const { write, isNew, insertNew } = changeWriter(db);
    return (changes) => {
      // Users new to the table, inserted together (fewer statements) before any other change.
      let fresh: UserRecord[] = [];
      const keys = new Set<string>();
      const flush = () => {
        if (fresh.length > 0) insertNew(fresh);
        fresh = [];
        keys.clear();
      };
      for (let i = 0; i < changes.length; ) {
        const change = changes[i++];
        if (change.kind !== 'put') {
          flush();
          write(change);
          continue;
        }
        // A new user's first events (its targets, an import's labels) come right after its
        // creation: written as one row, not an insert and an update per event.
        let user: UserRecord | null = null;
        while (i < changes.length && isPatchOf(changes[i], change.user)) user = patched(user ?? { ...change.user }, changes[i++] as PatchChange);
        const record = user ?? change.user;
        const key = `${record.projectId}\u0000${record.id}`;
        if (!keys.has(key) && isNew(record)) {
          keys.add(key);
          fresh.push(record);
          continue;
        }
        flush();
        write({ kind: 'put', user: record });
      }
      flush();
    };
  },
};

type PatchChange = Extract<UserDirectoryChange, { kind: 'patch' }>;

const isPatchOf = (change: UserDirectoryChange, user: UserRecord): boolean => change.kind === 'patch' && change.userId === user.id && change.projectId === user.projectId;

/** The record with the patch applied, as a patch of its row would leave it (`user` is changed). */
function patched(user: UserRecord, change: PatchChange): UserRecord {
  const fields = user as unknown as Record<string, unknown>;
  const patch = change.patch as Record<string, unknown>;
  // An explicit undefined means "not part of the patch", as with object spread elsewhere.
  for (const key of Object.keys(patch)) if (patch[key] !== undefined) fields[key] = patch[key];
  if (change.targets) user.targets = applyTargetChange(user.targets, change.targets);
  return user;
}

/** New users inserted by one statement (their values are 29 times as many parameters). */
const INSERT_CHUNK = 32;
const ROW_PLACEHOLDERS = `(${['?', ...COLUMNS.map(() => '?')].join(', ')})`;

function changeWriter(db: Database.Database) {
  const st = {
    user: selectUser(db),
    exists: db.prepare<[string, string], { rid: number }>('SELECT rid FROM users WHERE project_id = ? AND id = ?'),
    lastRid: db.prepare<[], { rid: number | null }>('SELECT max(rid) AS rid FROM users'),
    insertChunk: db.prepare(`INSERT INTO users (rid, ${COLUMNS.join(', ')}) VALUES ${Array.from({ length: INSERT_CHUNK }, () => ROW_PLACEHOLDERS).join(', ')}`),
    insertOne: db.prepare(`INSERT INTO users (rid, ${COLUMNS.join(', ')}) VALUES ${ROW_PLACEHOLDERS}`),
    insert: db.prepare(`INSERT INTO users (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`),
    delete: db.prepare('DELETE FROM users WHERE rid = ?'),
    deleteWord: db.prepare('DELETE FROM user_search_words WHERE project_id = ? AND word = ? AND rid = ?'),
    deleteLabel: db.prepare('DELETE FROM user_labels WHERE label = ? AND rid = ?'),
    insertLabel: db.prepare('INSERT OR IGNORE INTO user_labels (label, rid) VALUES (?, ?)'),
  };
  // The side tables have no index by rid (one fewer index write per word): a row's entries are
  // found again from what the row itself holds, its search text and its labels.
  const forgetWords = (row: UserRow) => {
    for (const word of new Set(row.search_text.split(' '))) st.deleteWord.run(row.project_id, word, row.rid);
  };
  const forgetLabels = (row: UserRow) => {
    for (const label of JSON.parse(row.labels) as string[]) st.deleteLabel.run(label, row.rid);
  };
  const remove = (row: UserRow) => {
    forgetWords(row);
    forgetLabels(row);
    st.delete.run(row.rid);
  };
  // A patch rewrites only the columns it changed: SQLite then updates only the indexes on them
  // (a status change touches 2 of the ~20), where rewriting the whole row would touch all.
  const updates = new Map<string, Database.Statement>();
  const update = (columns: string[]) => {
    const key = columns.join(',');
    let statement = updates.get(key);
    if (!statement) updates.set(key, (statement = db.prepare(`UPDATE users SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE rid = ?`)));
    return statement;
  };
  // A user's words in one statement (one per count of words, prepared once): a statement per
  // word cost more than its row.
  const insertWords = new Map<number, Database.Statement>();
  const addWords = (projectId: string, words: ReadonlySet<string>, rid: number) => {
    if (words.size === 0) return;
    let statement = insertWords.get(words.size);
    if (!statement) {
      const rows = Array.from(words, () => '(?, ?, ?)').join(', ');
      insertWords.set(words.size, (statement = db.prepare(`INSERT OR IGNORE INTO user_search_words (project_id, word, rid) VALUES ${rows}`)));
    }
    const params: Array<string | number> = [];
    for (const word of words) params.push(projectId, word, rid);
    statement.run(params);
  };
  const put = (user: UserRecord, previous: UserRow | null) => {
    const words = searchableWords(user);
    const searchText = words.join(' ');
    const labels = JSON.stringify(user.labels);
    const values = rowValues(user, searchText, labels);
    let rid: number;
    if (previous === null) {
      rid = Number(st.insert.run(...values).lastInsertRowid);
    } else {
      rid = previous.rid;
      const before = previous as unknown as Record<string, unknown>;
      const changed = COLUMNS.flatMap((c, i) => (before[c] === values[i] ? [] : [i]));
      if (changed.length > 0) update(changed.map((i) => COLUMNS[i])).run(...changed.map((i) => values[i]), rid);
    }
    // Most patches (status, prefs, verification…) leave the search words and the labels alone.
    if (previous === null || previous.labels !== labels) {
      if (previous !== null) forgetLabels(previous);
      for (const label of user.labels) st.insertLabel.run(label, rid);
    }
    // The answer to a write reads the user right after it: keep the row as written (as a read of
    // it would decode it), not the caller's objects. A rolled-back write voids it (SqliteStorage.replaced).
    if (cache.read) cache.written(user.projectId, user.id, () => toUser(rowOf(values, rid)));
    if (previous !== null && previous.search_text === searchText) return;
    if (previous !== null) forgetWords(previous);
    addWords(user.projectId, new Set(words), rid);
  };
  const cache = userRecordCache(db);
  /**
   * Users none of whom has a row (isNew), in one statement per INSERT_CHUNK of them, their words
   * and labels after: as `put` writes each. Their rids are the ones SQLite would give them one by
   * one (the largest plus one), given here so that the side rows can name them.
   */
  const insertNew = (users: readonly UserRecord[]) => {
    // One user (a create's batch): no statement to share, so not the largest rid to read either.
    if (users.length === 1) {
      cache.forget(users[0].projectId, users[0].id);
      return put(users[0], null);
    }
    let rid = st.lastRid.get()?.rid ?? 0;
    const rows = users.map((user) => {
      cache.forget(user.projectId, user.id);
      const words = searchableWords(user);
      const labels = JSON.stringify(user.labels);
      return { user, words, rid: ++rid, values: rowValues(user, words.join(' '), labels) };
    });
    let i = 0;
    for (; i + INSERT_CHUNK <= rows.length; i += INSERT_CHUNK) {
      const params: Array<string | number | null> = [];
      for (let j = i; j < i + INSERT_CHUNK; j++) params.push(rows[j].rid, ...rows[j].values);
      st.insertChunk.run(params);
    }
    for (; i < rows.length; i++) st.insertOne.run(rows[i].rid, ...rows[i].values);
    for (const { user, words, rid, values } of rows) {
      for (const label of user.labels) st.insertLabel.run(label, rid);
      addWords(user.projectId, new Set(words), rid);
      if (cache.read) cache.written(user.projectId, user.id, () => toUser(rowOf(values, rid)));
    }
  };
  const isNew = (user: UserRecord) => st.exists.get(user.projectId, user.id) === undefined;
  const write = (change: UserDirectoryChange): void => {
    if (change.kind === 'put') cache.forget(change.user.projectId, change.user.id);
    else cache.forget(change.projectId, change.userId);
    switch (change.kind) {
      case 'put':
        return put(change.user, st.user.get(change.user.projectId, change.user.id) ?? null);
      case 'patch': {
        const row = st.user.get(change.projectId, change.userId);
        if (!row) return;
        return put(patched(toUser(row), change), row);
      }
      case 'delete': {
        const row = st.user.get(change.projectId, change.userId);
        if (row) remove(row);
        return;
      }
      default:
        throw new Error(`Unknown user-directory change ${(change as { kind: string }).kind}`);
    }
  };
  return { write, isNew, insertNew };
}

export class SqliteUserDirectory extends UserDirectory {
  private readonly statements: StatementCache;
  private readonly user;
  private readonly cache: UserRecordCache | null;

  constructor(
    private readonly db: Database.Database,
    context: SqliteQueryContext = { soleWriter: false },
  ) {
    super();
    this.statements = new StatementCache(db);
    this.user = selectUser(db);
    // Copies are only as current as the writes this process sees (see SqliteQueryContext).
    this.cache = context.soleWriter ? userRecordCache(db) : null;
    if (this.cache) this.cache.read = true;
  }

  async get(projectId: string, userId: string): Promise<UserRecord | null> {
    const known = this.cache?.get(projectId, userId);
    if (known) return known;
    const row = this.user.get(projectId, userId);
    if (!row) return null;
    return this.cache ? this.cache.remember(toUser(row)) : toUser(row);
  }

  async list(projectId: string, query: UserListQuery): Promise<ListResult<UserRecord>> {
    // One read transaction: the total and the page come from the same snapshot.
    return this.db.transaction((): ListResult<UserRecord> => {
      let cursorRow: UserRow | null = null;
      if (query.cursor) {
        cursorRow = this.user.get(projectId, query.cursor.userId) ?? null;
        // The caller checked the cursor exists; if it vanished since, an empty page is the least surprising answer.
        if (cursorRow === null) {
          const compiled = compileUserList(projectId, { ...query, cursor: undefined, limit: 0 }, null);
          return { total: this.statements.count(compiled.count), items: [] };
        }
      }
      return this.statements.listPlanned(planUserList(projectId, query, cursorRow), toUser);
    })();
  }

  /** A snapshot (SqliteSnapshot): its own connection, one read transaction, paged by the (project_id, id) key. */
  async scan(projectId: string): Promise<UserScan> {
    const snapshot = SqliteSnapshot.open(this.db, 'users');
    const page = snapshot.db.prepare<[string, string, number], UserRow>('SELECT * FROM users WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?');
    let after = '';
    return {
      position: snapshot.position,
      snapshot: true,
      async next(limit) {
        const rows = page.all(projectId, after, limit);
        if (rows.length > 0) after = rows[rows.length - 1].id;
        return rows.map((row) => ({ userId: row.id, record: toUser(row) }));
      },
      async close() {
        snapshot.close();
      },
    };
  }
}

function toUser(row: UserRow): UserRecord {
  return {
    projectId: row.project_id,
    id: row.id,
    sequence: row.sequence,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    name: row.name,
    email: row.email,
    phone: row.phone,
    status: row.status === 1,
    emailVerification: row.email_verification === 1,
    phoneVerification: row.phone_verification === 1,
    password: row.password,
    hash: row.hash,
    hashOptions: JSON.parse(row.hash_options) as Record<string, unknown>,
    passwordUpdate: row.password_update,
    registration: row.registration,
    prefs: JSON.parse(row.prefs) as Record<string, unknown>,
    labels: JSON.parse(row.labels) as string[],
    mfa: row.mfa === 1,
    impersonator: row.impersonator === 1,
    accessedAt: row.accessed_at,
    targets: JSON.parse(row.targets) as UserRecord['targets'],
    revision: row.revision,
  };
}
