import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { UserListQuery } from '../../../appwrite/src/queries/user-list-query';
import {
  ApiKeyRecord,
  AppliedEventRef,
  ListResult,
  LogRecord,
  MembershipRecord,
  ProjectRecord,
  ReadModelChange,
  ReadStore,
  SessionRecord,
  UserRecord,
} from '../read-store.port';
import { comparePositionsNaturally, PositionComparator } from '../positions';
import { searchableWords } from '../search/search-plan';
import { migrate, PROJECTION_TABLES } from './sqlite-schema';
import { compileUserList } from './sqlite-user-query';

export interface SqliteReadStoreOptions {
  /** The event store's position order; the default understands numeric and "C:1/P:2"-like positions. */
  comparePositions?: PositionComparator;
  /** How long a writer waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

interface UserRow {
  rid: number;
  project_id: string;
  id: string;
  sequence: number;
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
}

const SESSIONS_MAX = 1000;
const MEMBERSHIPS_MAX = 1000;
/** Dynamic List Users statements kept prepared; the number of distinct query shapes in use is small. */
const STATEMENT_CACHE_MAX = 256;

/**
 * The embedded read model: one SQLite file (or ':memory:'), WAL mode so readers never wait
 * for the projector, and a busy timeout so several processes (gateway, projector) can share
 * the file. Writes only come through `applyChanges`, one IMMEDIATE transaction per event.
 */
export class SqliteReadStore extends ReadStore {
  private readonly db: Database.Database;
  private readonly compare: PositionComparator;
  private readonly dynamic = new Map<string, Database.Statement>();
  private readonly st;
  private readonly applyTx;
  private closed = false;

