import type { Document } from 'mongodb';
import { clientDetails, StoredClientInfo } from '@lib/client-info';
import type { RecordedEvent } from '@lib/event-store';
import { clampInt, ListResult, MongoReadModels, Projection, putDocument, ReadModelDefinition, RECORD_PROJECTION, recordKey, toRecord } from '@lib/read-models';
import { parseUserStreamId } from '../user';
import type { UserEventType } from '../user.events';

/** An audit record in a user's log. `id` is the id of the event that produced it. */
export interface LogRecord extends StoredClientInfo {
  projectId: string;
  userId: string;
  /**
   * Sort key of the event that produced the record. A user re-created under the same id has a
   * later sequence than its predecessor's records, so it does not inherit them.
   */
  sequence: string;
  id: string;
  event: string;
  userEmail: string;
  userName: string;
  mode: string;
  ip: string;
  time: string;
}

export type LogChange = { kind: 'append'; log: LogRecord };

/** A user's audit log. */
export abstract class UserLogs {
  /** Records with a sequence after `afterSequence` (the user's own), newest first; `total` is their real number. */
  abstract list(projectId: string, userId: string, afterSequence: string, limit: number, offset: number): Promise<ListResult<LogRecord>>;
}

/** Which events Appwrite 1.3.8 records in the target user's own audit log, and under which name. */
export const AUDITED_EVENTS: Partial<Record<UserEventType, string>> = {
  UserStatusChanged: 'user.update',
  UserNameChanged: 'user.update',
  UserPasswordChanged: 'user.update',
  UserEmailChanged: 'user.update',
  UserEmailVerificationChanged: 'verification.update',
};

/** Rows are kept when the user is deleted (as Appwrite keeps them). */
export const logsProjection: Projection<LogChange> = {
  name: 'logs',
  project(recorded: RecordedEvent): LogChange[] {
    const key = parseUserStreamId(recorded.streamId);
    const auditEvent = AUDITED_EVENTS[recorded.type as UserEventType];
    if (!key || !auditEvent) return [];
    const { ip, userAgent, occurredAt } = recorded.metadata;
    return [
      {
        kind: 'append',
        log: { projectId: key.projectId, userId: key.userId, sequence: recorded.sortKey, id: recorded.id, event: auditEvent, userEmail: '', userName: '', mode: '', ip, time: occurredAt, ...clientDetails(userAgent, ip) },
      },
    ];
  },
};

const SQLITE_DDL = `
CREATE TABLE IF NOT EXISTS logs (
  rid INTEGER PRIMARY KEY, project_id TEXT NOT NULL, user_id TEXT NOT NULL, sequence TEXT NOT NULL,
  id TEXT NOT NULL, time TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (project_id, id)
);
CREATE INDEX IF NOT EXISTS logs_by_user ON logs (project_id, user_id, time, sequence);
`;

export const LOGS: ReadModelDefinition<UserLogs> = {
  projection: logsProjection,
  port: UserLogs,
  sqlite: {
    storage: {
      tables: ['logs'],
      ddl: SQLITE_DDL,
      version: 2,
      open(db) {
        // A log's id is the id of the event that produced it: a replayed event must not log twice.
        const append = db.prepare('INSERT INTO logs (project_id, user_id, sequence, id, time, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, id) DO NOTHING');
        return (change: LogChange) => {
          if (change.kind !== 'append') throw new Error(`Unknown log change ${(change as { kind: string }).kind}`);
          const l = change.log;
          append.run(l.projectId, l.userId, l.sequence, l.id, l.time, JSON.stringify(l));
        };
      },
    },
    queries(db) {
      const page = db.prepare<[string, string, string, number, number], { data: string }>(
        'SELECT data FROM logs WHERE project_id = ? AND user_id = ? AND sequence > ? ORDER BY time DESC, sequence DESC LIMIT ? OFFSET ?',
      );
      const count = db.prepare<[string, string, string], { n: number }>('SELECT count(*) AS n FROM logs WHERE project_id = ? AND user_id = ? AND sequence > ?');
      return {
        list: async (projectId, userId, after, limit, offset) =>
          db.transaction((): ListResult<LogRecord> => ({
            total: count.get(projectId, userId, after)?.n ?? 0,
            items: limit <= 0 ? [] : page.all(projectId, userId, after, clampInt(limit), clampInt(offset)).map((r) => JSON.parse(r.data) as LogRecord),
          }))(),
      };
    },
  },
  mongodb: {
    storage: {
      collections: {
        logs: [
          { key: { projectId: 1, id: 1 }, name: 'logs_by_project_id', unique: true },
          { key: { projectId: 1, userId: 1, time: 1, sequence: 1 }, name: 'logs_by_user' },
        ],
      },
      validate(change: LogChange) {
        if (change?.kind !== 'append') throw new Error(`Unknown log change ${String(change?.kind)}`);
      },
      // Logs are never changed: a record is written once, under the id of its event.
      apply: (writes, change: LogChange, stamp) => putDocument(writes.collection('logs'), recordKey(change.log.projectId, change.log.id), { ...change.log }, stamp, { insertOnly: true }),
    },
    queries: (store: MongoReadModels) => ({
      async list(projectId: string, userId: string, after: string, limit: number, offset: number) {
        await store.init();
        const logs = store.collection('logs');
        const filter = { projectId, userId, sequence: { $gt: after } };
        const n = clampInt(limit);
        const [total, docs] = await Promise.all([
          logs.countDocuments(filter),
          n === 0 ? Promise.resolve([] as Document[]) : logs.find(filter, { projection: RECORD_PROJECTION, sort: [['time', -1], ['sequence', -1]], skip: clampInt(offset), limit: n }).toArray(),
        ]);
        return { total, items: docs.map((d: Document) => toRecord<LogRecord>(d)) };
      },
    }),
  },
};
