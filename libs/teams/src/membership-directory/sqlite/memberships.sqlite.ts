import type Database from 'better-sqlite3';
import type { MembershipAttribute, MembershipListQuery } from '@lib/appwrite';
import { type ListResult, type SqliteStorage, StatementCache } from '@lib/read-models';
import { tokenize } from '@lib/users';
import { compileSqlList, SqlListTable } from '../../list-query/sqlite/sqlite-list';
import { MembershipDirectory, MembershipRecord, membershipSearchSource, MembershipsChange, MembershipView } from '../memberships.port';

/*
 * Memberships get a column per queryable attribute (`*_lc` shadows for strings), list indexes
 * within a team, a search-words side table over `"{$id} {userId}"`, and the names they are shown
 * with in `membership_users` / `membership_teams` (see MembershipsChange).
 */
const SORTED = ['id_lc', 'created_at', 'updated_at', 'user_id_lc', 'invited', 'joined', 'confirm'];
const DDL = `
CREATE TABLE IF NOT EXISTS memberships (
  rid INTEGER PRIMARY KEY, project_id TEXT NOT NULL, id TEXT NOT NULL, id_lc TEXT NOT NULL, sequence TEXT NOT NULL,
  team_id TEXT NOT NULL, team_id_lc TEXT NOT NULL, user_id TEXT NOT NULL, user_id_lc TEXT NOT NULL, roles TEXT NOT NULL,
  invited TEXT NOT NULL, joined TEXT, confirm INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  search_text TEXT NOT NULL, UNIQUE (project_id, id)
);
CREATE INDEX IF NOT EXISTS memberships_by_team ON memberships (project_id, team_id, sequence);
CREATE INDEX IF NOT EXISTS memberships_by_user ON memberships (project_id, user_id, sequence);
${SORTED.map((c) => `CREATE INDEX IF NOT EXISTS memberships_by_team_${c} ON memberships (project_id, team_id, ${c}, sequence);`).join('\n')}
CREATE TABLE IF NOT EXISTS membership_search_words (project_id TEXT NOT NULL, word TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (project_id, word, rid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS membership_search_words_by_rid ON membership_search_words (rid);
CREATE TABLE IF NOT EXISTS membership_users (
  project_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL, email TEXT, phone TEXT, mfa INTEGER NOT NULL, accessed_at TEXT, PRIMARY KEY (project_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS membership_teams (project_id TEXT NOT NULL, team_id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (project_id, team_id)) WITHOUT ROWID;
`;

interface MembershipRow {
  rid: number;
  project_id: string;
  id: string;
  sequence: string;
  team_id: string;
  user_id: string;
  roles: string;
  invited: string;
  joined: string | null;
  confirm: number;
  created_at: string;
  updated_at: string;
}

/** The user fields a membership is shown with. */
interface MembershipUserRow {
  name: string;
  email: string | null;
  phone: string | null;
  mfa: number;
  accessed_at: string | null;
}

const TABLE: SqlListTable<MembershipAttribute> = {
  table: 'memberships',
  words: 'membership_search_words',
  columns: {
    $id: { column: 'id_lc', type: 'string', nullable: false },
    $createdAt: { column: 'created_at', type: 'datetime', nullable: false },
    $updatedAt: { column: 'updated_at', type: 'datetime', nullable: false },
    userId: { column: 'user_id_lc', type: 'string', nullable: false },
    teamId: { column: 'team_id_lc', type: 'string', nullable: false },
    invited: { column: 'invited', type: 'datetime', nullable: false },
    joined: { column: 'joined', type: 'datetime', nullable: true },
    confirm: { column: 'confirm', type: 'boolean', nullable: false },
  },
};

const selectMembership = (db: Database.Database) => db.prepare<[string, string], MembershipRow>('SELECT * FROM memberships WHERE project_id = ? AND id = ?');