  constructor(
    private readonly file: string,
    options: SqliteReadStoreOptions = {},
  ) {
    super();
    this.compare = options.comparePositions ?? comparePositionsNaturally;
    this.db = new Database(file);
    // Before anything else: switching to WAL itself needs a lock another process may hold.
    this.db.pragma(`busy_timeout = ${Math.floor(options.busyTimeoutMs ?? 10000)}`);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives process crashes; a lost tail after power loss is re-projected from the log.
    this.db.pragma('synchronous = NORMAL');
    // Only takes effect on a new file; string order is byte order, so it must be UTF-8 for the
    // code-point order (and prefix ranges) that List Users relies on.
    this.db.pragma("encoding = 'UTF-8'");
    migrate(this.db);

    const db = this.db;
    this.st = {
      revision: db.prepare<[string, string], { revision: number }>(
        'SELECT revision FROM projection_streams WHERE projection = ? AND stream_id = ?',
      ),
      setRevision: db.prepare(
        `INSERT INTO projection_streams (projection, stream_id, revision) VALUES (?, ?, ?)
         ON CONFLICT (projection, stream_id) DO UPDATE SET revision = excluded.revision`,
      ),
      checkpoint: db.prepare<[string], { position: string }>(
        'SELECT position FROM projection_checkpoints WHERE projection = ?',
      ),
      setCheckpoint: db.prepare(
        `INSERT INTO projection_checkpoints (projection, position) VALUES (?, ?)
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position`,
      ),
      clearRevisions: db.prepare('DELETE FROM projection_streams WHERE projection = ?'),
      clearCheckpoint: db.prepare('DELETE FROM projection_checkpoints WHERE projection = ?'),

      user: db.prepare<[string, string], UserRow>('SELECT * FROM users WHERE project_id = ? AND id = ?'),
      putUser: db.prepare<unknown[], { rid: number }>(
        `INSERT INTO users (project_id, id, id_lc, sequence, created_at, updated_at, name, name_lc, email, email_lc,
           phone, phone_lc, status, email_verification, phone_verification, password, hash, hash_options,
           password_update, registration, prefs, search_text)
         VALUES (@projectId, @id, @idLc, @sequence, @createdAt, @updatedAt, @name, @nameLc, @email, @emailLc,
           @phone, @phoneLc, @status, @emailVerification, @phoneVerification, @password, @hash, @hashOptions,
           @passwordUpdate, @registration, @prefs, @searchText)
         ON CONFLICT (project_id, id) DO UPDATE SET
           id_lc = excluded.id_lc, sequence = excluded.sequence, created_at = excluded.created_at,
           updated_at = excluded.updated_at, name = excluded.name, name_lc = excluded.name_lc,
           email = excluded.email, email_lc = excluded.email_lc, phone = excluded.phone, phone_lc = excluded.phone_lc,
           status = excluded.status, email_verification = excluded.email_verification,
           phone_verification = excluded.phone_verification, password = excluded.password, hash = excluded.hash,
           hash_options = excluded.hash_options, password_update = excluded.password_update,
           registration = excluded.registration, prefs = excluded.prefs, search_text = excluded.search_text
         RETURNING rid`,
      ),
      deleteUser: db.prepare('DELETE FROM users WHERE rid = ?'),
      deleteWords: db.prepare('DELETE FROM user_search_words WHERE rid = ?'),
      insertWord: db.prepare('INSERT OR IGNORE INTO user_search_words (project_id, word, rid) VALUES (?, ?, ?)'),

      putSession: db.prepare(
        `INSERT INTO sessions (project_id, user_id, id, created_at, data) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (project_id, id) DO UPDATE SET
           user_id = excluded.user_id, created_at = excluded.created_at, data = excluded.data`,
      ),
      deleteSession: db.prepare('DELETE FROM sessions WHERE project_id = ? AND user_id = ? AND id = ?'),
      deleteSessionsOfUser: db.prepare('DELETE FROM sessions WHERE project_id = ? AND user_id = ?'),
      session: db.prepare<[string, string], { data: string }>('SELECT data FROM sessions WHERE project_id = ? AND id = ?'),
      sessionsOfUser: db.prepare<[string, string, number], { data: string }>(
        'SELECT data FROM sessions WHERE project_id = ? AND user_id = ? ORDER BY created_at, rid LIMIT ?',
      ),

      putMembership: db.prepare(
        `INSERT INTO memberships (project_id, user_id, id, created_at, data) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (project_id, id) DO UPDATE SET
           user_id = excluded.user_id, created_at = excluded.created_at, data = excluded.data`,
      ),
      deleteMembershipsOfUser: db.prepare('DELETE FROM memberships WHERE project_id = ? AND user_id = ?'),
      membershipsOfUser: db.prepare<[string, string, number], { data: string }>(
        'SELECT data FROM memberships WHERE project_id = ? AND user_id = ? ORDER BY created_at, rid LIMIT ?',
      ),

      // A log's id is the id of the event that produced it: a replayed event must not log twice.
      appendLog: db.prepare(
        `INSERT INTO logs (project_id, user_id, sequence, id, time, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (project_id, id) DO NOTHING`,
      ),
      logs: db.prepare<[string, string, number, number, number], { data: string }>(
        `SELECT data FROM logs WHERE project_id = ? AND user_id = ? AND sequence > ?
         ORDER BY time DESC, sequence DESC LIMIT ? OFFSET ?`,
      ),
      countLogs: db.prepare<[string, string, number], { n: number }>(
        'SELECT count(*) AS n FROM logs WHERE project_id = ? AND user_id = ? AND sequence > ?',
      ),

      putProject: db.prepare(
        'INSERT INTO projects (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data',
      ),
      project: db.prepare<[string], { data: string }>('SELECT data FROM projects WHERE id = ?'),
      putApiKey: db.prepare(
        `INSERT INTO api_keys (project_id, id, created_at, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (project_id, id) DO UPDATE SET created_at = excluded.created_at, data = excluded.data`,
      ),
      revokeApiKey: db.prepare(
        `UPDATE api_keys SET data = json_set(data, '$.revoked', json('true')) WHERE project_id = ? AND id = ?`,
      ),
      apiKeys: db.prepare<[string], { data: string }>(
        'SELECT data FROM api_keys WHERE project_id = ? ORDER BY created_at, rid',
      ),
    };

    this.applyTx = db.transaction((projection: string, ref: AppliedEventRef, changes: ReadModelChange[]): boolean => {
      const last = this.st.revision.get(projection, ref.streamId)?.revision;
      const fresh = last === undefined || ref.streamRevision > last;
      if (fresh) {
        for (const change of changes) this.applyChange(change);
        this.st.setRevision.run(projection, ref.streamId, ref.streamRevision);
      }
      const checkpoint = this.st.checkpoint.get(projection)?.position;
      if (checkpoint === undefined || this.compare(ref.position, checkpoint) > 0) {
        this.st.setCheckpoint.run(projection, ref.position);
      }
      return fresh;
    });
  }

  async applyChanges(projection: string, ref: AppliedEventRef, changes: ReadModelChange[]): Promise<boolean> {
    // IMMEDIATE: take the write lock before reading the bookkeeping, so two processes applying
    // the same event cannot both see it as new (a deferred read-then-write would also risk
    // SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out).
    return this.applyTx.immediate(projection, ref, changes);
  }

  async getCheckpoint(projection: string): Promise<string | null> {
    return this.st.checkpoint.get(projection)?.position ?? null;
  }

  async getUser(projectId: string, userId: string): Promise<UserRecord | null> {
    const row = this.st.user.get(projectId, userId);
    return row ? toUser(row) : null;
  }

