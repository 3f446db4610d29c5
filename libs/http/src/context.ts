import type { Type } from '@nestjs/common';
import type { BodyAllowances } from './body-limits';
import type { EndpointDef } from './endpoint-def';
import type { ErrorMapper } from './error-mapping';
import type { VersionedResource } from './safe-writes';

/**
 * A bounded context as the gateway mounts it: its Nest module, every endpoint it serves, the
 * response schemas and body-size allowances those endpoints name, and how its errors become
 * Appwrite's. The gateway lists contexts once; routing, OpenAPI, body limits and error
 * mapping all read that list.
 */
export interface HttpContext {
  name: string;
  module: Type;
  endpoints: EndpointDef[];
  schemas: Record<string, unknown>;
  bodyAllowances: BodyAllowances;
  errorMapper: ErrorMapper;
  /** The path parameters that name its event-sourced resources, for If-Match. */
  versionedResources?: VersionedResource[];
}
