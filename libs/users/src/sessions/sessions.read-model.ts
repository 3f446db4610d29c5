import type { Document } from 'mongodb';
import { clientDetails, StoredClientInfo } from '@lib/client-info';
import type { RecordedEvent } from '@lib/event-store';
import { toDomainEvent } from '@lib/event-sourcing';
import { MongoReadModels, Projection, putDocument, ReadModelDefinition, RECORD_PROJECTION, recordKey, toRecord, tombstone } from '@lib/read-models';
import { parseUserStreamId } from '../user';
import { USER_EVENT_SCHEMA, UserEvent } from '../user.events';

/** A session; client fields are parsed from the user agent once, at projection time. */
export interface SessionRecord extends StoredClientInfo {
  projectId: string;
  userId: string;
  id: string;
  createdAt: string;
  expire: string | null;
  provider: string;
  providerUid: string;
  providerAccessToken: string;
  providerAccessTokenExpiry: string | null;
  providerRefreshToken: string;
  ip: string;
  /** hex SHA-256 of the secret, for authenticating requests; never in a response. */
  secretHash: string | null;
  factors: string[];
}

export type SessionChange =
  | { kind: 'put'; session: SessionRecord }
  | { kind: 'delete'; projectId: string; userId: string; sessionId: string }
  | { kind: 'deleteAllOfUser'; projectId: string; userId: string };

/** Sessions: a user's, in creation order (at most SESSIONS_MAX), and one by id (to authenticate it). */
export abstract class SessionList {
  abstract ofUser(projectId: string, userId: string): Promise<SessionRecord[]>;
  abstract get(projectId: string, sessionId: string): Promise<SessionRecord | null>;
}

const SESSIONS_MAX = 1000;
const KINDS: ReadonlySet<string> = new Set<SessionChange['kind']>(['put', 'delete', 'deleteAllOfUser']);

export const sessionsProjection: Projection<SessionChange> = {
  name: 'sessions',
  project(recorded: RecordedEvent): SessionChange[] {
    const key = parseUserStreamId(recorded.streamId);
    const event = key && toDomainEvent<UserEvent>(USER_EVENT_SCHEMA, recorded);
    if (!key || !event) return [];
    const { projectId, userId } = key;
    switch (event.type) {
      case 'SessionCreated': {
        const { sessionId, userAgent, ip, secretHash, factors, ...details } = event.data;
        return [
          {
            kind: 'put',
            session: { projectId, userId, id: sessionId, createdAt: event.occurredAt, ip, ...details, secretHash: secretHash ?? null, factors: factors ?? [], ...clientDetails(userAgent, ip) },
          },
        ];
      }
      case 'SessionDeleted':
        return [{ kind: 'delete', projectId, userId, sessionId: event.data.sessionId }];
      case 'UserDeleted':
        return [{ kind: 'deleteAllOfUser', projectId, userId }];
      default:
        return [];
    }
  },
};

// The record is kept as JSON text beside the columns it is looked up and ordered by; `rid` breaks ties of equal creation times.
const SQLITE_DDL = `
CREATE TABLE IF NOT EXISTS sessions (
  rid INTEGER PRIMARY KEY, project_id TEXT NOT NULL, user_id TEXT NOT NULL, id TEXT NOT NULL,
  created_at TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (project_id, id)
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (project_id, user_id, created_at);
`;

export const SESSIONS: ReadModelDefinition<SessionList> = {
  projection: sessionsProjection,
  port: SessionList,
  sqlite: {
    storage: {
      tables: ['sessions'],
      ddl: SQLITE_DDL,
      version: 2,
      open(db) {
        const put = db.prepare(
          `INSERT INTO sessions (project_id, user_id, id, created_at, data) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (project_id, id) DO UPDATE SET user_id = excluded.user_id, created_at = excluded.created_at, data = excluded.data`,
        );
        const deleteOne = db.prepare('DELETE FROM sessions WHERE project_id = ? AND user_id = ? AND id = ?');
        const deleteOfUser = db.prepare('DELETE FROM sessions WHERE project_id = ? AND user_id = ?');
        return (change: SessionChange) => {
          if (change.kind === 'put') put.run(change.session.projectId, change.session.userId, change.session.id, change.session.createdAt, JSON.stringify(change.session));
          else if (change.kind === 'delete') deleteOne.run(change.projectId, change.userId, change.sessionId);
          else if (change.kind === 'deleteAllOfUser') deleteOfUser.run(change.projectId, change.userId);
          else throw new Error(`Unknown session change ${(change as { kind: string }).kind}`);
        };
      },
    },
    queries(db) {
      const ofUser = db.prepare<[string, string, number], { data: string }>('SELECT data FROM sessions WHERE project_id = ? AND user_id = ? ORDER BY created_at, rid LIMIT ?');
      const one = db.prepare<[string, string], { data: string }>('SELECT data FROM sessions WHERE project_id = ? AND id = ?');
      return {
        ofUser: async (projectId, userId) => ofUser.all(projectId, userId, SESSIONS_MAX).map((r) => JSON.parse(r.data) as SessionRecord),
        get: async (projectId, sessionId) => {
          const row = one.get(projectId, sessionId);
          return row ? (JSON.parse(row.data) as SessionRecord) : null;
        },
      };
    },
  },
  mongodb: {
    storage: {
      collections: {
        sessions: [
          { key: { projectId: 1, id: 1 }, name: 'sessions_by_project_id', unique: true },
          { key: { projectId: 1, userId: 1, createdAt: 1, _ord: 1 }, name: 'sessions_by_user' },
        ],
      },
      validate(change: SessionChange) {
        if (!KINDS.has(change?.kind)) throw new Error(`Unknown session change ${String(change?.kind)}`);
      },
      async apply(writes, change: SessionChange, stamp) {
        const sessions = writes.collection('sessions');
        if (change.kind === 'put') return putDocument(sessions, recordKey(change.session.projectId, change.session.id), { ...change.session }, stamp, { ord: writes.nextOrd() });
        if (change.kind === 'delete') return tombstone(sessions, { _id: recordKey(change.projectId, change.sessionId), projectId: change.projectId, userId: change.userId }, stamp);
        return tombstone(sessions, { projectId: change.projectId, userId: change.userId }, stamp);
      },
    },
    queries: (store: MongoReadModels) => ({
      async ofUser(projectId: string, userId: string) {
        await store.init();
        const docs = await store
          .collection('sessions')
          .find({ projectId, userId }, { projection: RECORD_PROJECTION, sort: [['createdAt', 1], ['_ord', 1]], limit: SESSIONS_MAX })
          .toArray();
        return docs.map((d: Document) => toRecord<SessionRecord>(d));
      },
      async get(projectId: string, sessionId: string) {
        await store.init();
        const doc = await store.collection('sessions').findOne({ _id: recordKey(projectId, sessionId) }, { projection: RECORD_PROJECTION });
        return doc === null || doc.projectId !== projectId ? null : toRecord<SessionRecord>(doc);
      },
    }),
  },
};