  async listUsers(projectId: string, query: UserListQuery): Promise<ListResult<UserRecord>> {
    // One read transaction: the total and the page come from the same snapshot.
    return this.db.transaction((): ListResult<UserRecord> => {
      let cursorRow: UserRow | null = null;
      if (query.cursor) {
        cursorRow = this.st.user.get(projectId, query.cursor.userId) ?? null;
        // The caller checked the cursor exists; if it vanished since, there is no position to
        // page from, and an empty page is the least surprising answer.
        if (cursorRow === null) {
          const compiled = compileUserList(projectId, { ...query, cursor: undefined, limit: 0 }, null);
          return { total: this.count(compiled.count), items: [] };
        }
      }
      const compiled = compileUserList(projectId, query, cursorRow);
      const total = this.count(compiled.count);
      if (compiled.page === null) return { total, items: [] };
      const rows = this.prepared(compiled.page.sql).all(...compiled.page.params) as UserRow[];
      if (compiled.reverse) rows.reverse();
      return { total, items: rows.map(toUser) };
    })();
  }

  async listSessions(projectId: string, userId: string): Promise<SessionRecord[]> {
    return this.st.sessionsOfUser.all(projectId, userId, SESSIONS_MAX).map((r) => JSON.parse(r.data) as SessionRecord);
  }

  async getSession(projectId: string, sessionId: string): Promise<SessionRecord | null> {
    const row = this.st.session.get(projectId, sessionId);
    return row ? (JSON.parse(row.data) as SessionRecord) : null;
  }

  async listMemberships(projectId: string, userId: string): Promise<MembershipRecord[]> {
    return this.st.membershipsOfUser
      .all(projectId, userId, MEMBERSHIPS_MAX)
      .map((r) => JSON.parse(r.data) as MembershipRecord);
  }

  async listLogs(
    projectId: string,
    userId: string,
    afterSequence: number,
    limit: number,
    offset: number,
  ): Promise<ListResult<LogRecord>> {
    return this.db.transaction((): ListResult<LogRecord> => {
      const total = this.st.countLogs.get(projectId, userId, afterSequence)?.n ?? 0;
      const items =
        limit <= 0
          ? []
          : this.st.logs
              .all(projectId, userId, afterSequence, clampInt(limit), clampInt(offset))
              .map((r) => JSON.parse(r.data) as LogRecord);
      return { total, items };
    })();
  }

  async getProject(projectId: string): Promise<ProjectRecord | null> {
    const row = this.st.project.get(projectId);
    return row ? (JSON.parse(row.data) as ProjectRecord) : null;
  }

  async listApiKeys(projectId: string): Promise<ApiKeyRecord[]> {
    return this.st.apiKeys.all(projectId).map((r) => JSON.parse(r.data) as ApiKeyRecord);
  }

  async reset(projection: string): Promise<void> {
    this.db
      .transaction(() => {
        for (const table of PROJECTION_TABLES[projection] ?? []) this.db.prepare(`DELETE FROM ${table}`).run();
        this.st.clearRevisions.run(projection);
        this.st.clearCheckpoint.run(projection);
      })
      .immediate();
  }

  async openShadow(projection: string): Promise<ReadStore> {
    if (!PROJECTION_TABLES[projection]) throw new Error(`unknown projection ${projection}`);
    if (this.file === ':memory:') throw new Error('an in-memory read store cannot be rebuilt beside itself');
    const shadowFile = `${this.file}.rebuild-${projection}`;
    for (const suffix of ['', '-wal', '-shm']) rmSync(shadowFile + suffix, { force: true });
    return new SqliteReadStore(shadowFile, { comparePositions: this.compare });
  }

  /**
   * The copy runs inside one IMMEDIATE transaction on the live file: projectors sharing the
   * file wait for it (readers do not, WAL), so no event can land between catch-up and swap.
   */
  async swapIn(projection: string, shadow: ReadStore, catchUp: (livePosition: string | null) => Promise<void>): Promise<void> {
    if (!(shadow instanceof SqliteReadStore)) throw new Error('swapIn needs a shadow from openShadow');
    const tables = PROJECTION_TABLES[projection];
    if (!tables) throw new Error(`unknown projection ${projection}`);
    this.db.prepare('ATTACH DATABASE ? AS shadow').run(shadow.file);
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        await catchUp(this.st.checkpoint.get(projection)?.position ?? null);
        for (const table of tables) {
          this.db.exec(`DELETE FROM main.${table}`);
          this.db.exec(`INSERT INTO main.${table} SELECT * FROM shadow.${table}`);
        }
        this.st.clearRevisions.run(projection);
        this.st.clearCheckpoint.run(projection);
        this.db.prepare('INSERT INTO main.projection_streams SELECT * FROM shadow.projection_streams WHERE projection = ?').run(projection);
        this.db.prepare('INSERT INTO main.projection_checkpoints SELECT * FROM shadow.projection_checkpoints WHERE projection = ?').run(projection);
        this.db.exec('COMMIT');
      } catch (err) {
        this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      this.db.exec('DETACH DATABASE shadow');
      await shadow.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(shadow.file + suffix, { force: true });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.dynamic.clear();
    this.db.close();
  }

