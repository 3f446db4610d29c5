import type { CommandContext } from '@lib/event-sourcing';

/** Who asks, in which project, from where: what a handler needs of an authenticated request. */
export interface RequestContext extends CommandContext {
  projectId: string;
}
