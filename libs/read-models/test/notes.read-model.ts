import type { Document } from 'mongodb';
import type { RecordedEvent } from '@lib/event-store';
import {
  MongoReadModels,
  putDocument,
  ReadModelDefinition,
  RECORD_PROJECTION,
  recordKey,
  toRecord,
  tombstone,
} from '@lib/read-models';

/*
 * A read model that exists only for the plumbing's tests: notes on a project's board. It is
 * built the way real read models are (one table / collection, stamp-guarded Mongo writes), so
 * the plumbing contract can run without depending on any context's read model.
 */

export interface Note {
  projectId: string;
  id: string;
  text: string;
}

export type NoteChange = { kind: 'put'; note: Note } | { kind: 'delete'; projectId: string; id: string };

/** The notes of a project in the order they were first written. */
export abstract class NoteBoard {
  abstract get(projectId: string, id: string): Promise<Note | null>;
  abstract list(projectId: string): Promise<Note[]>;
}

export interface NoteReadModelOptions {
  /** Projection name, also the table / collection name (default `notes`). */
  name?: string;
  /** The SQLite storage version (default 1). */
  version?: number;
  /** Awaited by the MongoDB storage before it writes a change (to hold an apply half-way). */
  beforeWrite?: (change: NoteChange) => Promise<void>;
}

export const note = (projectId: string, id: string, text = id): Note => ({ projectId, id, text });
export const putNote = (projectId: string, id: string, text = id): NoteChange => ({ kind: 'put', note: note(projectId, id, text) });
export const deleteNote = (projectId: string, id: string): NoteChange => ({ kind: 'delete', projectId, id });

const KINDS: ReadonlySet<string> = new Set(['put', 'delete']);

export function noteReadModel(options: NoteReadModelOptions = {}): ReadModelDefinition<NoteBoard> {
  const name = options.name ?? 'notes';
  if (!/^[a-z_]+$/.test(name)) throw new Error(`not a table name: ${name}`);
  return {
    projection: {
      name,
      project(event: RecordedEvent): NoteChange[] {
        const { projectId, id, text } = event.data as Partial<Note>;
        if (typeof projectId !== 'string' || typeof id !== 'string') return [];
        if (event.type === 'NoteWritten') return [putNote(projectId, id, String(text ?? id))];
        if (event.type === 'NoteErased') return [deleteNote(projectId, id)];
        return [];
      },
    },
    port: NoteBoard,
    sqlite: {
      storage: {
        tables: [name],
        ddl: `CREATE TABLE IF NOT EXISTS ${name} (
          rid INTEGER PRIMARY KEY, project_id TEXT NOT NULL, id TEXT NOT NULL, text TEXT NOT NULL, UNIQUE (project_id, id)
        );`,
        version: options.version ?? 1,
        open(db) {
          const put = db.prepare(`INSERT INTO ${name} (project_id, id, text) VALUES (?, ?, ?) ON CONFLICT (project_id, id) DO UPDATE SET text = excluded.text`);
          const remove = db.prepare(`DELETE FROM ${name} WHERE project_id = ? AND id = ?`);
          return (change: NoteChange) => {
            if (change?.kind === 'put') put.run(change.note.projectId, change.note.id, change.note.text);
            else if (change?.kind === 'delete') remove.run(change.projectId, change.id);
            else throw new Error(`Unknown note change ${String((change as { kind?: unknown })?.kind)}`);
          };
        },
      },
      queries(db) {
        const one = db.prepare<[string, string], { project_id: string; id: string; text: string }>(`SELECT project_id, id, text FROM ${name} WHERE project_id = ? AND id = ?`);
        const all = db.prepare<[string], { project_id: string; id: string; text: string }>(`SELECT project_id, id, text FROM ${name} WHERE project_id = ? ORDER BY rid`);
        const toNote = (r: { project_id: string; id: string; text: string }): Note => ({ projectId: r.project_id, id: r.id, text: r.text });
        return {
          get: async (projectId, id) => {
            const row = one.get(projectId, id);
            return row ? toNote(row) : null;
          },
          list: async (projectId) => all.all(projectId).map(toNote),
        };
      },
    },
    mongodb: {
      storage: {
        collections: {
          [name]: [
            { key: { projectId: 1, id: 1 }, name: `${name}_by_project_id`, unique: true },
            { key: { projectId: 1, _ord: 1 }, name: `${name}_by_project` },
          ],
        },
        validate(change: NoteChange) {
          if (!KINDS.has(change?.kind)) throw new Error(`Unknown note change ${String((change as { kind?: unknown })?.kind)}`);
        },
        async apply(writes, change: NoteChange, stamp) {
          await options.beforeWrite?.(change);
          const notes = writes.collection(name);
          if (change.kind === 'put') return putDocument(notes, recordKey(change.note.projectId, change.note.id), { ...change.note }, stamp, { ord: writes.nextOrd() });
          return tombstone(notes, { _id: recordKey(change.projectId, change.id), projectId: change.projectId }, stamp);
        },
      },
      queries: (store: MongoReadModels) => ({
        async get(projectId: string, id: string) {
          await store.init();
          const doc = await store.collection(name).findOne({ _id: recordKey(projectId, id) }, { projection: RECORD_PROJECTION });
          return doc === null || doc.projectId !== projectId ? null : toRecord<Note>(doc);
        },
        async list(projectId: string) {
          await store.init();
          const docs = await store.collection(name).find({ projectId }, { projection: RECORD_PROJECTION, sort: [['_ord', 1]] }).toArray();
          return docs.map((d: Document) => toRecord<Note>(d));
        },
      }),
    },
  };
}

/** Two independent read models of the test storage. */
export const NOTES = noteReadModel({ name: 'notes' });
export const DRAFTS = noteReadModel({ name: 'drafts' });