  private applyChange(change: ReadModelChange): void {
    switch (change.kind) {
      case 'user.put':
        this.putUser(change.user, this.st.user.get(change.user.projectId, change.user.id) ?? null);
        return;
      case 'user.patch': {
        const row = this.st.user.get(change.projectId, change.userId);
        if (!row) return;
        const user = toUser(row);
        const patch = change.patch as Record<string, unknown>;
        const target = user as unknown as Record<string, unknown>;
        // An explicit undefined means "not part of the patch", as with object spread elsewhere.
        for (const key of Object.keys(patch)) if (patch[key] !== undefined) target[key] = patch[key];
        this.putUser(user, row);
        return;
      }
      case 'user.delete': {
        const row = this.st.user.get(change.projectId, change.userId);
        if (!row) return;
        this.st.deleteWords.run(row.rid);
        this.st.deleteUser.run(row.rid);
        return;
      }
      case 'session.put': {
        const s = change.session;
        this.st.putSession.run(s.projectId, s.userId, s.id, s.createdAt, JSON.stringify(s));
        return;
      }
      case 'session.delete':
        this.st.deleteSession.run(change.projectId, change.userId, change.sessionId);
        return;
      case 'session.deleteAllOfUser':
        this.st.deleteSessionsOfUser.run(change.projectId, change.userId);
        return;
      case 'membership.put': {
        const m = change.membership;
        this.st.putMembership.run(m.projectId, m.userId, m.id, m.createdAt, JSON.stringify(m));
        return;
      }
      case 'membership.deleteAllOfUser':
        this.st.deleteMembershipsOfUser.run(change.projectId, change.userId);
        return;
      case 'log.append': {
        const l = change.log;
        this.st.appendLog.run(l.projectId, l.userId, l.sequence, l.id, l.time, JSON.stringify(l));
        return;
      }
      case 'project.put':
        this.st.putProject.run(change.project.id, JSON.stringify(change.project));
        return;
      case 'apiKey.put': {
        const k = change.apiKey;
        this.st.putApiKey.run(k.projectId, k.id, k.createdAt, JSON.stringify(k));
        return;
      }
      case 'apiKey.revoke':
        this.st.revokeApiKey.run(change.projectId, change.keyId);
        return;
      default: {
        const unknown: never = change;
        throw new Error(`Unknown read-model change ${(unknown as { kind: string }).kind}`);
      }
    }
  }

  private putUser(user: UserRecord, previous: UserRow | null): void {
    const words = searchableWords(user);
    const searchText = words.join(' ');
    const { rid } = this.st.putUser.get({
      projectId: user.projectId,
      id: user.id,
      idLc: user.id.toLowerCase(),
      sequence: user.sequence,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
      name: user.name,
      nameLc: user.name.toLowerCase(),
      email: user.email,
      emailLc: user.email === null ? null : user.email.toLowerCase(),
      phone: user.phone,
      phoneLc: user.phone === null ? null : user.phone.toLowerCase(),
      status: user.status ? 1 : 0,
      emailVerification: user.emailVerification ? 1 : 0,
      phoneVerification: user.phoneVerification ? 1 : 0,
      password: user.password,
      hash: user.hash,
      hashOptions: JSON.stringify(user.hashOptions),
      passwordUpdate: user.passwordUpdate,
      registration: user.registration,
      prefs: JSON.stringify(user.prefs),
      searchText,
    })!;
    // Most patches (status, prefs, verification…) leave the search words alone.
    if (previous !== null && previous.search_text === searchText) return;
    if (previous !== null) this.st.deleteWords.run(rid);
    for (const word of new Set(words)) this.st.insertWord.run(user.projectId, word, rid);
  }

  private count(q: { sql: string; params: unknown[] }): number {
    return (this.prepared(q.sql).get(...q.params) as { n: number }).n;
  }

  private prepared(sql: string): Database.Statement {
    let statement = this.dynamic.get(sql);
    if (!statement) {
      if (this.dynamic.size >= STATEMENT_CACHE_MAX) this.dynamic.clear();
      statement = this.db.prepare(sql);
      this.dynamic.set(sql, statement);
    }
    return statement;
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
  };
}

function clampInt(n: number): number {
  return Math.max(0, Math.min(Math.floor(n), Number.MAX_SAFE_INTEGER));
}
