import type Database from 'better-sqlite3';
import type { UserListQuery } from '@lib/appwrite';
import { type ListResult, type SqliteStorage, StatementCache } from '@lib/read-models';
import { searchableWords } from '../search-plan';
import { applyTargetChange } from '../../user';
import { UserDirectory, UserDirectoryChange, UserRecord } from '../user-directory.port';
import { compileUserList } from './sqlite-user-query';

/*
 * Users get one column per attribute because List Users filters and sorts on them. String
 * attributes have a `*_lc` shadow (JS toLowerCase) that every comparison and sort uses: SQLite's
 * NOCASE folds ASCII only, and doing the folding in JS keeps this adapter identical to the
 * MongoDB one. Every list index ends in `sequence` (fixed-width text), the tie-breaker of every
 * order, so a single index serves "ORDER BY attr, sequence" and the keyset condition of a cursor.
 * `user_search_words` holds one row per distinct word of a user's search string (see sqlite-user-query.ts),
 * `user_labels` one row per distinct label (the array filters look labels up there; `labels`,
 * the JSON text, is what is returned and what sorts).
 */
const SORTED = ['id_lc', 'created_at', 'updated_at', 'name_lc', 'email_lc', 'phone_lc', 'status', 'email_verification', 'phone_verification', 'password_update', 'registration', 'labels', 'impersonator', 'accessed_at'];
const DDL = `
CREATE TABLE IF NOT EXISTS users (
  rid INTEGER PRIMARY KEY, project_id TEXT NOT NULL, id TEXT NOT NULL, id_lc TEXT NOT NULL, sequence TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, name TEXT NOT NULL, name_lc TEXT NOT NULL,
  email TEXT, email_lc TEXT, phone TEXT, phone_lc TEXT, status INTEGER NOT NULL,
  email_verification INTEGER NOT NULL, phone_verification INTEGER NOT NULL, password TEXT, hash TEXT NOT NULL,
  hash_options TEXT NOT NULL, password_update TEXT, registration TEXT NOT NULL, prefs TEXT NOT NULL, search_text TEXT NOT NULL,
  labels TEXT NOT NULL, mfa INTEGER NOT NULL, impersonator INTEGER NOT NULL, accessed_at TEXT, targets TEXT NOT NULL,
  UNIQUE (project_id, id)
);
CREATE INDEX IF NOT EXISTS users_by_sequence ON users (project_id, sequence);
${SORTED.map((c) => `CREATE INDEX IF NOT EXISTS users_by_${c} ON users (project_id, ${c}, sequence);`).join('\n')}
CREATE TABLE IF NOT EXISTS user_search_words (
  project_id TEXT NOT NULL, word TEXT NOT NULL, rid INTEGER NOT NULL,
  PRIMARY KEY (project_id, word, rid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS user_search_words_by_rid ON user_search_words (rid);
CREATE TABLE IF NOT EXISTS user_labels (label TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (label, rid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS user_labels_by_rid ON user_labels (rid);
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
}

const selectUser = (db: Database.Database) => db.prepare<[string, string], UserRow>('SELECT * FROM users WHERE project_id = ? AND id = ?');

export const userDirectorySqliteStorage: SqliteStorage<UserDirectoryChange> = {
  tables: ['user_search_words', 'user_labels', 'users'],
  ddl: DDL,
  // 4: user_labels, and list indexes on labels, impersonator, accessed_at.
  version: 4,
  open(db) {
    const st = {
      user: selectUser(db),
      put: db.prepare<unknown[], { rid: number }>(
        `INSERT INTO users (project_id, id, id_lc, sequence, created_at, updated_at, name, name_lc, email, email_lc,
           phone, phone_lc, status, email_verification, phone_verification, password, hash, hash_options,
           password_update, registration, prefs, search_text, labels, mfa, impersonator, accessed_at, targets)
         VALUES (@projectId, @id, @idLc, @sequence, @createdAt, @updatedAt, @name, @nameLc, @email, @emailLc,
           @phone, @phoneLc, @status, @emailVerification, @phoneVerification, @password, @hash, @hashOptions,
           @passwordUpdate, @registration, @prefs, @searchText, @labels, @mfa, @impersonator, @accessedAt, @targets)
         ON CONFLICT (project_id, id) DO UPDATE SET
           id_lc = excluded.id_lc, sequence = excluded.sequence, created_at = excluded.created_at,
           updated_at = excluded.updated_at, name = excluded.name, name_lc = excluded.name_lc,
           email = excluded.email, email_lc = excluded.email_lc, phone = excluded.phone, phone_lc = excluded.phone_lc,
           status = excluded.status, email_verification = excluded.email_verification,
           phone_verification = excluded.phone_verification, password = excluded.password, hash = excluded.hash,
           hash_options = excluded.hash_options, password_update = excluded.password_update,
           registration = excluded.registration, prefs = excluded.prefs, search_text = excluded.search_text,
           labels = excluded.labels, mfa = excluded.mfa, impersonator = excluded.impersonator,
           accessed_at = excluded.accessed_at, targets = excluded.targets
         RETURNING rid`,
      ),
      delete: db.prepare('DELETE FROM users WHERE rid = ?'),
      deleteWords: db.prepare('DELETE FROM user_search_words WHERE rid = ?'),
      insertWord: db.prepare('INSERT OR IGNORE INTO user_search_words (project_id, word, rid) VALUES (?, ?, ?)'),
      deleteLabels: db.prepare('DELETE FROM user_labels WHERE rid = ?'),
      insertLabel: db.prepare('INSERT OR IGNORE INTO user_labels (label, rid) VALUES (?, ?)'),
    };
    const put = (user: UserRecord, previous: UserRow | null) => {
      const words = searchableWords(user);
      const searchText = words.join(' ');
      const labels = JSON.stringify(user.labels);
      const { rid } = st.put.get({
        ...user,
        idLc: user.id.toLowerCase(),
        nameLc: user.name.toLowerCase(),
        emailLc: user.email === null ? null : user.email.toLowerCase(),
        phoneLc: user.phone === null ? null : user.phone.toLowerCase(),
        status: user.status ? 1 : 0,
        emailVerification: user.emailVerification ? 1 : 0,
        phoneVerification: user.phoneVerification ? 1 : 0,
        hashOptions: JSON.stringify(user.hashOptions),
        prefs: JSON.stringify(user.prefs),
        searchText,
        labels,
        mfa: user.mfa ? 1 : 0,
        impersonator: user.impersonator ? 1 : 0,
        targets: JSON.stringify(user.targets),
      })!;
      // Most patches (status, prefs, verification…) leave the search words and the labels alone.
      if (previous === null || previous.labels !== labels) {
        if (previous !== null) st.deleteLabels.run(rid);
        for (const label of user.labels) st.insertLabel.run(label, rid);
      }
      if (previous !== null && previous.search_text === searchText) return;
      if (previous !== null) st.deleteWords.run(rid);
      for (const word of new Set(words)) st.insertWord.run(user.projectId, word, rid);
    };
    return (change) => {
      switch (change.kind) {
        case 'put':
          return put(change.user, st.user.get(change.user.projectId, change.user.id) ?? null);
        case 'patch': {
          const row = st.user.get(change.projectId, change.userId);
          if (!row) return;
          const user = toUser(row) as unknown as Record<string, unknown>;
          const patch = change.patch as Record<string, unknown>;
          // An explicit undefined means "not part of the patch", as with object spread elsewhere.
          for (const key of Object.keys(patch)) if (patch[key] !== undefined) user[key] = patch[key];
          if (change.targets) user.targets = applyTargetChange(user.targets as UserRecord['targets'], change.targets);
          return put(user as unknown as UserRecord, row);
        }
        case 'delete': {
          const row = st.user.get(change.projectId, change.userId);
          if (!row) return;
          st.deleteWords.run(row.rid);
          st.deleteLabels.run(row.rid);
          st.delete.run(row.rid);
          return;
        }
        default:
          throw new Error(`Unknown user-directory change ${(change as { kind: string }).kind}`);
      }
    };
  },
};


export class SqliteUserDirectory extends UserDirectory {
  private readonly statements: StatementCache;
  private readonly user;

  constructor(private readonly db: Database.Database) {
    super();
    this.statements = new StatementCache(db);
    this.user = selectUser(db);
  }

  async get(projectId: string, userId: string): Promise<UserRecord | null> {
    const row = this.user.get(projectId, userId);
    return row ? toUser(row) : null;
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
      const compiled = compileUserList(projectId, query, cursorRow);
      return this.statements.list(compiled, toUser);
    })();
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
  };
}
