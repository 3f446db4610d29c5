import { Controller, Get, Inject } from '@nestjs/common';
import { buildOpenApi } from '../../../libs/http/src/openapi';
import { USERS_ENDPOINTS } from '../../../libs/users/src/endpoints';
import { GatewayConfig } from './config';
import { CONFIG } from './embedded-infrastructure.module';

@Controller()
export class OpenApiController {
  private readonly document: unknown;
  constructor(@Inject(CONFIG) config: GatewayConfig) {
    this.document = buildOpenApi(USERS_ENDPOINTS, config.appwriteVersion);
  }

  @Get('/v1/openapi.json')
  openapi() {
    return this.document;
  }
}
