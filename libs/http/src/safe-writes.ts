import { Inject, Injectable, Optional } from '@nestjs/common';
import { RevisionPrecondition } from '@lib/event-sourcing';
import { EventStore } from '@lib/event-store';
import { AuthenticatedRequest, requestContextOf } from './endpoint';
import type { EndpointDef } from './endpoint-def';
import { parseIfMatch } from './if-match';
import { IdempotentRequests } from './idempotent-requests';
import type { RequestContext } from './request-context';

/**
 * A path parameter that names an event-sourced resource (`userId`): `If-Match` on a write whose
 * path holds it is checked against the revision of the resource's stream, which is its ETag.
 */
export interface VersionedResource {
  param: string;
  streamOf(projectId: string, id: string): string;
}

/** Injection token: every context's versioned resources. */
export const VERSIONED_RESOURCES = 'HTTP_VERSIONED_RESOURCES';

/** The resource whose version a route's `If-Match` names: a write whose path has the resource's parameter. */
export function versionedResourceOf(def: EndpointDef, resources: readonly VersionedResource[]): VersionedResource | undefined {
  if (def.method === 'GET') return undefined;
  const segments = def.path.split('/');
  return resources.find((r) => segments.includes(`:${r.param}`));
}

/** What a route does for safe writes, in its order: open after authentication, the command context after validation, confirm after the handler. */
export interface RouteSafety {
  /** Answers an idempotent retry at once (throws), or begins the request's attempt. */
  open(req: AuthenticatedRequest): Promise<void>;
  /** The request's context, with its attempt and its If-Match precondition (400 when malformed). */
  contextOf(req: AuthenticatedRequest, params: Record<string, unknown>): RequestContext;
  /**
   * A precondition no command checked (the route wrote nothing to the stream: a JWT, a 404) is
   * checked now, so every write on a versioned resource honours If-Match.
   */
  confirm(ctx: RequestContext): Promise<void>;
}

/** Safe concurrent edits (If-Match) and retries (Idempotency-Key) for the routes EndpointRoutes mounts. */
@Injectable()
export class SafeWrites {
  constructor(
    private readonly idempotency: IdempotentRequests,
    private readonly events: EventStore,
    @Optional() @Inject(VERSIONED_RESOURCES) private readonly resources: readonly VersionedResource[] = [],
  ) {}

  forRoute(def: EndpointDef): RouteSafety {
    const resource = versionedResourceOf(def, this.resources);
    return {
      open: (req) => this.idempotency.open(req),
      contextOf(req, params) {
        const ctx = requestContextOf(req);
        if (resource) {
          const accepted = parseIfMatch(req.headers['if-match']);
          if (accepted !== null) ctx.precondition = new RevisionPrecondition(resource.streamOf(ctx.projectId, String(params[resource.param])), accepted);
        }
        return ctx;
      },
      confirm: async (ctx) => {
        const precondition = ctx.precondition;
        if (precondition === undefined || precondition.wasConsumed) return;
        const recorded = await this.events.readStream(precondition.streamId);
        precondition.check(recorded.length ? recorded[recorded.length - 1].revision : 'no_stream');
      },
    };
  }
}
