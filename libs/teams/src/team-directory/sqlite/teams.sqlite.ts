import type Database from 'better-sqlite3';
import type { TeamAttribute, TeamListQuery } from '@lib/appwrite';
import { type ListResult, type SqliteStorage, StatementCache } from '@lib/read-models';
import { tokenize } from '@lib/users';
import { compileSqlList, SqlListTable } from '../../list-query/sqlite/sqlite-list';
import { TeamDirectory, TeamRecord, TeamsChange } from '../teams.port';

/*
 * Teams get a column per queryable attribute (`*_lc` shadows for strings) and a search-words
 * side table over Appwrite's search string `"{$id} {name}"`. `team_members` holds the members
 * counted into `total`, `team_users` the ids of live users (see TeamsChange).
 */
const SORTED = ['id_lc', 'created_at', 'updated_at', 'name_lc', 'total'];
const DDL = `
CREATE TABLE IF NOT EXISTS teams (
  rid INTEGER PRIMARY KEY, project_id TEXT NOT NULL, id TEXT NOT NULL, id_lc TEXT NOT NULL, sequence TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, name TEXT NOT NULL, name_lc TEXT NOT NULL, prefs TEXT NOT NULL,
  total INTEGER NOT NULL, search_text TEXT NOT NULL, UNIQUE (project_id, id)
);
CREATE INDEX IF NOT EXISTS teams_by_sequence ON teams (project_id, sequence);
${SORTED.map((c) => `CREATE INDEX IF NOT EXISTS teams_by_${c} ON teams (project_id, ${c}, sequence);`).join('\n')}
CREATE TABLE IF NOT EXISTS team_search_words (project_id TEXT NOT NULL, word TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (project_id, word, rid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS team_search_words_by_rid ON team_search_words (rid);
CREATE TABLE IF NOT EXISTS team_members (
  project_id TEXT NOT NULL, membership_id TEXT NOT NULL, team_id TEXT NOT NULL, user_id TEXT NOT NULL, confirm INTEGER NOT NULL,
  PRIMARY KEY (project_id, membership_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS team_members_by_team ON team_members (project_id, team_id);
CREATE INDEX IF NOT EXISTS team_members_by_user ON team_members (project_id, user_id);
CREATE TABLE IF NOT EXISTS team_users (project_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (project_id, user_id)) WITHOUT ROWID;
`;

interface TeamRow {
  rid: number;
  project_id: string;
  id: string;
  sequence: string;
  created_at: string;
  updated_at: string;
  name: string;
  prefs: string;
  total: number;
  search_text: string;
}

const TABLE: SqlListTable<TeamAttribute> = {
  table: 'teams',
  words: 'team_search_words',
  columns: {
    $id: { column: 'id_lc', type: 'string', nullable: false },
    $createdAt: { column: 'created_at', type: 'datetime', nullable: false },
    $updatedAt: { column: 'updated_at', type: 'datetime', nullable: false },
    name: { column: 'name_lc', type: 'string', nullable: false },
    total: { column: 'total', type: 'integer', nullable: false },
  },
};

/** The words of Appwrite's team search string `"{$id} {name}"`. */
export const teamSearchWords = (t: { id: string; name: string }) => tokenize(`${t.id} ${t.name}`);

const selectTeam = (db: Database.Database) => db.prepare<[string, string], TeamRow>('SELECT * FROM teams WHERE project_id = ? AND id = ?');

