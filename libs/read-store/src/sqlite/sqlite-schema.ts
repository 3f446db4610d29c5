import type Database from 'better-sqlite3';

/** Bump when the DDL below changes incompatibly; older files are then refused, not silently misread. */
export const SCHEMA_VERSION = 1;

/**
 * Tables a projection owns: `reset(projection)` empties exactly these. Side tables are listed
 * with their parent so a rebuild never leaves stale rows behind.
 */
export const PROJECTION_TABLES: Readonly<Record<string, readonly string[]>> = {
  users: ['user_search_words', 'users'],
  sessions: ['sessions'],
  memberships: ['memberships'],
  logs: ['logs'],
  access: ['api_keys', 'projects'],
};

/*
 * Users get one column per attribute because List Users filters and sorts on them. String
 * attributes have a `*_lc` shadow (JS toLowerCase) that every comparison and sort uses: SQLite's
 * NOCASE folds ASCII only, and doing the folding in JS keeps this adapter identical to the
 * MongoDB one. Every list index ends in `sequence`, the tie-breaker of every order, so a
 * single index serves "ORDER BY attr, sequence" and the keyset condition of a cursor.
 *
 * The other tables keep their record as JSON text (`data`) beside the few columns they are
 * looked up and ordered by: they are only ever read whole, and JSON keeps key order verbatim.
 * Their `rid` (rowid) is the insertion order that breaks ties of equal creation times.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS read_store_schema (
  version INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS projection_streams (
  projection TEXT NOT NULL,
  stream_id  TEXT NOT NULL,
  revision   INTEGER NOT NULL,
  PRIMARY KEY (projection, stream_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS projection_checkpoints (
  projection TEXT PRIMARY KEY,
  position   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS users (
  rid                 INTEGER PRIMARY KEY,
  project_id          TEXT NOT NULL,
  id                  TEXT NOT NULL,
  id_lc               TEXT NOT NULL,
  sequence            INTEGER NOT NULL,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  name                TEXT NOT NULL,
  name_lc             TEXT NOT NULL,
  email               TEXT,
  email_lc            TEXT,
  phone               TEXT,
  phone_lc            TEXT,
  status              INTEGER NOT NULL,
  email_verification  INTEGER NOT NULL,
  phone_verification  INTEGER NOT NULL,
  password            TEXT,
  hash                TEXT NOT NULL,
  hash_options        TEXT NOT NULL,
  password_update     TEXT,
  registration        TEXT NOT NULL,
  prefs               TEXT NOT NULL,
  search_text         TEXT NOT NULL,
  UNIQUE (project_id, id)
);
CREATE INDEX IF NOT EXISTS users_by_sequence           ON users (project_id, sequence);
CREATE INDEX IF NOT EXISTS users_by_id_lc              ON users (project_id, id_lc, sequence);
CREATE INDEX IF NOT EXISTS users_by_created_at         ON users (project_id, created_at, sequence);
CREATE INDEX IF NOT EXISTS users_by_updated_at         ON users (project_id, updated_at, sequence);
CREATE INDEX IF NOT EXISTS users_by_name_lc            ON users (project_id, name_lc, sequence);
CREATE INDEX IF NOT EXISTS users_by_email_lc           ON users (project_id, email_lc, sequence);
CREATE INDEX IF NOT EXISTS users_by_phone_lc           ON users (project_id, phone_lc, sequence);
CREATE INDEX IF NOT EXISTS users_by_status             ON users (project_id, status, sequence);
CREATE INDEX IF NOT EXISTS users_by_email_verification ON users (project_id, email_verification, sequence);
CREATE INDEX IF NOT EXISTS users_by_phone_verification ON users (project_id, phone_verification, sequence);
CREATE INDEX IF NOT EXISTS users_by_password_update    ON users (project_id, password_update, sequence);
CREATE INDEX IF NOT EXISTS users_by_registration       ON users (project_id, registration, sequence);

-- One row per distinct word of a user's search string; see sqlite-user-query.ts for why.
CREATE TABLE IF NOT EXISTS user_search_words (
  project_id TEXT NOT NULL,
  word       TEXT NOT NULL,
  rid        INTEGER NOT NULL,
  PRIMARY KEY (project_id, word, rid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS user_search_words_by_rid ON user_search_words (rid);

CREATE TABLE IF NOT EXISTS sessions (
  rid        INTEGER PRIMARY KEY,
  project_id TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  id         TEXT NOT NULL,
  created_at TEXT NOT NULL,
  data       TEXT NOT NULL,
  UNIQUE (project_id, id)
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (project_id, user_id, created_at);

CREATE TABLE IF NOT EXISTS memberships (
  rid        INTEGER PRIMARY KEY,
  project_id TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  id         TEXT NOT NULL,
  created_at TEXT NOT NULL,
  data       TEXT NOT NULL,
  UNIQUE (project_id, id)
);
CREATE INDEX IF NOT EXISTS memberships_by_user ON memberships (project_id, user_id, created_at);

CREATE TABLE IF NOT EXISTS logs (
  rid           INTEGER PRIMARY KEY,
  project_id    TEXT NOT NULL,
  user_id       TEXT NOT NULL,
  sequence      INTEGER NOT NULL,
  id            TEXT NOT NULL,
  time          TEXT NOT NULL,
  data          TEXT NOT NULL,
  UNIQUE (project_id, id)
);
CREATE INDEX IF NOT EXISTS logs_by_user ON logs (project_id, user_id, time, sequence);

CREATE TABLE IF NOT EXISTS projects (
  id   TEXT PRIMARY KEY,
  data TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS api_keys (
  rid        INTEGER PRIMARY KEY,
  project_id TEXT NOT NULL,
  id         TEXT NOT NULL,
  created_at TEXT NOT NULL,
  data       TEXT NOT NULL,
  UNIQUE (project_id, id)
);
CREATE INDEX IF NOT EXISTS api_keys_by_project ON api_keys (project_id, created_at);
`;

/** Creates what is missing; safe to run from several processes at once (one write lock at a time). */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    db.exec(DDL);
    const row = db.prepare<[], { version: number }>('SELECT max(version) AS version FROM read_store_schema').get();
    const current = row?.version ?? null;
    if (current === null) {
      db.prepare('INSERT INTO read_store_schema (version) VALUES (?)').run(SCHEMA_VERSION);
    } else if (current > SCHEMA_VERSION) {
      throw new Error(`Read-store file has schema version ${current}; this build understands up to ${SCHEMA_VERSION}`);
    }
  }).immediate();
}
