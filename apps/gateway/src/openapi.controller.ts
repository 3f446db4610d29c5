import { Controller, Get, Inject } from '@nestjs/common';
import { buildOpenApi } from '../../../libs/http/src/openapi';
import { USERS_ENDPOINTS } from '../../../libs/users/src/endpoints';
import { ServiceConfig } from '../../../libs/platform/src/config';
import { CONFIG } from '../../../libs/platform/src/platform.module';

@Controller()
export class OpenApiController {
  private readonly document: unknown;
  constructor(@Inject(CONFIG) config: ServiceConfig) {
    this.document = buildOpenApi(USERS_ENDPOINTS, config.appwriteVersion);
  }

  @Get('/v1/openapi.json')
  openapi() {
    return this.document;
  }
}