export const membershipsSqliteStorage: SqliteStorage<MembershipsChange> = {
  tables: ['membership_search_words', 'memberships', 'membership_users', 'membership_teams'],
  ddl: DDL,
  // 2: `membership_users` gained phone, mfa and accessed_at (a new version rebuilds the tables by replay).
  version: 2,
  open(db) {
    const st = {
      membership: selectMembership(db),
      put: db.prepare<unknown[], { rid: number }>(
        `INSERT INTO memberships (project_id, id, id_lc, sequence, team_id, team_id_lc, user_id, user_id_lc, roles, invited, joined, confirm, created_at, updated_at, search_text)
         VALUES (@projectId, @id, @idLc, @sequence, @teamId, @teamIdLc, @userId, @userIdLc, @roles, @invited, @joined, @confirm, @createdAt, @updatedAt, @searchText)
         ON CONFLICT (project_id, id) DO UPDATE SET sequence = excluded.sequence, team_id = excluded.team_id, team_id_lc = excluded.team_id_lc,
           user_id = excluded.user_id, user_id_lc = excluded.user_id_lc, roles = excluded.roles, invited = excluded.invited, joined = excluded.joined,
           confirm = excluded.confirm, created_at = excluded.created_at, updated_at = excluded.updated_at, search_text = excluded.search_text
         RETURNING rid`,
      ),
      patch: db.prepare('UPDATE memberships SET roles = ?, updated_at = ? WHERE project_id = ? AND id = ?'),
      delete: db.prepare('DELETE FROM memberships WHERE rid = ?'),
      ridsOfUser: db.prepare<[string, string], { rid: number }>('SELECT rid FROM memberships WHERE project_id = ? AND user_id = ?'),
      ridsOfTeam: db.prepare<[string, string], { rid: number }>('SELECT rid FROM memberships WHERE project_id = ? AND team_id = ?'),
      deleteWords: db.prepare('DELETE FROM membership_search_words WHERE rid = ?'),
      insertWord: db.prepare('INSERT OR IGNORE INTO membership_search_words (project_id, word, rid) VALUES (?, ?, ?)'),
      user: db.prepare<[string, string], { name: string }>('SELECT name FROM membership_users WHERE project_id = ? AND user_id = ?'),
      // A put is a new user: never accessed yet.
      putUser: db.prepare(
        `INSERT INTO membership_users (project_id, user_id, name, email, phone, mfa, accessed_at) VALUES (?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (project_id, user_id) DO UPDATE SET name = excluded.name, email = excluded.email, phone = excluded.phone, mfa = excluded.mfa, accessed_at = NULL`,
      ),
      userName: db.prepare('UPDATE membership_users SET name = ? WHERE project_id = ? AND user_id = ?'),
      userEmail: db.prepare('UPDATE membership_users SET email = ? WHERE project_id = ? AND user_id = ?'),
      userPhone: db.prepare('UPDATE membership_users SET phone = ? WHERE project_id = ? AND user_id = ?'),
      userMfa: db.prepare('UPDATE membership_users SET mfa = ? WHERE project_id = ? AND user_id = ?'),
      userAccessedAt: db.prepare('UPDATE membership_users SET accessed_at = ? WHERE project_id = ? AND user_id = ?'),
      deleteUser: db.prepare('DELETE FROM membership_users WHERE project_id = ? AND user_id = ?'),
      team: db.prepare<[string, string], { name: string }>('SELECT name FROM membership_teams WHERE project_id = ? AND team_id = ?'),
      putTeam: db.prepare('INSERT INTO membership_teams (project_id, team_id, name) VALUES (?, ?, ?) ON CONFLICT (project_id, team_id) DO UPDATE SET name = excluded.name'),
      renameTeam: db.prepare('UPDATE membership_teams SET name = ? WHERE project_id = ? AND team_id = ?'),
      deleteTeam: db.prepare('DELETE FROM membership_teams WHERE project_id = ? AND team_id = ?'),
    };
    const remove = (rid: number) => {
      st.deleteWords.run(rid);
      st.delete.run(rid);
    };
    const put = (m: MembershipRecord) => {
      const previous = st.membership.get(m.projectId, m.id);
      if (previous) remove(previous.rid);
      const words = tokenize(membershipSearchSource(m));
      const { rid } = st.put.get({
        ...m, idLc: m.id.toLowerCase(), teamIdLc: m.teamId.toLowerCase(), userIdLc: m.userId.toLowerCase(), roles: JSON.stringify(m.roles), confirm: m.confirm ? 1 : 0, searchText: words.join(' '),
      })!;
      for (const word of new Set(words)) st.insertWord.run(m.projectId, word, rid);
    };
    return (change) => {
      switch (change.kind) {
        case 'membership.put': {
          const m = change.membership;
          // Only a membership whose team and user are alive here, in log order, exists.
          if (!st.team.get(m.projectId, m.teamId) || !st.user.get(m.projectId, m.userId)) return;
          return put(m);
        }
        case 'membership.patch':
          st.patch.run(JSON.stringify(change.roles), change.updatedAt, change.projectId, change.membershipId);
          return;
        case 'membership.delete': {
          const row = st.membership.get(change.projectId, change.membershipId);
          if (row) remove(row.rid);
          return;
        }
        case 'user.put':
          st.putUser.run(change.projectId, change.userId, change.name, change.email, change.phone, change.mfa ? 1 : 0);
          return;
        case 'user.patch':
          if (change.name !== undefined) st.userName.run(change.name, change.projectId, change.userId);
          if (change.email !== undefined) st.userEmail.run(change.email, change.projectId, change.userId);
          if (change.phone !== undefined) st.userPhone.run(change.phone, change.projectId, change.userId);
          if (change.mfa !== undefined) st.userMfa.run(change.mfa ? 1 : 0, change.projectId, change.userId);
          if (change.accessedAt !== undefined) st.userAccessedAt.run(change.accessedAt, change.projectId, change.userId);
          return;
        case 'user.delete':
          for (const { rid } of st.ridsOfUser.all(change.projectId, change.userId)) remove(rid);
          st.deleteUser.run(change.projectId, change.userId);
          return;
        case 'team.put':
          for (const { rid } of st.ridsOfTeam.all(change.projectId, change.teamId)) remove(rid);
          st.putTeam.run(change.projectId, change.teamId, change.name);
          return;
        case 'team.rename':
          st.renameTeam.run(change.name, change.projectId, change.teamId);
          return;
        case 'team.delete':
          for (const { rid } of st.ridsOfTeam.all(change.projectId, change.teamId)) remove(rid);
          st.deleteTeam.run(change.projectId, change.teamId);
          return;
        default:
          throw new Error(`Unknown memberships change ${(change as { kind: string }).kind}`);
      }
    };
  },
};


