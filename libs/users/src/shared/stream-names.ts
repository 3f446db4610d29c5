import { createHash } from 'node:crypto';

/**
 * Stream names carry their key. `:` cannot occur in Appwrite ids, so it separates the parts
 * unambiguously; the part before the first `-` is the category (EventStoreDB convention).
 */
export const userStreamId = (projectId: string, userId: string) => `user-${projectId}:${userId}`;

export function parseUserStreamId(streamId: string): { projectId: string; userId: string } | null {
  if (!streamId.startsWith('user-')) return null;
  const rest = streamId.slice('user-'.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return null;
  return { projectId: rest.slice(0, colon), userId: rest.slice(colon + 1) };
}

export type UniqueKind = 'email' | 'phone';

/** The value is hashed so that the stream name neither leaks nor depends on an address's characters. */
export const uniqueValueStreamId = (projectId: string, kind: UniqueKind, value: string) =>
  `unique-${projectId}:${kind}:${createHash('sha256').update(value).digest('hex')}`;

export const projectStreamId = (projectId: string) => `project-${projectId}`;

export function parseProjectStreamId(streamId: string): string | null {
  return streamId.startsWith('project-') ? streamId.slice('project-'.length) : null;
}
