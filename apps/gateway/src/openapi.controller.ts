import { Controller, Get, Inject } from '@nestjs/common';
import { buildOpenApi } from '@lib/http';
import { CONFIG, ServiceConfig } from '@lib/platform';
import { USERS_ENDPOINTS, USERS_RESPONSE_SCHEMAS } from '@lib/users';

@Controller()
export class OpenApiController {
  private readonly document: unknown;
  constructor(@Inject(CONFIG) config: ServiceConfig) {
    this.document = buildOpenApi(USERS_ENDPOINTS, USERS_RESPONSE_SCHEMAS, config.appwriteVersion);
  }

  @Get('/v1/openapi.json')
  openapi() {
    return this.document;
  }
}
