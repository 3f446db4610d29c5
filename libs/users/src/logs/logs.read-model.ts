import type { Document } from 'mongodb';
import { clientDetails, StoredClientInfo } from '@lib/client-info';
import type { RecordedEvent } from '@lib/event-store';
import { clampInt, guardedUpdate, ListResult, MongoReadModels, MongoWrites, Projection, putDocument, ReadModelDefinition, RECORD_PROJECTION, recordKey, SqliteStorage, Stamp, toRecord, tombstone } from '@lib/read-models';
import { parseUserStreamId } from '../user';
import { auditActor, auditEventName } from './audit-events';
import type { UserEventType } from '../user.events';

const ERASURE: UserEventType = 'UserErased';

export { AUDITED_EVENTS } from './audit-events';

/** An audit record in a user's log. `id` is the id of the event that produced it. */
export interface LogRecord extends StoredClientInfo {
  projectId: string;
  /** The user whose log this is (the stream the event is in). */
  userId: string;
  /**
   * Sort key of the event that produced the record. A user re-created under the same id has a
   * later sequence than its predecessor's records, so it does not inherit them.
   */
  sequence: string;
  id: string;
  event: string;
  /** Who acted (the Log model's `userId`): "" for an API key or the system. */
  actorId: string;
  /** The actor's email and name as they were right after the event ("" without an actor). */
  userEmail: string;
  userName: string;
  /** `admin` (API key), `user` (the user's own request) or "". */
  mode: string;
  ip: string;
  time: string;
}

/** A record as the projection emits it: the storage adds the actor's name and email at that point of the log. */
export type LogEntry = Omit<LogRecord, 'userEmail' | 'userName'>;

/**
 * `append` writes a record (once per event id). `identity` remembers a user's name and email
 * as of this event (absent fields are kept), `forget` drops them: the records an actor makes
 * later carry those values, so a row shows the actor as at event time, not at read time.
 * `erase` drops every record of a user's log (they hold its ip, client and email): its erasure.
 */
export type LogChange =
  | { kind: 'append'; log: LogEntry }
  | { kind: 'identity'; projectId: string; userId: string; name?: string; email?: string }
  | { kind: 'forget'; projectId: string; userId: string }
  | { kind: 'erase'; projectId: string; userId: string };

const KINDS = new Set(['append', 'identity', 'forget', 'erase']);

/** A user's audit log. */
export abstract class UserLogs {
  /**
   * Records from `fromSequence` on (the user's own: the sort key of its UserCreated, whose
   * `user.create` row is the first), newest first; `total` is their real number, or 0 without
   * counting when `includeTotal` is false (the `total` parameter).
   */
  abstract list(projectId: string, userId: string, fromSequence: string, limit: number, offset: number, includeTotal?: boolean): Promise<ListResult<LogRecord>>;
}

/**
 * The client details of the last (user agent, ip) pair seen: one request's events (an import's
 * thousands) share them, and each lookup is a GeoIP search plus a cache probe and a 13-field copy.
 */
let lastClient: { userAgent: string | undefined; ip: string | undefined; details: StoredClientInfo } | null = null;
function clientOf(userAgent: string | undefined, ip: string | undefined): StoredClientInfo {
  if (lastClient === null || lastClient.userAgent !== userAgent || lastClient.ip !== ip) lastClient = { userAgent, ip, details: clientDetails(userAgent, ip) };
  return lastClient.details;
}

function identityOf(recorded: RecordedEvent, projectId: string, userId: string): LogChange | null {
  const data = recorded.data as { name?: unknown; email?: unknown };
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (recorded.type) {
    case 'UserCreated':
      return { kind: 'identity', projectId, userId, name: text(data.name), email: text(data.email) };
    case 'UserNameChanged':
      return { kind: 'identity', projectId, userId, name: text(data.name) };
    case 'UserEmailChanged':
      return { kind: 'identity', projectId, userId, email: text(data.email) };
    default:
      return null;
  }
}

/**
 * Every change to a user is a record of that user's log; rows are kept when the user is deleted
 * (as Appwrite keeps them), and go when it is erased.
 */
export const logsProjection: Projection<LogChange> = {
  name: 'logs',
  project(recorded: RecordedEvent): LogChange[] {
    const key = parseUserStreamId(recorded.streamId);
    if (key && recorded.type === ERASURE) return [{ kind: 'erase', ...key }];
    const event = auditEventName(recorded.type);
    if (!key || event === null) return [];
    const { projectId, userId } = key;
    const { ip, userAgent, occurredAt, actor } = recorded.metadata;
    const append: LogChange = {
      kind: 'append',
      log: { projectId, userId, sequence: recorded.sortKey, id: recorded.id, event, ...auditActor(actor, userId), ip, time: occurredAt, ...clientOf(userAgent, ip) },
    };
    // The actor's state right after the event (a user renaming themselves is logged under the new name).
    const identity = identityOf(recorded, projectId, userId);
    if (identity) return [identity, append];
    return recorded.type === 'UserDeleted' ? [append, { kind: 'forget', projectId, userId }] : [append];
  },
};

