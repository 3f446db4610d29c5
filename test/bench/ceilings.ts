import Database from 'better-sqlite3';
import Fastify, { FastifyInstance } from 'fastify';
import { join } from 'node:path';

/**
 * The ceilings the service is measured against, in the same run (issue 10): a bare Fastify route
 * that checks the same two headers and answers the same JSON (reads), and one that appends one
 * row per request to SQLite with the event log's settings (writes).
 */
export interface Ceiling {
  url: string;
  close(): Promise<void>;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** GET /v1/users/:userId answering `body` after checking the project and key headers. */
export async function bareRead(project: string, key: string, body: unknown): Promise<Ceiling> {
  const app = Fastify({ logger: false });
  const json = JSON.stringify(body);
  app.get('/v1/users/:userId', async (req, reply) => {
    if (req.headers['x-appwrite-project'] !== project || req.headers['x-appwrite-key'] !== key) return reply.code(401).send({ message: 'no' });
    return reply.header('content-type', 'application/json; charset=UTF-8').send(json);
  });
  return { url: await listen(app), close: () => app.close() };
}

/** POST /v1/users appending the body as one row (WAL, synchronous NORMAL, like the SQLite event log). */
export async function bareAppend(dataDir: string): Promise<Ceiling> {
  const db = new Database(join(dataDir, 'ceiling.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
  const app = Fastify({ logger: false });
  app.post('/v1/users', async (req, reply) => {
    const { lastInsertRowid } = insert.run(JSON.stringify(req.body));
    return reply.code(201).send({ $id: String(lastInsertRowid) });
  });
  return {
    url: await listen(app),
    close: async () => {
      await app.close();
      db.close();
    },
  };
}