export const teamsSqliteStorage: SqliteStorage<TeamsChange> = {
  tables: ['team_search_words', 'teams', 'team_members', 'team_users'],
  ddl: DDL,
  version: 1,
  open(db) {
    const st = {
      team: selectTeam(db),
      put: db.prepare<unknown[], { rid: number }>(
        `INSERT INTO teams (project_id, id, id_lc, sequence, created_at, updated_at, name, name_lc, prefs, total, search_text)
         VALUES (@projectId, @id, @idLc, @sequence, @createdAt, @updatedAt, @name, @nameLc, @prefs, @total, @searchText)
         ON CONFLICT (project_id, id) DO UPDATE SET id_lc = excluded.id_lc, sequence = excluded.sequence, created_at = excluded.created_at,
           updated_at = excluded.updated_at, name = excluded.name, name_lc = excluded.name_lc, prefs = excluded.prefs,
           total = excluded.total, search_text = excluded.search_text
         RETURNING rid`,
      ),
      deleteTeam: db.prepare('DELETE FROM teams WHERE rid = ?'),
      deleteWords: db.prepare('DELETE FROM team_search_words WHERE rid = ?'),
      insertWord: db.prepare('INSERT OR IGNORE INTO team_search_words (project_id, word, rid) VALUES (?, ?, ?)'),
      addMember: db.prepare('INSERT OR IGNORE INTO team_members (project_id, membership_id, team_id, user_id, confirm) VALUES (?, ?, ?, ?, ?)'),
      member: db.prepare<[string, string], { team_id: string }>('SELECT team_id FROM team_members WHERE project_id = ? AND membership_id = ?'),
      removeMember: db.prepare('DELETE FROM team_members WHERE project_id = ? AND membership_id = ?'),
      teamsOfUser: db.prepare<[string, string], { team_id: string }>('SELECT DISTINCT team_id FROM team_members WHERE project_id = ? AND user_id = ?'),
      removeMembersOfUser: db.prepare('DELETE FROM team_members WHERE project_id = ? AND user_id = ?'),
      removeMembersOfTeam: db.prepare('DELETE FROM team_members WHERE project_id = ? AND team_id = ?'),
      count: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM team_members WHERE project_id = ? AND team_id = ? AND confirm = 1'),
      setTotal: db.prepare('UPDATE teams SET total = ?, updated_at = ? WHERE rid = ?'),
      addUser: db.prepare('INSERT OR IGNORE INTO team_users (project_id, user_id) VALUES (?, ?)'),
      user: db.prepare<[string, string], { user_id: string }>('SELECT user_id FROM team_users WHERE project_id = ? AND user_id = ?'),
      removeUser: db.prepare('DELETE FROM team_users WHERE project_id = ? AND user_id = ?'),
    };
    const put = (team: TeamRecord, previous: TeamRow | null) => {
      const words = teamSearchWords(team);
      const searchText = words.join(' ');
      const { rid } = st.put.get({ ...team, idLc: team.id.toLowerCase(), nameLc: team.name.toLowerCase(), prefs: JSON.stringify(team.prefs), searchText })!;
      if (previous !== null && previous.search_text === searchText) return;
      if (previous !== null) st.deleteWords.run(rid);
      for (const word of new Set(words)) st.insertWord.run(team.projectId, word, rid);
    };
    const recount = (projectId: string, teamId: string, at: string) => {
      const row = st.team.get(projectId, teamId);
      if (!row) return;
      const n = st.count.get(projectId, teamId)!.n;
      if (n !== row.total) st.setTotal.run(n, at, row.rid);
    };
    return (change) => {
      switch (change.kind) {
        case 'team.put': {
          const previous = st.team.get(change.team.projectId, change.team.id) ?? null;
          // A team re-created under the id of a deleted one starts without members.
          st.removeMembersOfTeam.run(change.team.projectId, change.team.id);
          return put(change.team, previous);
        }
        case 'team.patch': {
          const row = st.team.get(change.projectId, change.teamId);
          if (!row) return;
          const { name, prefs, updatedAt } = change.patch;
          return put({ ...toTeam(row), ...(name !== undefined ? { name } : {}), ...(prefs !== undefined ? { prefs } : {}), updatedAt }, row);
        }
        case 'team.delete': {
          const row = st.team.get(change.projectId, change.teamId);
          st.removeMembersOfTeam.run(change.projectId, change.teamId);
          if (!row) return;
          st.deleteWords.run(row.rid);
          st.deleteTeam.run(row.rid);
          return;
        }
        case 'member.add':
          // Only a membership whose team and user are alive here, in log order, counts.
          if (!st.team.get(change.projectId, change.teamId) || !st.user.get(change.projectId, change.userId)) return;
          st.addMember.run(change.projectId, change.membershipId, change.teamId, change.userId, change.confirm ? 1 : 0);
          return recount(change.projectId, change.teamId, change.at);
        case 'member.remove': {
          const member = st.member.get(change.projectId, change.membershipId);
          if (!member) return;
          st.removeMember.run(change.projectId, change.membershipId);
          return recount(change.projectId, member.team_id, change.at);
        }
        case 'user.alive':
          st.addUser.run(change.projectId, change.userId);
          return;
        case 'user.gone': {
          const teams = st.teamsOfUser.all(change.projectId, change.userId);
          st.removeMembersOfUser.run(change.projectId, change.userId);
          st.removeUser.run(change.projectId, change.userId);
          for (const t of teams) recount(change.projectId, t.team_id, change.at);
          return;
        }
        default:
          throw new Error(`Unknown teams change ${(change as { kind: string }).kind}`);
      }
    };
  },
};


export class SqliteTeamDirectory extends TeamDirectory {
  private readonly statements: StatementCache;
  private readonly team;
  constructor(private readonly db: Database.Database) {
    super();
    this.statements = new StatementCache(db);
    this.team = selectTeam(db);
  }

  async get(projectId: string, teamId: string): Promise<TeamRecord | null> {
    const row = this.team.get(projectId, teamId);
    return row ? toTeam(row) : null;
  }

  async list(projectId: string, query: TeamListQuery): Promise<ListResult<TeamRecord>> {
    return this.db.transaction((): ListResult<TeamRecord> => {
      const scope = { where: [query.search !== undefined ? '+t.project_id = ?' : 't.project_id = ?'], params: [projectId] };
      const cursorRow = query.cursor ? (this.team.get(projectId, query.cursor.id) ?? null) : null;
      if (query.cursor && cursorRow === null) {
        return { total: this.statements.count(compileSqlList(TABLE, projectId, scope, { ...query, cursor: undefined, limit: 0 }, null).count), items: [] };
      }
      const compiled = compileSqlList(TABLE, projectId, scope, query, cursorRow as unknown as Record<string, unknown> | null);
      return this.statements.list(compiled, toTeam);
    })();
  }
}

function toTeam(row: TeamRow): TeamRecord {
  return {
    projectId: row.project_id,
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    prefs: JSON.parse(row.prefs) as Record<string, unknown>,
    total: row.total,
    sequence: row.sequence,
  };
}