function unknownChange(change: { kind?: unknown } | null | undefined): Error {
  return new Error(`Unknown log change ${String(change?.kind)}`);
}

const SQLITE_DDL = `
CREATE TABLE IF NOT EXISTS logs (
  rid INTEGER PRIMARY KEY, project_id TEXT NOT NULL, user_id TEXT NOT NULL, sequence TEXT NOT NULL,
  id TEXT NOT NULL, time TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (project_id, id)
);
CREATE INDEX IF NOT EXISTS logs_by_user ON logs (project_id, user_id, time, sequence);
CREATE TABLE IF NOT EXISTS log_actors (
  project_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL,
  PRIMARY KEY (project_id, user_id)
);
`;

/** Exported for the thread a rebuild writes its shadow on (SqliteStorage.thread). */
export const logsSqliteStorage: SqliteStorage<LogChange> = {
  tables: ['logs', 'log_actors'],
  ddl: SQLITE_DDL,
  // 3: records carry the actor (actorId, its name and email at event time, mode); log_actors.
  version: 3,
  thread: { module: __filename, exportName: 'logsSqliteStorage' },
  open(db) {
    // A log's id is the id of the event that produced it: a replayed event must not log twice.
    const append = db.prepare('INSERT INTO logs (project_id, user_id, sequence, id, time, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, id) DO NOTHING');
    const actor = db.prepare<[string, string], { name: string; email: string }>('SELECT name, email FROM log_actors WHERE project_id = ? AND user_id = ?');
    const put = db.prepare(
      `INSERT INTO log_actors (project_id, user_id, name, email) VALUES (?, ?, ?, ?)
       ON CONFLICT (project_id, user_id) DO UPDATE SET name = excluded.name, email = excluded.email`,
    );
    const setName = db.prepare('UPDATE log_actors SET name = ? WHERE project_id = ? AND user_id = ?');
    const setEmail = db.prepare('UPDATE log_actors SET email = ? WHERE project_id = ? AND user_id = ?');
    const forget = db.prepare('DELETE FROM log_actors WHERE project_id = ? AND user_id = ?');
    const erase = db.prepare('DELETE FROM logs WHERE project_id = ? AND user_id = ?');
    return (change: LogChange) => {
      switch (change?.kind) {
        case 'append': {
          const l = change.log;
          const who = l.actorId === '' ? undefined : actor.get(l.projectId, l.actorId);
          // The LogRecord `{ ...l, userEmail, userName }` as JSON, without copying the entry's 20 fields into it first.
          const data = `${JSON.stringify(l).slice(0, -1)},"userEmail":${JSON.stringify(who?.email ?? '')},"userName":${JSON.stringify(who?.name ?? '')}}`;
          append.run(l.projectId, l.userId, l.sequence, l.id, l.time, data);
          return;
        }
        case 'identity':
          if (change.name !== undefined && change.email !== undefined) put.run(change.projectId, change.userId, change.name, change.email);
          else if (change.name !== undefined) setName.run(change.name, change.projectId, change.userId);
          else if (change.email !== undefined) setEmail.run(change.email, change.projectId, change.userId);
          return;
        case 'forget':
          forget.run(change.projectId, change.userId);
          return;
        case 'erase':
          erase.run(change.projectId, change.userId);
          return;
        default:
          throw unknownChange(change);
      }
    };
  },
};

