import type { Document } from 'mongodb';
import type { RecordedEvent } from '@lib/event-store';
import { toDomainEvent } from '@lib/event-sourcing';
import { guardedUpdate, MongoReadModels, Projection, putDocument, ReadModelDefinition, RECORD_PROJECTION, recordKey, toRecord } from '@lib/read-models';
import { parseProjectStreamId, PROJECT_EVENT_SCHEMA, type ProjectEvent } from './project.decider';

export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: string;
  /** Whether a login re-hashes a legacy password hash; absent = never set = on. */
  loginRehash?: boolean;
}

export interface ApiKeyRecord {
  projectId: string;
  id: string;
  name: string;
  /** hex SHA-256 of the secret; the secret itself is never stored. */
  secretHash: string;
  scopes: string[];
  expire: string | null;
  createdAt: string;
  revoked: boolean;
}

export type AccessChange =
  | { kind: 'project.put'; project: ProjectRecord }
  | { kind: 'apiKey.put'; apiKey: ApiKeyRecord }
  | { kind: 'apiKey.revoke'; projectId: string; keyId: string }
  | { kind: 'project.loginRehash'; projectId: string; enabled: boolean };

/** Projects and their keys, as the authenticator reads them. */
export abstract class AccessDirectory {
  abstract getProject(projectId: string): Promise<ProjectRecord | null>;
  /** Keys of a project in creation order (revoked ones included, callers filter). */
  abstract listApiKeys(projectId: string): Promise<ApiKeyRecord[]>;
}

const KINDS: ReadonlySet<string> = new Set<AccessChange['kind']>(['project.put', 'apiKey.put', 'apiKey.revoke', 'project.loginRehash']);

export const accessProjection: Projection<AccessChange> = {
  name: 'access',
  project(recorded: RecordedEvent): AccessChange[] {
    const projectId = parseProjectStreamId(recorded.streamId);
    const event = projectId && toDomainEvent<ProjectEvent>(PROJECT_EVENT_SCHEMA, recorded);
    if (!projectId || !event) return [];
    switch (event.type) {
      case 'ProjectCreated':
        return [{ kind: 'project.put', project: { id: projectId, name: event.data.name, createdAt: event.occurredAt } }];
      case 'ApiKeyCreated': {
        const { keyId, name, secretHash, scopes, expire } = event.data;
        return [{ kind: 'apiKey.put', apiKey: { projectId, id: keyId, name, secretHash, scopes, expire, createdAt: event.occurredAt, revoked: false } }];
      }
      case 'ApiKeyRevoked':
        return [{ kind: 'apiKey.revoke', projectId, keyId: event.data.keyId }];
      case 'ProjectLoginRehashChanged':
        return [{ kind: 'project.loginRehash', projectId, enabled: event.data.enabled }];
    }
  },
};

const SQLITE_DDL = `
CREATE TABLE IF NOT EXISTS projects (id TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS api_keys (
  rid INTEGER PRIMARY KEY, project_id TEXT NOT NULL, id TEXT NOT NULL, created_at TEXT NOT NULL,
  data TEXT NOT NULL, UNIQUE (project_id, id)
);
CREATE INDEX IF NOT EXISTS api_keys_by_project ON api_keys (project_id, created_at);
`;

export const ACCESS: ReadModelDefinition<AccessDirectory> = {
  projection: accessProjection,
  port: AccessDirectory,
  sqlite: {
    storage: {
      tables: ['api_keys', 'projects'],
      ddl: SQLITE_DDL,
      version: 1,
      open(db) {
        const putProject = db.prepare('INSERT INTO projects (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data');
        const putKey = db.prepare(
          'INSERT INTO api_keys (project_id, id, created_at, data) VALUES (?, ?, ?, ?) ON CONFLICT (project_id, id) DO UPDATE SET created_at = excluded.created_at, data = excluded.data',
        );
        const revoke = db.prepare(`UPDATE api_keys SET data = json_set(data, '$.revoked', json('true')) WHERE project_id = ? AND id = ?`);
        const loginRehash = db.prepare(`UPDATE projects SET data = json_set(data, '$.loginRehash', json(?)) WHERE id = ?`);
        return (change: AccessChange) => {
          if (change.kind === 'project.put') putProject.run(change.project.id, JSON.stringify(change.project));
          else if (change.kind === 'apiKey.put') putKey.run(change.apiKey.projectId, change.apiKey.id, change.apiKey.createdAt, JSON.stringify(change.apiKey));
          else if (change.kind === 'apiKey.revoke') revoke.run(change.projectId, change.keyId);
          else if (change.kind === 'project.loginRehash') loginRehash.run(change.enabled ? 'true' : 'false', change.projectId);
          else throw new Error(`Unknown access change ${(change as { kind: string }).kind}`);
        };
      },
    },
    queries(db) {
      const project = db.prepare<[string], { data: string }>('SELECT data FROM projects WHERE id = ?');
      const keys = db.prepare<[string], { data: string }>('SELECT data FROM api_keys WHERE project_id = ? ORDER BY created_at, rid');
      return {
        getProject: async (id) => {
          const row = project.get(id);
          return row ? (JSON.parse(row.data) as ProjectRecord) : null;
        },
        listApiKeys: async (projectId) => keys.all(projectId).map((r) => JSON.parse(r.data) as ApiKeyRecord),
      };
    },
  },
  mongodb: {
    storage: {
      collections: {
        projects: [],
        api_keys: [
          { key: { projectId: 1, id: 1 }, name: 'api_keys_by_project_id', unique: true },
          { key: { projectId: 1, createdAt: 1, _ord: 1 }, name: 'api_keys_by_project' },
        ],
      },
      validate(change: AccessChange) {
        if (!KINDS.has(change?.kind)) throw new Error(`Unknown access change ${String(change?.kind)}`);
      },
      async apply(writes, change: AccessChange, stamp) {
        if (change.kind === 'project.put') return putDocument(writes.collection('projects'), change.project.id, { ...change.project }, stamp);
        if (change.kind === 'project.loginRehash') return guardedUpdate(writes.collection('projects'), { _id: change.projectId }, { loginRehash: change.enabled }, stamp);
        const keys = writes.collection('api_keys');
        if (change.kind === 'apiKey.put') return putDocument(keys, recordKey(change.apiKey.projectId, change.apiKey.id), { ...change.apiKey }, stamp, { ord: writes.nextOrd() });
        return guardedUpdate(keys, { _id: recordKey(change.projectId, change.keyId), projectId: change.projectId }, { revoked: true }, stamp);
      },
    },
    queries: (store: MongoReadModels) => ({
      async getProject(projectId: string) {
        await store.init();
        const doc = await store.collection('projects').findOne({ _id: projectId }, { projection: RECORD_PROJECTION });
        return doc === null ? null : toRecord<ProjectRecord>(doc);
      },
      async listApiKeys(projectId: string) {
        await store.init();
        const docs = await store.collection('api_keys').find({ projectId }, { projection: RECORD_PROJECTION, sort: [['createdAt', 1], ['_ord', 1]] }).toArray();
        return docs.map((d: Document) => toRecord<ApiKeyRecord>(d));
      },
    }),
  },
};
