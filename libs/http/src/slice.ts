import type { Provider, Type } from '@nestjs/common';
import type { EndpointDef } from './endpoint';

/**
 * One use case as the HTTP module mounts it: its endpoint declarations, the controller that
 * serves them and the handlers it needs. A context lists its slices once; routing, validation,
 * OpenAPI and the module wiring all read that list.
 */
export interface Slice {
  endpoints: EndpointDef[];
  controllers: Type[];
  providers: Provider[];
}

export const mountSlices = (slices: Slice[]) => ({
  endpoints: slices.flatMap((s) => s.endpoints),
  controllers: slices.flatMap((s) => s.controllers),
  providers: slices.flatMap((s) => s.providers),
});
