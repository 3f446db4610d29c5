import type { CommandContext } from '@lib/event-sourcing';
import type { Principal } from './authenticator';

/** Who asks, in which project, from where: what a handler needs of an authenticated request. */
export interface RequestContext extends CommandContext {
  projectId: string;
  /** Absent for work the service does on its own (tests, bootstrap). */
  principal?: Principal;
}
