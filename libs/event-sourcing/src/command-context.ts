import type { EventActor } from '@lib/event-store';

/** Who asks, from where: becomes the metadata of every event a command causes. */
export interface CommandContext {
  actor: EventActor;
  requestId: string;
  ip: string;
  userAgent: string;
}

/** The context without the client's address and agent: for events that must not hold them (they are a person's). */
export const withoutClient = (ctx: CommandContext): CommandContext => ({ ...ctx, ip: '', userAgent: '' });

/** The context of work the service does on its own (bootstrap, CLI, takeovers). */
export const systemContext = (id: string): CommandContext => ({ actor: { type: 'system', id }, requestId: id, ip: '', userAgent: '' });
