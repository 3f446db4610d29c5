import type { EventActor } from '@lib/event-store';
import type { RevisionPrecondition } from './revision-precondition';

/**
 * One attempt of a request that carries an idempotency key. Its id goes into the metadata of
 * every event it appends, so that a later attempt can tell whether this one committed.
 */
export interface CommandExecution {
  readonly id: string;
  /**
   * Awaited before each append. Records, durably and before the first append, which stream
   * the attempt writes first; throws (and the append does not happen) when the attempt no
   * longer holds its key.
   */
  beforeAppend(streamId: string): Promise<void>;
}

/** Who asks, from where: becomes the metadata of every event a command causes. */
export interface CommandContext {
  actor: EventActor;
  requestId: string;
  ip: string;
  userAgent: string;
  /** The client's condition on the revision of one stream (HTTP `If-Match`). */
  precondition?: RevisionPrecondition;
  /** Present when the request carries an idempotency key. */
  execution?: CommandExecution;
}

/** The context without the client's address and agent: for events that must not hold them (they are a person's). */
export const withoutClient = (ctx: CommandContext): CommandContext => ({ ...ctx, ip: '', userAgent: '' });

/** The context of work the service does on its own (bootstrap, CLI, takeovers). */
export const systemContext = (id: string): CommandContext => ({ actor: { type: 'system', id }, requestId: id, ip: '', userAgent: '' });