export const LOGS: ReadModelDefinition<UserLogs> = {
  projection: logsProjection,
  port: UserLogs,
  sqlite: {
    storage: logsSqliteStorage,
    queries(db) {
      const page = db.prepare<[string, string, string, number, number], { data: string }>(
        'SELECT data FROM logs WHERE project_id = ? AND user_id = ? AND sequence >= ? ORDER BY time DESC, sequence DESC LIMIT ? OFFSET ?',
      );
      const count = db.prepare<[string, string, string], { n: number }>('SELECT count(*) AS n FROM logs WHERE project_id = ? AND user_id = ? AND sequence >= ?');
      return {
        list: async (projectId, userId, from, limit, offset, includeTotal = true) =>
          db.transaction((): ListResult<LogRecord> => ({
            total: includeTotal ? (count.get(projectId, userId, from)?.n ?? 0) : 0,
            items: limit <= 0 ? [] : page.all(projectId, userId, from, clampInt(limit), clampInt(offset)).map((r) => JSON.parse(r.data) as LogRecord),
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
        // Looked up by _id = recordKey(projectId, userId); a forgotten actor is a tombstone. The
        // index also makes the collection exist before its first write (a swap renames it).
        log_actors: [{ key: { projectId: 1, userId: 1 }, name: 'log_actors_by_user' }],
      },
      validate(change: LogChange) {
        if (!KINDS.has(change?.kind)) throw unknownChange(change);
      },
      apply: applyLog,
      // The same writes for a whole batch: the actors it needs read at once, every change made in
      // memory in order, the logs inserted in bulk by the store (see BatchedCollection).
      async applyBatch(writes, items: ReadonlyArray<{ change: LogChange; stamp: Stamp }>) {
        // An erasure must also drop the records inserted before it in the same batch: such a
        // (rare) batch is written change by change.
        if (items.some(({ change }) => change.kind === 'erase')) {
          await writes.direct();
          for (const { change, stamp } of items) await applyLog(writes, change, stamp);
          return;
        }
        const actors = writes.batched('log_actors');
        const logs = writes.batched('logs');
        const actorOf = (c: LogChange) => (c.kind !== 'append' ? recordKey(c.projectId, c.userId) : c.log.actorId === '' ? null : recordKey(c.log.projectId, c.log.actorId));
        await actors.load(items.flatMap(({ change }) => actorOf(change) ?? []));
        for (const { change, stamp } of items) {
          if (change.kind === 'identity') {
            const _id = recordKey(change.projectId, change.userId);
            if (change.name !== undefined && change.email !== undefined) {
              actors.put(_id, { projectId: change.projectId, userId: change.userId, name: change.name, email: change.email }, stamp);
            } else {
              const set = change.name !== undefined ? { name: change.name } : change.email !== undefined ? { email: change.email } : null;
              if (set) actors.guardedUpdate(_id, { projectId: change.projectId }, set, stamp);
            }
          } else if (change.kind === 'forget') {
            actors.tombstone(recordKey(change.projectId, change.userId), change.projectId, stamp);
          } else if (change.kind === 'append') {
            const l = change.log;
            const found = l.actorId === '' ? null : actors.get(recordKey(l.projectId, l.actorId));
            logs.put(recordKey(l.projectId, l.id), { ...withActor(l, found !== null && found.projectId === l.projectId ? found : null) }, stamp, { insertOnly: true });
          }
        }
      },
    },
    queries: (store: MongoReadModels) => ({
      async list(projectId: string, userId: string, from: string, limit: number, offset: number, includeTotal = true) {
        await store.init();
        const logs = store.collection('logs');
        const filter = { projectId, userId, sequence: { $gte: from } };
        const n = clampInt(limit);
        const [total, docs] = await Promise.all([
          includeTotal ? logs.countDocuments(filter) : Promise.resolve(0),
          n === 0 ? Promise.resolve([] as Document[]) : logs.find(filter, { projection: RECORD_PROJECTION, sort: [['time', -1], ['sequence', -1]], skip: clampInt(offset), limit: n }).toArray(),
        ]);
        return { total, items: docs.map((d: Document) => toRecord<LogRecord>(d)) };
      },
    }),
  },
};

async function applyLog(writes: MongoWrites, change: LogChange, stamp: Stamp): Promise<void> {
  const actors = writes.collection('log_actors');
  if (change.kind === 'identity') {
    const _id = recordKey(change.projectId, change.userId);
    if (change.name !== undefined && change.email !== undefined) {
      return putDocument(actors, _id, { projectId: change.projectId, userId: change.userId, name: change.name, email: change.email }, stamp);
    }
    const set = change.name !== undefined ? { name: change.name } : change.email !== undefined ? { email: change.email } : null;
    return set ? guardedUpdate(actors, { _id, projectId: change.projectId }, set, stamp) : undefined;
  }
  if (change.kind === 'forget') return tombstone(actors, { _id: recordKey(change.projectId, change.userId), projectId: change.projectId }, stamp);
  if (change.kind === 'erase') {
    await writes.collection('logs').deleteMany({ projectId: change.projectId, userId: change.userId });
    return;
  }
  const l = change.log;
  const who = l.actorId === '' ? null : await actors.findOne({ _id: recordKey(l.projectId, l.actorId), projectId: l.projectId });
  // Logs are never changed: a record is written once, under the id of its event.
  return putDocument(writes.collection('logs'), recordKey(l.projectId, l.id), { ...withActor(l, who) }, stamp, { insertOnly: true });
}

/** The log record with its actor's name and email as they are when the event is applied. */
function withActor(l: LogEntry, who: Document | null): LogRecord {
  return { ...l, userEmail: typeof who?.email === 'string' ? who.email : '', userName: typeof who?.name === 'string' ? who.name : '' };
}
