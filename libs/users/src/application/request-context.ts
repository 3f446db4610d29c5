import type { EventActor } from '../../../event-store/src/event-store.port';

/** Who asks, from where: becomes every event's metadata. */
export interface RequestContext {
  projectId: string;
  actor: EventActor;
  requestId: string;
  ip: string;
  userAgent: string;
}
