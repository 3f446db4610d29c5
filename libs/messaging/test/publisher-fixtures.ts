import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@lib/event-store';
import { projectStreamId } from '@lib/projects';
import { ReservationNames, userStreamId } from '@lib/users';

/** A temporary folder removed by cleanup(). */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let clock = Date.parse('2025-11-27T10:00:00.000Z');
const at = () => new Date((clock += 1000)).toISOString().replace('Z', '+00:00');

function toAppend(type: string, data: Record<string, unknown>) {
  const id = randomUUID();
  return {
    id,
    type,
    data,
    metadata: {
      eventId: id,
      occurredAt: at(),
      schemaVersion: 1,
      actor: { type: 'apiKey' as const, id: 'key-1' },
      requestId: randomUUID(),
      ip: '127.0.0.1',
      userAgent: 'test',
    },
  };
}

/** Any deployment's names: the publisher only has to tell reservation streams from user streams. */
const RESERVATION_NAMES = ReservationNames.fromMasterKey(randomBytes(32));

const PHC = '$argon2id$v=19$m=65536,t=4,p=3$c29tZXNhbHRzb21lc2FsdA$Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy';

/**
 * Appends a user's life to the log the way the service would: a uniqueness claim (internal),
 * UserCreated (with a password hash that must never be published), then `changes` name changes.
 * Returns the ids of the user events, in order.
 */
export async function appendUserLife(store: EventStore, projectId: string, userId: string, changes: number): Promise<string[]> {
  await store.append(RESERVATION_NAMES.streamIdOf(projectId, 'email', `${userId}@example.com`), [toAppend('UniqueValueClaimed', { userId })], 'any');
  const created = toAppend('UserCreated', {
    userId,
    name: userId,
    email: `${userId}@example.com`,
    phone: null,
    password: PHC,
    hash: 'argon2',
    hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 },
  });
  await store.append(userStreamId(projectId, userId), [created], 'no_stream');
  const ids = [created.id];
  for (let i = 0; i < changes; i++) {
    const e = toAppend('UserNameChanged', { name: `${userId}-${i}` });
    await store.append(userStreamId(projectId, userId), [e], i);
    ids.push(e.id);
  }
  return ids;
}

/** Appends one more user event (to an existing user stream). */
export async function appendNameChange(store: EventStore, projectId: string, userId: string, name: string): Promise<string> {
  const e = toAppend('UserNameChanged', { name });
  await store.append(userStreamId(projectId, userId), [e], 'stream_exists');
  return e.id;
}

/** An internal event (project stream): never published, but the checkpoint moves past it. */
export async function appendProjectEvent(store: EventStore, projectId: string): Promise<void> {
  await store.append(projectStreamId(projectId), [toAppend('ProjectCreated', { name: projectId })], 'any');
}

export const HASH_IN_FIXTURES = PHC;

export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