export class SqliteMembershipDirectory extends MembershipDirectory {
  private readonly statements: StatementCache;
  private readonly st;
  constructor(private readonly db: Database.Database) {
    super();
    this.statements = new StatementCache(db);
    this.st = {
      membership: selectMembership(db),
      user: db.prepare<[string, string], MembershipUserRow>('SELECT name, email, phone, mfa, accessed_at FROM membership_users WHERE project_id = ? AND user_id = ?'),
      team: db.prepare<[string, string], { name: string }>('SELECT name FROM membership_teams WHERE project_id = ? AND team_id = ?'),
    };
  }

  async get(projectId: string, membershipId: string): Promise<MembershipView | null> {
    return this.db.transaction(() => {
      const row = this.st.membership.get(projectId, membershipId);
      return row ? this.view(row) : null;
    })();
  }

  async listOfTeam(projectId: string, teamId: string, query: MembershipListQuery): Promise<ListResult<MembershipView>> {
    return this.list(projectId, { column: 't.team_id', value: teamId }, query);
  }

  async listOfUser(projectId: string, userId: string, query: MembershipListQuery): Promise<ListResult<MembershipView>> {
    return this.list(projectId, { column: 't.user_id', value: userId }, query);
  }

  /** A list within one team or one user: the memberships_by_team / memberships_by_user indexes lead with that scope. */
  private async list(projectId: string, within: { column: string; value: string }, query: MembershipListQuery): Promise<ListResult<MembershipView>> {
    return this.db.transaction((): ListResult<MembershipView> => {
      const scope = { where: [query.search !== undefined ? '+t.project_id = ?' : 't.project_id = ?', `${within.column} = ?`], params: [projectId, within.value] };
      const cursorRow = query.cursor ? (this.st.membership.get(projectId, query.cursor.id) ?? null) : null;
      if (query.cursor && cursorRow === null) {
        return { total: this.statements.count(compileSqlList(TABLE, projectId, scope, { ...query, cursor: undefined, limit: 0 }, null).count), items: [] };
      }
      const compiled = compileSqlList(TABLE, projectId, scope, query, cursorRow as unknown as Record<string, unknown> | null);
      return this.statements.list(compiled, (row: MembershipRow) => this.view(row));
    })();
  }

  private view(row: MembershipRow): MembershipView {
    const user = this.st.user.get(row.project_id, row.user_id);
    const team = this.st.team.get(row.project_id, row.team_id);
    return {
      ...toMembership(row),
      userName: user?.name ?? '',
      userEmail: user?.email ?? '',
      userPhone: user?.phone ?? '',
      userMfa: user?.mfa === 1,
      userAccessedAt: user?.accessed_at ?? null,
      teamName: team?.name ?? '',
    };
  }
}

function toMembership(row: MembershipRow): MembershipRecord {
  return {
    projectId: row.project_id,
    id: row.id,
    teamId: row.team_id,
    userId: row.user_id,
    roles: JSON.parse(row.roles) as string[],
    invited: row.invited,
    joined: row.joined,
    confirm: row.confirm === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sequence: row.sequence,
  };
}
