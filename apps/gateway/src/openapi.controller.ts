import { Controller, Get, Inject } from '@nestjs/common';
import { buildOpenApi } from '@lib/http';
import { CONFIG, ServiceConfig } from '@lib/platform';
import { ALL_ENDPOINTS, ALL_RESPONSE_SCHEMAS } from './contexts';

@Controller()
export class OpenApiController {
  private readonly document: unknown;
  constructor(@Inject(CONFIG) config: ServiceConfig) {
    this.document = buildOpenApi(ALL_ENDPOINTS, ALL_RESPONSE_SCHEMAS, config.appwriteVersion);
  }

  @Get('/v1/openapi.json')
  openapi() {
    return this.document;
  }
}
